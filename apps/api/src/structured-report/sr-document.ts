/**
 * One study's SR as a DICOM Comprehensive SR Part 10 file, built from dcmjs content items and
 * encoded by dcmjs (SR1). The tree follows TID 1500's shape (report → observer context → imaging
 * measurements → one measurement group per labelled slice) without claiming TID 1500 itself, whose
 * required items (procedure reported, image library) say nothing Concord knows; so no Content
 * Template Sequence is written.
 */
import { dcmjsData, TransferSyntax } from '@concord/dicom';
import { Concept, DecisionMethod, PRIVATE_SCHEME, presence, reasonConcept } from './concepts.js';
import { dcmjsSr, type ContentItem } from './dcmjs-sr.js';
import { roundProbability, type SrStudyContent } from './sr-content.js';

export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';
/** Concord as the device observer and as the writer of the file (2.25 form of a fixed UUID). */
export const CONCORD_DEVICE_UID = '2.25.302097374113413963327932418916046717953';
const IMPLEMENTATION_CLASS_UID = '2.25.302097374113413963327932418916046717954';
export const SR_SERIES_NUMBER = 9901;
export const SR_SERIES_DESCRIPTION = 'Concord final labels';
export const ALGORITHM_NAME = 'Concord spinal cord compression classifier';

export interface SrInstance {
  seriesUid: string;
  sopUid: string;
  instanceNumber: number;
  /** When this content version was first written: the same for every re-export of it. */
  contentDate: Date;
  /** The version this one replaces, if any (same series). */
  predecessor?: { sopUid: string };
}

const { ContainerContentItem, CodeContentItem, TextContentItem, UIDRefContentItem, NumContentItem, ImageContentItem } = dcmjsSr.valueTypes;

function withChildren(item: ContentItem, children: ContentItem[]): ContentItem {
  if (children.length) item.ContentSequence = children;
  return item;
}

function algorithm(round: number, modelVersionId: string): ContentItem[] {
  return [
    new TextContentItem({ name: Concept.AlgorithmName, value: ALGORITHM_NAME, relationshipType: 'HAS CONCEPT MOD' }),
    new TextContentItem({ name: Concept.AlgorithmVersion, value: `round ${round}; model ${modelVersionId}`, relationshipType: 'HAS CONCEPT MOD' }),
  ];
}

function contentTree(content: SrStudyContent): ContentItem {
  const groups = content.slices.map((s) => {
    const label = new CodeContentItem({ name: Concept.CordCompression, value: presence(s.positive), relationshipType: 'CONTAINS' });
    const decided: ContentItem[] = [
      new CodeContentItem({ name: Concept.DecisionMethod, value: DecisionMethod[s.decision], relationshipType: 'HAS CONCEPT MOD' }),
    ];
    if (s.reasonCode)
      decided.push(new CodeContentItem({ name: Concept.AdjudicationReason, value: reasonConcept(s.reasonCode), relationshipType: 'HAS CONCEPT MOD' }));
    decided.push(
      new ImageContentItem({
        name: Concept.SourceOfMeasurement,
        referencedSOPClassUID: s.image.sopClassUid,
        referencedSOPInstanceUID: s.image.sopUid,
        relationshipType: 'INFERRED FROM',
      }),
    );
    const probabilities = s.probabilities.map((p) =>
      withChildren(
        new NumContentItem({ name: Concept.ModelProbability, value: roundProbability(p.probability), unit: Concept.NoUnits, relationshipType: 'CONTAINS' }),
        [
          ...algorithm(p.round, p.modelVersionId),
          new ImageContentItem({
            name: Concept.SourceOfMeasurement,
            referencedSOPClassUID: s.image.sopClassUid,
            referencedSOPInstanceUID: s.image.sopUid,
            relationshipType: 'INFERRED FROM',
          }),
        ],
      ),
    );
    return withChildren(new ContainerContentItem({ name: Concept.MeasurementGroup, relationshipType: 'CONTAINS' }), [
      new TextContentItem({ name: Concept.TrackingIdentifier, value: s.trackingId, relationshipType: 'HAS OBS CONTEXT' }),
      new UIDRefContentItem({ name: Concept.TrackingUid, value: s.trackingUid, relationshipType: 'HAS OBS CONTEXT' }),
      ...(s.deidentifiedSopUid
        ? [new UIDRefContentItem({ name: Concept.DeidentifiedSop, value: s.deidentifiedSopUid, relationshipType: 'HAS OBS CONTEXT' })]
        : []),
      new CodeContentItem({ name: Concept.Finding, value: Concept.CordCompression, relationshipType: 'HAS CONCEPT MOD' }),
      withChildren(label, decided),
      ...probabilities,
    ]);
  });
  const screening = content.screening.map((r) =>
    withChildren(new CodeContentItem({ name: Concept.PatientScreening, value: presence(r.abnormal), relationshipType: 'CONTAINS' }), [
      new CodeContentItem({ name: Concept.Finding, value: Concept.CordCompression, relationshipType: 'HAS CONCEPT MOD' }),
      ...algorithm(r.round, r.modelVersionId),
      new TextContentItem({
        name: Concept.ScreeningRule,
        // The rule, so a reader can recompute it: abnormal when more than k slices reach the threshold.
        value: `rule: more than ${r.k} slice(s) with probability >= ${roundProbability(r.threshold)}; ${r.positiveSlices} did`,
        relationshipType: 'HAS CONCEPT MOD',
      }),
    ]),
  );
  return withChildren(new ContainerContentItem({ name: Concept.ImagingMeasurementReport }), [
    new CodeContentItem({ name: Concept.LanguageOfContent, value: Concept.EnglishUS, relationshipType: 'HAS CONCEPT MOD' }),
    new CodeContentItem({ name: Concept.ObserverType, value: Concept.Device, relationshipType: 'HAS OBS CONTEXT' }),
    new UIDRefContentItem({ name: Concept.DeviceObserverUid, value: CONCORD_DEVICE_UID, relationshipType: 'HAS OBS CONTEXT' }),
    new TextContentItem({ name: Concept.DeviceObserverName, value: 'Concord', relationshipType: 'HAS OBS CONTEXT' }),
    withChildren(new ContainerContentItem({ name: Concept.ImagingMeasurements, relationshipType: 'CONTAINS' }), groups),
    ...screening,
  ]);
}

function da(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}
function tm(d: Date): string {
  return d.toISOString().slice(11, 19).replace(/:/g, '');
}

/** Every referenced instance, by series: the evidence the document rests on. */
function evidence(content: SrStudyContent) {
  const bySeries = new Map<string, { ReferencedSOPClassUID: string; ReferencedSOPInstanceUID: string }[]>();
  for (const s of content.slices) {
    const list = bySeries.get(s.image.seriesUid) ?? [];
    list.push({ ReferencedSOPClassUID: s.image.sopClassUid, ReferencedSOPInstanceUID: s.image.sopUid });
    bySeries.set(s.image.seriesUid, list);
  }
  return [
    {
      StudyInstanceUID: content.studyUid,
      ReferencedSeriesSequence: [...bySeries].map(([SeriesInstanceUID, ReferencedSOPSequence]) => ({ SeriesInstanceUID, ReferencedSOPSequence })),
    },
  ];
}

/** The naturalised dataset (modules of the Comprehensive SR IOD, PS3.3 A.35.3). */
export function srDataset(content: SrStudyContent, instance: SrInstance): Record<string, unknown> {
  const ds: Record<string, unknown> = {
    // SOP Common
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: instance.sopUid,
    InstanceCreationDate: da(instance.contentDate),
    InstanceCreationTime: tm(instance.contentDate),
    TimezoneOffsetFromUTC: '+0000',
    CodingSchemeIdentificationSequence: [
      {
        CodingSchemeDesignator: PRIVATE_SCHEME.designator,
        CodingSchemeName: PRIVATE_SCHEME.name,
        CodingSchemeResponsibleOrganization: PRIVATE_SCHEME.responsibleOrganization,
      },
    ],
    // Patient: the pseudonym Concord's stored images carry, or the original identity (SR4, SR5).
    PatientName: content.patientName,
    PatientID: content.patientId,
    PatientBirthDate: '',
    PatientSex: '',
    ...(content.reidentified ? {} : { PatientIdentityRemoved: 'YES', DeidentificationMethod: 'Concord pseudonym; references de-identified instances only' }),
    // General Study: Concord knows the study UID only; the rest is type 2 and left empty.
    StudyInstanceUID: content.studyUid,
    StudyDate: '',
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: '',
    // SR Document Series
    Modality: 'SR',
    SeriesInstanceUID: instance.seriesUid,
    SeriesNumber: SR_SERIES_NUMBER,
    SeriesDescription: SR_SERIES_DESCRIPTION,
    ReferencedPerformedProcedureStepSequence: [],
    // General Equipment
    Manufacturer: 'Concord',
    SoftwareVersions: 'Concord SR 1',
    // SR Document General
    InstanceNumber: instance.instanceNumber,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: da(instance.contentDate),
    ContentTime: tm(instance.contentDate),
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: evidence(content),
    ...(instance.predecessor
      ? {
          PredecessorDocumentsSequence: [
            {
              StudyInstanceUID: content.studyUid,
              ReferencedSeriesSequence: [
                {
                  SeriesInstanceUID: instance.seriesUid,
                  ReferencedSOPSequence: [{ ReferencedSOPClassUID: COMPREHENSIVE_SR, ReferencedSOPInstanceUID: instance.predecessor.sopUid }],
                },
              ],
            },
          ],
        }
      : {}),
    // SR Document Content: the root container's attributes sit on the dataset itself.
    ...contentTree(content),
  };
  return ds;
}

/** Part 10 bytes, Explicit VR Little Endian, encoded by dcmjs. */
export function writeSr(content: SrStudyContent, instance: SrInstance): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: COMPREHENSIVE_SR,
    MediaStorageSOPInstanceUID: instance.sopUid,
    TransferSyntaxUID: TransferSyntax.ExplicitVRLittleEndian,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'CONCORD_SR_1',
  };
  const dict = new dcmjsData.DicomDict(dcmjsData.DicomMetaDictionary.denaturalizeDataset(meta));
  // dcmjs' content items are class instances with accessors; plain JSON is what it encodes.
  dict.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(JSON.parse(JSON.stringify(srDataset(content, instance))));
  return new Uint8Array(dict.write());
}

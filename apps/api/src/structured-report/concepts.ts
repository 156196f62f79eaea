/**
 * The coded concepts Concord's SR uses (SPEC.md, "Coded concepts"). Standard terminologies where
 * a standard concept exists (SNOMED CT for the finding and its presence, DICOM DCM for document
 * structure and observer/algorithm context); a private scheme, 99CONCORD, only for what no
 * standard names: how Concord decided a label, its project's reason codes, and model outputs.
 */
import { dcmjsSr, type CodedConcept } from './dcmjs-sr.js';

function code(value: string, schemeDesignator: string, meaning: string): CodedConcept {
  return new dcmjsSr.coding.CodedConcept({ value, schemeDesignator, meaning });
}

/** Declared in CodingSchemeIdentificationSequence, as PS3.3 C.12.1 asks of private schemes. */
export const PRIVATE_SCHEME = {
  designator: '99CONCORD',
  name: 'Concord labelling decisions and model outputs',
  responsibleOrganization: 'Concord project',
} as const;

export const Concept = {
  // Document structure, modelled on TID 1500 (DCM).
  ImagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  LanguageOfContent: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  EnglishUS: code('en-US', 'RFC5646', 'English (United States)'),
  ObserverType: code('121005', 'DCM', 'Observer Type'),
  Device: code('121007', 'DCM', 'Device'),
  DeviceObserverUid: code('121012', 'DCM', 'Device Observer UID'),
  DeviceObserverName: code('121013', 'DCM', 'Device Observer Name'),
  ImagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  MeasurementGroup: code('125007', 'DCM', 'Measurement Group'),
  TrackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  TrackingUid: code('112040', 'DCM', 'Tracking Unique Identifier'),
  SourceOfMeasurement: code('121112', 'DCM', 'Source of Measurement'),
  Finding: code('121071', 'DCM', 'Finding'),
  AlgorithmName: code('111001', 'DCM', 'Algorithm Name'),
  AlgorithmVersion: code('111003', 'DCM', 'Algorithm Version'),

  // The finding and its presence (SNOMED CT).
  CordCompression: code('71286001', 'SCT', 'Compression of spinal cord'),
  Present: code('52101004', 'SCT', 'Present'),
  Absent: code('2667000', 'SCT', 'Absent'),

  // What no standard names (99CONCORD).
  DecisionMethod: code('DECISION', '99CONCORD', 'Method of final label decision'),
  DeidentifiedSop: code('DEID_SOP_UID', '99CONCORD', 'De-identified SOP Instance UID in Concord'),
  AdjudicationReason: code('ADJ_REASON', '99CONCORD', 'Adjudication reason'),
  ModelProbability: code('MODEL_PROB', '99CONCORD', 'Model probability of spinal cord compression'),
  PatientScreening: code('SCREENING', '99CONCORD', 'Patient-level screening result'),
  ScreeningRule: code('SCREEN_RULE', '99CONCORD', 'Screening rule'),
  NoUnits: code('1', 'UCUM', 'no units'),
} as const;

/** final_labels.source → how the label was decided. */
export const DecisionMethod: Record<'CONSENSUS' | 'ADJUDICATION' | 'SINGLE_READ', CodedConcept> = {
  CONSENSUS: code('CONSENSUS', '99CONCORD', 'Agreement of independent readers'),
  ADJUDICATION: code('ADJUDICATION', '99CONCORD', 'Adjudication of disagreeing readers'),
  SINGLE_READ: code('SINGLE_READ', '99CONCORD', 'Single reader'),
};

/**
 * A project reason code (2–40 of A–Z, 0–9, _) as a 99CONCORD concept; its meaning is the code in
 * words. Code Value (SH) holds 16 characters; longer codes go in Long Code Value (UC), as PS3.3
 * 8.8 prescribes, rather than being cut into codes that could collide.
 */
export function reasonConcept(reasonCode: string): CodedConcept {
  const words = reasonCode.toLowerCase().replace(/_/g, ' ');
  const concept = code(reasonCode, '99CONCORD', (words.charAt(0).toUpperCase() + words.slice(1)).slice(0, 64));
  if (reasonCode.length > 16) {
    delete (concept as Partial<CodedConcept>).CodeValue;
    (concept as unknown as Record<string, string>).LongCodeValue = reasonCode;
  }
  return concept;
}

export function presence(positive: boolean): CodedConcept {
  return positive ? Concept.Present : Concept.Absent;
}

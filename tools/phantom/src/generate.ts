import fs from 'node:fs';
import path from 'node:path';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { geometryAt, samplePatientAnatomy, type Cohort, type PatientAnatomy } from './anatomy.js';
import { COHORT_CUES, DEFAULT_COHORT_CUES } from './cues.js';
import { addHardCases, bulgeAt, cordIndent, labelOf, NO_BULGE, planLevels, severityOf, type Bulge, type Severity } from './compression.js';
import { writeMrImage, type DicomAttributes } from './dicom-write.js';
import { writeLegacyConvertedMr } from './enhanced-write.js';
import { patientsCsv, slicesCsv, type PhantomPatientTruth, type PhantomSliceTruth } from './ground-truth.js';
import { sampleIdentity, type PatientIdentity } from './identity.js';
import { Prng } from './prng.js';
import { pixelSpacingFor, renderSlice, renderSliceWithTissue, type FlowArtefact, type RenderedSlice } from './render-axial.js';
import { renderReformat, type ReformatPlane } from './render-distractors.js';
import { phantomUid } from './uid.js';

export type { PhantomPatientTruth, PhantomSliceTruth } from './ground-truth.js';
export { COHORT_CUES, DEFAULT_COHORT_CUES, parseCohortCues, type CohortCuesName } from './cues.js';
export { renderSlice, renderSliceWithTissue, type AxialSliceParams, type RenderedSlice } from './render-axial.js';
export { phantomFixture, type PhantomFixture, type FixtureSpec } from './fixtures.js';

export interface PhantomOptions {
  patients: number;
  outDir: string;
  seed?: string | number;
  /** Share of controls; default 32/211 as in the study. */
  controlsFraction?: number;
  /** Rows = columns of every image; default 256. */
  rows?: number;
  /** Add a T1 sagittal series and a three-plane localizer per patient; default true. */
  distractors?: boolean;
  /** Write each axial T2 series as one Legacy Converted Enhanced MR object (PH12); default false. */
  enhanced?: boolean;
  /**
   * Strength of cohort cues outside compressed levels, 0..1 (PH13): 1 = the original phantom's
   * canal-width and disc-nucleus ranges by cohort, 0 = one distribution for both. Default mild (0.25).
   */
  cohortCues?: number;
  /**
   * Borderline dents, near misses, a cord spot that is not exclusive to positives, and CSF flow
   * artefacts (PH14, PH15). Default: on, except at cohortCues = 1, which reproduces the original
   * phantom byte for byte (PH13).
   */
  hardCases?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface PhantomResult {
  files: number;
  patients: PhantomPatientTruth[];
  slicesCsv: string;
  patientsCsv: string;
}

export const DEFAULT_CONTROLS_FRACTION = 32 / 211;
export const MIN_SLICES = 18;
export const MAX_SLICES = 82;
export const AXIAL_T2_DESCRIPTION = 'T2 TSE AX';
export const SLICES_CSV_NAME = 'ground_truth_slices.csv';
export const PATIENTS_CSV_NAME = 'ground_truth_patients.csv';

const AXIAL_IOP = [1, 0, 0, 0, 1, 0];
const SAGITTAL_IOP = [0, 1, 0, 0, 0, -1];
const CORONAL_IOP = [1, 0, 0, 0, 0, -1];

export type PhantomSeriesKind = 'AX_T2' | 'SAG_T1' | 'LOCALIZER';

/** One image to write: attributes plus how to draw it. Drawing is deferred so planning stays cheap. */
export interface PlannedImage {
  kind: PhantomSeriesKind;
  /** Path relative to outDir. */
  file: string;
  attributes: DicomAttributes;
  draw: () => Uint16Array;
  /** Axial T2 only: the same pixels with the tissue map, for tests that measure anatomy. */
  render?: () => RenderedSlice;
  /** The file's bytes when it is not one classic image (an enhanced object of several). */
  write?: () => Uint8Array;
}

export interface PlannedPatient {
  truth: PhantomPatientTruth;
  images: PlannedImage[];
}

/** DS values must fit 16 characters; rounding also keeps them identical across platforms. */
function ds(value: number, decimals = 4): number {
  return Number(value.toFixed(decimals));
}

function validate(opts: PhantomOptions): Required<Omit<PhantomOptions, 'onProgress'>> {
  const rows = opts.rows ?? 256;
  const controlsFraction = opts.controlsFraction ?? DEFAULT_CONTROLS_FRACTION;
  if (!Number.isInteger(opts.patients) || opts.patients < 1 || opts.patients > 10_000) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'patients must be a whole number from 1 to 10000');
  }
  if (!Number.isInteger(rows) || rows < 64 || rows > 1024) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'rows must be a whole number from 64 to 1024');
  }
  if (!(controlsFraction >= 0 && controlsFraction <= 1)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'controlsFraction must be between 0 and 1');
  }
  const cohortCues = opts.cohortCues ?? DEFAULT_COHORT_CUES;
  if (!(typeof cohortCues === 'number' && cohortCues >= 0 && cohortCues <= 1)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'cohortCues must be a number from 0 (none) to 1 (strong, the original phantom)');
  }
  if (!opts.outDir) throw new ConcordError(ErrorCode.BAD_INPUT, 'outDir is required');
  return {
    patients: opts.patients,
    outDir: opts.outDir,
    seed: opts.seed ?? 'concord',
    controlsFraction,
    rows,
    distractors: opts.distractors ?? true,
    enhanced: opts.enhanced ?? false,
    cohortCues,
    hardCases: opts.hardCases ?? cohortCues < COHORT_CUES.strong,
  };
}

/** Share of axial slices with CSF flow artefacts (PH15), whatever their label. */
const FLOW_ARTEFACT_SHARE = 0.3;

/** Voids and ghosting for one slice, or none; drawn from the slice's own stream (PH15). */
function flowArtefact(rng: Prng): FlowArtefact | undefined {
  if (!rng.chance(FLOW_ARTEFACT_SHARE)) return undefined;
  const voids = Array.from({ length: rng.int(0, 3) }, () => ({
    side: rng.pick([-1, 1] as const),
    across: rng.uniform(0.2, 0.8),
    dyMm: rng.uniform(-2.5, 2.5),
    radiusMm: rng.uniform(0.5, 1.2),
    depth: rng.uniform(0.4, 0.9),
  }));
  const ghost = rng.chance(0.6);
  return { voids, ghostShiftMm: rng.uniform(8, 30), ghostStrength: ghost ? rng.uniform(0.04, 0.14) : 0 };
}

/** Slice counts lean towards the short end of the study's 18–82 range. */
function sliceCount(rng: Prng): number {
  return MIN_SLICES + Math.round((MAX_SLICES - MIN_SLICES) * rng.unit() ** 1.6);
}

function studyAttributes(id: PatientIdentity, studyUid: string, frameUid: string, a: PatientAnatomy, fieldT: number): Record<string, unknown> {
  return {
    PatientName: id.patientName,
    PatientID: id.patientId,
    PatientBirthDate: id.birthDate,
    PatientSex: id.sex,
    PatientAge: id.age,
    StudyDate: id.studyDate,
    StudyTime: id.studyTime,
    SeriesDate: id.studyDate,
    ContentDate: id.studyDate,
    InstitutionName: id.institutionName,
    AccessionNumber: id.accessionNumber,
    ReferringPhysicianName: id.referringPhysician,
    StudyID: id.studyId,
    StudyDescription: 'MRI CERVICAL SPINE',
    StudyInstanceUID: studyUid,
    FrameOfReferenceUID: frameUid,
    Modality: 'MR',
    Manufacturer: 'CONCORD',
    ManufacturerModelName: 'SYNTHETIC PHANTOM',
    MagneticFieldStrength: fieldT,
    BodyPartExamined: 'CSPINE',
    PatientPosition: 'HFS',
    WindowCenter: Math.round(900 * a.gain),
    WindowWidth: Math.round(2200 * a.gain),
  };
}

interface PatientPlanOptions {
  rows: number;
  distractors: boolean;
  cohortCues: number;
  hardCases: boolean;
}

function planPatient(seed: string, index: number, cohort: Cohort, o: PatientPlanOptions): PlannedPatient {
  const { rows, distractors } = o;
  const rng = new Prng(seed).fork('patient', index);
  const anatomy = samplePatientAnatomy(rng.fork('anatomy'), cohort, o.cohortCues);
  const id = sampleIdentity(rng.fork('identity'), index);
  const geo = rng.fork('geometry');
  const nSlices = sliceCount(geo);
  const step = anatomy.sliceStepMm;
  // Instance 1 is the most cranial slice; z (LPS, +z towards the head) falls with instance number.
  const zTop = ds(geo.uniform(-20, 40), 2);
  const zs = Array.from({ length: nSlices }, (_, k) => ds(zTop - k * step, 2));
  const planned = planLevels(rng.fork('levels'), anatomy, zs[nSlices - 1], zs[0]);
  // Hard cases come from streams of their own: the same seed plans the same anatomy and levels either way.
  const levels = o.hardCases ? addHardCases(rng.fork('hard-cases'), anatomy, planned, zs[nSlices - 1], zs[0]) : planned;
  const studyUid = phantomUid(seed, 'study', index);
  const frameUid = phantomUid(seed, 'frame', index);
  const fieldT = geo.pick([1.5, 3]);
  const study = studyAttributes(id, studyUid, frameUid, anatomy, fieldT);
  const ps = pixelSpacingFor(anatomy, rows);
  const corner = ds(-(rows / 2 - 0.5) * ps, 3);
  const folder = id.patientKey;
  const images: PlannedImage[] = [];
  const slices: PhantomSliceTruth[] = [];

  // Axial T2: file names are a shuffled number so nothing but geometry tells slice order.
  const axialSeries = phantomUid(seed, 'series', index, 'ax-t2');
  const fileNumbers = rng.fork('files').shuffle(Array.from({ length: nSlices }, (_, k) => k + 1));
  zs.forEach((z, k) => {
    const g = geometryAt(anatomy, z);
    const bulge: Bulge = bulgeAt(anatomy, levels, g, z);
    const severity: Severity = severityOf(g, bulge);
    const indent = cordIndent(g, bulge);
    const flow = o.hardCases ? flowArtefact(rng.fork('flow', k + 1)) : undefined;
    const sopUid = phantomUid(seed, 'sop', index, 'ax-t2', k + 1);
    const file = path.join(folder, 'series-3', `${fileNumbers[k]}.dcm`);
    slices.push({
      patientKey: id.patientKey,
      patientId: id.patientId,
      cohort,
      studyUid,
      seriesUid: axialSeries,
      sopUid,
      instanceNumber: k + 1,
      zMm: z,
      severity,
      label: labelOf(severity),
      file,
      indentMm: Math.max(indent.anteriorMm, indent.posteriorMm),
      cordSpot: bulge.myelopathy,
      flowArtefact: flow !== undefined,
    });
    images.push({
      kind: 'AX_T2',
      file,
      attributes: {
        ...study,
        SOPInstanceUID: sopUid,
        SeriesInstanceUID: axialSeries,
        SeriesNumber: 3,
        SeriesDescription: AXIAL_T2_DESCRIPTION,
        ProtocolName: 't2_tse_tra_cs',
        ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
        ScanningSequence: 'SE',
        SequenceVariant: 'SK',
        MRAcquisitionType: '2D',
        EchoTime: anatomy.echoTimeMs,
        RepetitionTime: anatomy.repetitionTimeMs,
        EchoTrainLength: 15,
        AcquisitionNumber: 1,
        InstanceNumber: k + 1,
        SliceThickness: anatomy.sliceThicknessMm,
        SpacingBetweenSlices: ds(step, 2),
        ImageOrientationPatient: AXIAL_IOP,
        ImagePositionPatient: [corner, corner, z],
        SliceLocation: z,
        PixelSpacing: [ps, ps],
      },
      draw: () => renderSlice({ anatomy, rows, zMm: z, bulge, noiseKey: `${seed}/patient/${index}/ax/${k + 1}`, flow }),
      render: () => renderSliceWithTissue({ anatomy, rows, zMm: z, bulge, noiseKey: `${seed}/patient/${index}/ax/${k + 1}`, flow }),
    });
  });

  if (distractors) {
    const zMid = ds((zs[0] + zs[nSlices - 1]) / 2, 2);
    const half = ds((rows / 2 - 0.5) * ps, 3);
    const reformat = (plane: ReformatPlane, offsetMm: number, noiseKey: string, contrast: number) => () =>
      renderReformat({ anatomy, rows, plane, offsetMm, centreZMm: zMid, noiseKey, contrast });

    // T1 sagittal: a few parasagittal slices through the canal.
    const sagSeries = phantomUid(seed, 'series', index, 'sag-t1');
    const nSag = geo.int(3, 5);
    for (let k = 0; k < nSag; k++) {
      const offset = ds((k - (nSag - 1) / 2) * 3.5, 2);
      const x = ds(anatomy.canalOffsetX + offset, 3);
      images.push({
        kind: 'SAG_T1',
        file: path.join(folder, 'series-2', `${k + 1}.dcm`),
        attributes: {
          ...study,
          SOPInstanceUID: phantomUid(seed, 'sop', index, 'sag-t1', k + 1),
          SeriesInstanceUID: sagSeries,
          SeriesNumber: 2,
          SeriesDescription: 'T1 SAG',
          ProtocolName: 't1_tse_sag',
          ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
          ScanningSequence: 'SE',
          SequenceVariant: 'SK',
          MRAcquisitionType: '2D',
          EchoTime: 10,
          RepetitionTime: 500,
          InstanceNumber: k + 1,
          SliceThickness: 3,
          SpacingBetweenSlices: 3.5,
          ImageOrientationPatient: SAGITTAL_IOP,
          ImagePositionPatient: [x, ds(anatomy.canalOffsetY + anatomy.neckCentreY - half, 3), ds(zMid + half, 3)],
          SliceLocation: x,
          PixelSpacing: [ps, ps],
        },
        draw: reformat('SAGITTAL', offset, `${seed}/patient/${index}/sag/${k + 1}`, 1),
      });
    }

    // Three-plane localizer; its axial image is the trap for an ingest that trusts orientation alone.
    const locSeries = phantomUid(seed, 'series', index, 'localizer');
    const loc = (k: number, iop: number[], ipp: number[], draw: () => Uint16Array): PlannedImage => ({
      kind: 'LOCALIZER',
      file: path.join(folder, 'series-1', `${k}.dcm`),
      attributes: {
        ...study,
        SOPInstanceUID: phantomUid(seed, 'sop', index, 'localizer', k),
        SeriesInstanceUID: locSeries,
        SeriesNumber: 1,
        SeriesDescription: 'LOCALIZER',
        ProtocolName: 'localizer',
        ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'],
        ScanningSequence: 'GR',
        SequenceVariant: 'SP',
        MRAcquisitionType: '2D',
        EchoTime: 4.6,
        RepetitionTime: 8.6,
        InstanceNumber: k,
        SliceThickness: 8,
        ImageOrientationPatient: iop,
        ImagePositionPatient: ipp,
        PixelSpacing: [ps, ps],
      },
      draw,
    });
    images.push(
      loc(
        1,
        SAGITTAL_IOP,
        [ds(anatomy.canalOffsetX, 3), ds(anatomy.canalOffsetY + anatomy.neckCentreY - half, 3), ds(zMid + half, 3)],
        reformat('SAGITTAL', 0, `${seed}/patient/${index}/loc/1`, 0.6),
      ),
    );
    images.push(
      loc(2, CORONAL_IOP, [corner, ds(anatomy.canalOffsetY - 10, 3), ds(zMid + half, 3)], reformat('CORONAL', -10, `${seed}/patient/${index}/loc/2`, 0.6)),
    );
    images.push(
      loc(3, AXIAL_IOP, [corner, corner, zMid], () => renderSlice({ anatomy, rows, zMm: zMid, bulge: NO_BULGE, noiseKey: `${seed}/patient/${index}/loc/3` })),
    );
  }

  const nPositive = slices.filter((s) => s.label === 1).length;
  return {
    truth: { patientKey: id.patientKey, patientId: id.patientId, cohort, studyUid, nSlices, nPositive, slices },
    images,
  };
}

/**
 * Replaces a patient's axial T2 images by one Legacy Converted Enhanced MR file, frames in the
 * order of the shuffled file numbers; the ground truth's `file` then names that object.
 */
function enhancedPlan(seed: string, patient: PlannedPatient): void {
  const axial = patient.images.filter((i) => i.kind === 'AX_T2');
  const byFileNumber = [...axial].sort((a, b) => a.file.localeCompare(b.file, undefined, { numeric: true }));
  const first = axial[0];
  const file = path.join(path.dirname(first.file), 'enhanced.dcm');
  const sopUid = phantomUid(seed, 'sop', patient.truth.patientKey, 'ax-t2-enhanced');
  for (const s of patient.truth.slices) s.file = file;
  const enhanced: PlannedImage = {
    kind: 'AX_T2',
    file,
    attributes: { ...first.attributes, SOPInstanceUID: sopUid },
    draw: first.draw,
    write: () => {
      const frames = byFileNumber.map((i) => ({ attributes: i.attributes, pixels: i.draw() }));
      const size = Math.round(Math.sqrt(frames[0].pixels.length));
      return writeLegacyConvertedMr(sopUid, frames, size, size);
    },
  };
  patient.images = [enhanced, ...patient.images.filter((i) => i.kind !== 'AX_T2')];
}

/** Which patient indices are controls: a seeded choice of round(patients × fraction). */
function cohortsFor(seed: string, patients: number, controlsFraction: number): Cohort[] {
  const nControls = Math.round(patients * controlsFraction);
  const order = new Prng(seed).fork('cohorts').shuffle(Array.from({ length: patients }, (_, i) => i));
  const cohorts: Cohort[] = new Array(patients).fill('DCM');
  for (const i of order.slice(0, nControls)) cohorts[i] = 'CONTROL';
  return cohorts;
}

/**
 * Decides everything (cohorts, anatomy, levels, UIDs, attributes, ground truth) without drawing
 * or writing anything; `draw()` on an image renders its pixels. generatePhantom writes this plan.
 */
export function planPhantom(opts: PhantomOptions): PlannedPatient[] {
  const o = validate(opts);
  const seed = String(o.seed);
  const cohorts = cohortsFor(seed, o.patients, o.controlsFraction);
  return cohorts.map((cohort, i) => planPatient(seed, i, cohort, o));
}

/**
 * Writes a synthetic multi-patient cervical-spine MR study set plus its ground truth (SPEC.md).
 * Everything is a function of the options: the same seed gives byte-identical files.
 */
export async function generatePhantom(opts: PhantomOptions): Promise<PhantomResult> {
  const o = validate(opts);
  const planned = planPhantom(opts);
  if (o.enhanced) for (const patient of planned) enhancedPlan(String(o.seed), patient);
  const total = planned.reduce((n, p) => n + p.images.length, 0);
  await fs.promises.mkdir(o.outDir, { recursive: true });
  let done = 0;
  for (const patient of planned) {
    for (const image of patient.images) {
      const dest = path.join(o.outDir, image.file);
      await fs.promises.mkdir(path.dirname(dest), { recursive: true });
      await fs.promises.writeFile(dest, image.write ? image.write() : writeMrImage(image.attributes, image.draw(), o.rows, o.rows));
      done++;
      opts.onProgress?.(done, total);
    }
  }
  const patients = planned.map((p) => p.truth);
  const result: PhantomResult = { files: total, patients, slicesCsv: slicesCsv(patients), patientsCsv: patientsCsv(patients) };
  await fs.promises.writeFile(path.join(o.outDir, SLICES_CSV_NAME), result.slicesCsv);
  await fs.promises.writeFile(path.join(o.outDir, PATIENTS_CSV_NAME), result.patientsCsv);
  return result;
}

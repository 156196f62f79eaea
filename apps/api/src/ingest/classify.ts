/**
 * Per-file selection: is this an MR image of an axial T2 series under the project's rules?
 * Throws a SKIPPED verdict for files that are fine but not wanted, REJECTED for broken ones.
 */
import type { NaturalDataset } from '@concord/dicom';
import { reject, skip } from './outcome.js';
import { num, nums, str, strs } from './parse-instance.js';
import { DEFAULT_LIMITS, type IngestLimits } from './limits.js';
import type { SeriesRules } from './series-rules.js';
import { angleFromAxialDeg, sliceNormal } from './slice-normal.js';

const NON_IMAGE_MODALITIES = new Set(['SR', 'PR', 'KO', 'SEG', 'DOC', 'RTSTRUCT', 'RTPLAN', 'RTRECORD', 'RTDOSE', 'ECG', 'HD', 'REG', 'FID', 'AU', 'PLAN']);
const DIRECTORY_SOP_CLASS = '1.2.840.10008.1.3.10';
const RAW_DATA_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66';

export interface CandidateInfo {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  patientId: string | undefined;
  description: string | undefined;
  echoTime: number | undefined;
  repetitionTime: number | undefined;
  orientation: number[];
  normal: [number, number, number];
  position: number[] | undefined;
  rows: number;
  cols: number;
}

function isT2(ds: NaturalDataset, rules: SeriesRules): { ok: boolean; why: string } {
  const te = num(ds, 'EchoTime');
  const tr = num(ds, 'RepetitionTime');
  const seq = strs(ds, 'ScanningSequence').flatMap((s) => s.split('\\'));
  if (seq.includes('EP')) return { ok: false, why: 'it is an echo-planar (diffusion or functional) acquisition' };
  if (seq.includes('IR')) return { ok: false, why: 'it is an inversion-recovery (FLAIR/STIR) acquisition' };
  // Enhanced MR frames state their contrast; only a stated contrast other than T2 excludes.
  const contrast = str(ds, 'AcquisitionContrast')?.toUpperCase();
  if (contrast && !['T2', 'UNKNOWN', 'MIXED'].includes(contrast))
    return { ok: false, why: `its frames are ${contrast.toLowerCase().replace(/_/g, ' ')}-weighted (acquisition contrast ${contrast})` };
  if (te !== undefined && tr !== undefined) {
    if (te < rules.minEchoTimeMs || te > rules.maxEchoTimeMs)
      return { ok: false, why: `its echo time ${te} ms is outside ${rules.minEchoTimeMs}–${rules.maxEchoTimeMs} ms` };
    if (tr < rules.minRepetitionTimeMs) return { ok: false, why: `its repetition time ${tr} ms is below ${rules.minRepetitionTimeMs} ms` };
    return { ok: true, why: '' };
  }
  const description = str(ds, 'SeriesDescription') ?? '';
  if (new RegExp(rules.descriptionPattern, 'i').test(description)) return { ok: true, why: '' };
  return { ok: false, why: 'it has no echo and repetition times and its series description does not name T2' };
}

/** Caps before any pixel memory is taken: the header alone says how much decoding would need. */
export function checkLimits(ds: NaturalDataset, limits: IngestLimits): void {
  const rows = num(ds, 'Rows') ?? 0;
  const cols = num(ds, 'Columns') ?? 0;
  const frames = num(ds, 'NumberOfFrames') ?? 1;
  if (rows * cols > limits.maxImagePixels) {
    reject(
      'IMAGE_TOO_LARGE',
      `The image declares ${cols}×${rows} pixels, more than the ${limits.maxImagePixels} pixels per frame this server accepts (CONCORD_INGEST_MAX_PIXELS).`,
    );
  }
  if (frames > limits.maxFrames) {
    reject(
      'IMAGE_TOO_LARGE',
      `The image declares ${frames} frames, more than the ${limits.maxFrames} this server accepts in one file (CONCORD_INGEST_MAX_FRAMES).`,
    );
  }
}

export function classify(ds: NaturalDataset, rules: SeriesRules, limits: IngestLimits = DEFAULT_LIMITS): CandidateInfo {
  const sopClass = str(ds, 'SOPClassUID') ?? '';
  const modality = (str(ds, 'Modality') ?? '').toUpperCase();
  if (sopClass === DIRECTORY_SOP_CLASS || str(ds, 'FileSetID') !== undefined || ds.DirectoryRecordSequence)
    skip('NOT_IMAGE', 'The file is a DICOMDIR (media directory), not an image.');
  if (NON_IMAGE_MODALITIES.has(modality)) skip('NOT_IMAGE', `The file is a ${modality} object, not an image.`);
  if (sopClass === RAW_DATA_SOP_CLASS) skip('NOT_IMAGE', 'The file is a raw data object, not an image.');
  const hasPixels = ds.PixelData !== undefined || ds.FloatPixelData !== undefined || ds.DoubleFloatPixelData !== undefined;
  const rows = num(ds, 'Rows');
  const cols = num(ds, 'Columns');
  if (!rows || !cols) skip('NOT_IMAGE', 'The file has no image (no Rows and Columns).');
  if (!hasPixels) reject('NO_PIXEL_DATA', 'The image has Rows and Columns but no pixel data.');
  if (modality !== 'MR') skip('NOT_MR', `The image is ${modality || 'of unknown modality'}, not MR.`);
  checkLimits(ds, limits);
  const studyUid = str(ds, 'StudyInstanceUID');
  const seriesUid = str(ds, 'SeriesInstanceUID');
  const sopUid = str(ds, 'SOPInstanceUID');
  if (!studyUid || !seriesUid || !sopUid) reject('PARSE_ERROR', 'The image lacks a Study, Series or SOP Instance UID.');
  const orientation = nums(ds, 'ImageOrientationPatient');
  const normal = sliceNormal(orientation);
  if (!orientation || !normal) reject('MISSING_GEOMETRY', 'The image has no usable Image Orientation (Patient).');
  const angle = angleFromAxialDeg(normal);
  if (angle > rules.maxAxialAngleDeg) skip('NOT_AXIAL', `The slice plane is ${angle.toFixed(0)}° from axial (limit ${rules.maxAxialAngleDeg}°).`);
  const t2 = isT2(ds, rules);
  if (!t2.ok) skip('NOT_T2', `The series is not T2-weighted: ${t2.why}.`);
  const position = nums(ds, 'ImagePositionPatient');
  return {
    studyUid,
    seriesUid,
    sopUid,
    patientId: str(ds, 'PatientID'),
    description: str(ds, 'SeriesDescription'),
    echoTime: num(ds, 'EchoTime'),
    repetitionTime: num(ds, 'RepetitionTime'),
    orientation,
    normal,
    position: position && position.length === 3 ? position : undefined,
    rows,
    cols,
  };
}

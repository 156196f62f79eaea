import { ConcordError, ErrorCode } from '@concord/contracts';
import { assertCount } from './table.js';
import { sensitivitySpecificity } from './diagnostic.js';

/** One patient as the screening rule sees it. */
export interface ScreeningPatient {
  patientId: string;
  /** True cohort: true = DCM, false = control. */
  positive: boolean;
  /** Number of the patient's slices the model predicts as compressed. */
  predictedPositiveSlices: number;
}

export interface ScreeningRow {
  minPositiveSlices: number;
  truePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  falsePositives: number;
  /** Null when there is no DCM patient (no reference positives). */
  sensitivity: number | null;
  sensitivityLow: number | null;
  sensitivityHigh: number | null;
  /** Null when there is no control patient. */
  specificity: number | null;
  specificityLow: number | null;
  specificityHigh: number | null;
}

export interface ScreeningResult {
  minPositiveSlices: number;
  row: ScreeningRow;
  /** Rows for k = 0..10: the ROC over the slice-count threshold. */
  roc: ScreeningRow[];
}

export const DEFAULT_SCREENING_K = 1;
export const SCREENING_ROC_MAX_K = 10;

/**
 * The study's rule: a patient is abnormal when MORE than k slices are predicted positive.
 * k = 1 (the default, "more than one slice") therefore needs at least 2 slices. [AG10]
 */
export function isAbnormal(predictedPositiveSlices: number, k: number): boolean {
  return predictedPositiveSlices > k;
}

/** Patient-level confusion counts and Wilson 95% CIs at one threshold k. [AG10] [AG11] */
export function screeningRow(patients: readonly ScreeningPatient[], k: number): ScreeningRow {
  assertK(k);
  assertPatients(patients);
  return rowAt(patients, k);
}

/**
 * The row at k (default 1) plus the ROC rows for k = 0..10. Each patient must appear once:
 * the rule is per patient, so a duplicate would count one person twice. [AG10] [AG12]
 */
export function screening(patients: readonly ScreeningPatient[], k = DEFAULT_SCREENING_K): ScreeningResult {
  assertK(k);
  assertPatients(patients);
  const roc: ScreeningRow[] = [];
  for (let t = 0; t <= SCREENING_ROC_MAX_K; t++) roc.push(rowAt(patients, t));
  return { minPositiveSlices: k, row: rowAt(patients, k), roc };
}

function rowAt(patients: readonly ScreeningPatient[], k: number): ScreeningRow {
  let tp = 0,
    fn = 0,
    tn = 0,
    fp = 0;
  for (const p of patients) {
    const abnormal = isAbnormal(p.predictedPositiveSlices, k);
    if (p.positive) abnormal ? tp++ : fn++;
    else abnormal ? fp++ : tn++;
  }
  const { sensitivity, specificity } = sensitivitySpecificity({ tp, fn, tn, fp });
  return {
    minPositiveSlices: k,
    truePositives: tp,
    falseNegatives: fn,
    trueNegatives: tn,
    falsePositives: fp,
    sensitivity: sensitivity?.estimate ?? null,
    sensitivityLow: sensitivity?.low ?? null,
    sensitivityHigh: sensitivity?.high ?? null,
    specificity: specificity?.estimate ?? null,
    specificityLow: specificity?.low ?? null,
    specificityHigh: specificity?.high ?? null,
  };
}

function assertK(k: number): void {
  if (!Number.isInteger(k) || k < 0) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `minPositiveSlices must be a whole number of at least 0, got ${String(k)}`);
  }
}

function assertPatients(patients: readonly ScreeningPatient[]): void {
  const seen = new Set<string>();
  for (const p of patients) {
    assertCount(p.predictedPositiveSlices, 'predictedPositiveSlices');
    if (typeof p.positive !== 'boolean')
      throw new ConcordError(ErrorCode.BAD_INPUT, 'each patient needs a true cohort (positive: true for DCM, false for control)');
    // The id is a database id, never a patient identifier, so it may appear in the message.
    if (seen.has(p.patientId)) throw new ConcordError(ErrorCode.BAD_INPUT, `patient ${p.patientId} is listed twice; give one row per patient`);
    seen.add(p.patientId);
  }
}

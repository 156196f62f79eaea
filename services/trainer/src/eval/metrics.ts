import { expectedCalibrationError, rocAucWithCi, screening, sensitivitySpecificity, type ScreeningResult } from '@concord/stats';

import type { OperatingPoint } from './operating-point.js';
import type { Calibration } from './calibration.js';

export interface SliceOutcome {
  probability: number;
  label: 0 | 1;
}
export interface PatientOutcome {
  patientId: string;
  cohort: 'CONTROL' | 'DCM';
  predictedPositiveSlices: number;
}

/** Stored in model_versions.metrics; field names follow the GraphQL ModelMetrics type. */
export interface RoundMetrics {
  accuracy: number | null;
  sensitivity: number | null;
  specificity: number | null;
  auc: number | null;
  /** 95% interval of the AUC: score-type, Hanley–McNeil variance (AG19). */
  aucLow?: number | null;
  aucHigh?: number | null;
  ece: number | null;
  testSlices: number;
  testPatients: number;
  /** Slice probability at or above which the model calls a slice compressed. */
  threshold: number;
  /** Whether the threshold was chosen on calibration patients (TR20) or left at 0.5. */
  thresholdChosenOn?: 'validation' | 'default';
  /** How the threshold was chosen: rule, target sensitivity, what it reached and on how many. */
  operatingPoint?: OperatingPoint;
  /** Prior-shift + temperature scaling fitted on calibration patients, ECE before and after. */
  calibration?: Calibration;
  screeningK: number;
  screening: ScreeningResult | null;
}

/**
 * Metrics on the frozen test set only (TR10): slice-level on final-labelled test slices,
 * patient-level screening (abnormal when more than k slices are predicted positive) against
 * the cohort, with the ROC over k.
 */
export function evaluate(slices: SliceOutcome[], patients: PatientOutcome[], k: number, threshold = 0.5): RoundMetrics {
  let tp = 0,
    tn = 0,
    fp = 0,
    fn = 0;
  for (const s of slices) {
    const pred = s.probability >= threshold;
    if (s.label === 1) pred ? tp++ : fn++;
    else pred ? fp++ : tn++;
  }
  const diag = sensitivitySpecificity({ tp, fn, tn, fp });
  const probs = slices.map((s) => s.probability);
  const labels = slices.map((s) => s.label);
  const auc = slices.length ? rocAucWithCi(probs, labels) : null;
  return {
    accuracy: slices.length ? (tp + tn) / slices.length : null,
    sensitivity: diag.sensitivity?.estimate ?? null,
    specificity: diag.specificity?.estimate ?? null,
    auc: auc?.estimate ?? null,
    aucLow: auc?.low ?? null,
    aucHigh: auc?.high ?? null,
    ece: slices.length ? expectedCalibrationError(probs, labels) : null,
    testSlices: slices.length,
    testPatients: patients.length,
    threshold,
    screeningK: k,
    screening: patients.length
      ? screening(
          patients.map((p) => ({ patientId: p.patientId, positive: p.cohort === 'DCM', predictedPositiveSlices: p.predictedPositiveSlices })),
          k,
        )
      : null,
  };
}

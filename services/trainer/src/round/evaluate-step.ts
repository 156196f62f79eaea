import { applyCalibration, fitCalibration, type Calibration } from '../eval/calibration.js';
import { chooseOperatingPoint, type OperatingPoint } from '../eval/operating-point.js';
import { evaluate, type PatientOutcome, type RoundMetrics } from '../eval/metrics.js';
import type { RoundPartition } from './partition.js';

export interface RoundEvaluation {
  calibration: Calibration;
  /** Calibrated probability of every usable slice, in `usable` order: what the version stores. */
  probability: number[];
  operatingPoint: OperatingPoint;
  thresholdChosenOn: 'default' | 'validation';
  /** Legacy ModelMetrics on the test slices labelled so far: shown, never decided on (EV3, TR11). */
  metrics: RoundMetrics;
}

/**
 * The evaluate step, pure: calibration fitted on the calibration patients only (TR19), the
 * threshold for the lead's target patient sensitivity chosen on them too (TR20), then the test
 * slices scored at that threshold. `deterministic` is the head's dropout-free output per usable slice.
 */
export function evaluateRound(
  part: Pick<RoundPartition, 'usable' | 'trainRows' | 'calibrationRows' | 'calibrationPatients'>,
  deterministic: ArrayLike<number>,
  settings: { screeningK: number; targetSensitivity: number },
): RoundEvaluation {
  const { usable, trainRows, calibrationRows, calibrationPatients } = part;
  const indexOf = new Map(usable.map((s, i) => [s.id, i]));
  const trainPrevalence = trainRows.filter((s) => s.label === 1).length / trainRows.length;
  const calibration = fitCalibration(
    calibrationRows.map((s) => deterministic[indexOf.get(s.id)!]),
    calibrationRows.map((s) => s.label as number),
    trainPrevalence,
  );
  const probability = usable.map((_, i) => applyCalibration(calibration, deterministic[i]));
  const caseSlices = new Map<string, number[]>();
  usable.forEach((s, i) => {
    if (calibrationPatients.has(s.patientId) && s.cohort === 'DCM') caseSlices.set(s.patientId, [...(caseSlices.get(s.patientId) ?? []), probability[i]]);
  });
  const operatingPoint = chooseOperatingPoint(
    [...caseSlices.values()].map((probabilities) => ({ probabilities })),
    calibrationRows.map((s) => ({ probability: probability[indexOf.get(s.id)!], label: s.label as 0 | 1 })),
    settings.screeningK,
    settings.targetSensitivity,
  );
  const threshold = operatingPoint.threshold;
  const testSlices = usable.map((s, i) => ({ s, p: probability[i] })).filter(({ s }) => s.isTest);
  const perPatient = new Map<string, PatientOutcome>();
  for (const { s, p } of testSlices) {
    if (!s.cohort) continue;
    const o = perPatient.get(s.patientId) ?? { patientId: s.patientId, cohort: s.cohort, predictedPositiveSlices: 0 };
    if (p >= threshold) o.predictedPositiveSlices += 1;
    perPatient.set(s.patientId, o);
  }
  const metrics = evaluate(
    testSlices.filter(({ s }) => s.label !== null).map(({ s, p }) => ({ probability: p, label: s.label as 0 | 1 })),
    [...perPatient.values()],
    settings.screeningK,
    threshold,
  );
  return { calibration, probability, operatingPoint, thresholdChosenOn: operatingPoint.rule === 'default' ? 'default' : 'validation', metrics };
}

import { rocAuc } from './roc-auc.js';
import { clusterBootstrap, DEFAULT_RESAMPLES, type BootstrapInterval } from './cluster-bootstrap.js';

/** Fewer patients than this in a class and the figure is "insufficient", not a number. [EV6] */
export const MIN_PATIENTS_PER_CLASS = 10;

/** A figure with its 95% interval, how it was made and what it rests on. [EV5] */
export interface Estimate { value: number; low: number; high: number; method: string; patients: number; slices: number }

/** One evaluation-set patient: its labelled slices, its cohort, and the screening call's input. */
export interface EvalPatient {
  patientId: string;
  cohort: 'CONTROL' | 'DCM' | null;
  /** Labelled slices: probability from the version, final label. */
  slices: { probability: number; label: 0 | 1 }[];
  /** Slices (labelled or not) at or above the version's threshold, for the screening rule. */
  predictedPositiveSlices: number;
}

export interface EvaluationFigures {
  auc: Estimate | null;
  sensitivity: Estimate | null;
  specificity: Estimate | null;
  balancedAccuracy: Estimate | null;
  patientSensitivity: Estimate | null;
  patientSpecificity: Estimate | null;
  /** "patientSpecificity: insufficient: 2 controls", one per figure withheld. */
  insufficient: string[];
}

type Key = 'auc' | 'sensitivity' | 'specificity' | 'balancedAccuracy' | 'patientSensitivity' | 'patientSpecificity';

function figures(sample: readonly EvalPatient[], threshold: number, k: number): Record<Key, number | null> {
  let tp = 0, fn = 0, tn = 0, fp = 0, caseHit = 0, cases = 0, controlClear = 0, controls = 0;
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (const p of sample) {
    for (const s of p.slices) {
      scores.push(s.probability);
      labels.push(s.label);
      const called = s.probability >= threshold;
      if (s.label === 1) { if (called) tp++; else fn++; } else if (called) fp++; else tn++;
    }
    // The study's rule: abnormal when MORE than k slices are called positive (AG10).
    const abnormal = p.predictedPositiveSlices > k;
    if (p.cohort === 'DCM') { cases++; if (abnormal) caseHit++; }
    if (p.cohort === 'CONTROL') { controls++; if (!abnormal) controlClear++; }
  }
  const sensitivity = tp + fn ? tp / (tp + fn) : null;
  const specificity = tn + fp ? tn / (tn + fp) : null;
  return {
    auc: rocAuc(scores, labels),
    sensitivity,
    specificity,
    balancedAccuracy: sensitivity !== null && specificity !== null ? (sensitivity + specificity) / 2 : null,
    patientSensitivity: cases ? caseHit / cases : null,
    patientSpecificity: controls ? controlClear / controls : null,
  };
}

export interface EvaluateOptions { threshold: number; k: number; seed: string; resamples?: number }

export function bootstrapMethod(resamples: number, seed: string): string {
  return `patient-clustered bootstrap, ${resamples} resamples (seed ${seed}), 95% percentile interval`;
}

/**
 * Slice figures (AUC, sensitivity, specificity, balanced accuracy at the threshold) pooled over
 * labelled slices, and patient figures (the screening rule against the cohort), each with a
 * patient-clustered bootstrap interval [EV5]. A figure whose class rests on fewer than
 * MIN_PATIENTS_PER_CLASS patients is withheld and named in `insufficient` [EV6]. Accuracy is not
 * computed: at 8% prevalence it mostly measures the negatives.
 */
export function evaluateWithIntervals(patients: readonly EvalPatient[], opts: EvaluateOptions): EvaluationFigures {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const point = figures(patients, opts.threshold, opts.k);
  const ci = clusterBootstrap(patients, (s) => figures(s, opts.threshold, opts.k), { resamples, seed: opts.seed });
  const method = bootstrapMethod(resamples, opts.seed);

  const withPositive = patients.filter((p) => p.slices.some((s) => s.label === 1));
  const withNegative = patients.filter((p) => p.slices.some((s) => s.label === 0));
  const cases = patients.filter((p) => p.cohort === 'DCM');
  const controls = patients.filter((p) => p.cohort === 'CONTROL');
  const slicesOf = (ps: readonly EvalPatient[]) => ps.reduce((n, p) => n + p.slices.length, 0);
  const posSlices = patients.reduce((n, p) => n + p.slices.filter((s) => s.label === 1).length, 0);
  const negSlices = slicesOf(patients) - posSlices;

  const insufficient: string[] = [];
  const short = (n: number) => n < MIN_PATIENTS_PER_CLASS;
  const make = (key: Key, reasons: string[], restsOn: readonly EvalPatient[], slices: number): Estimate | null => {
    if (reasons.length) { insufficient.push(`${key}: insufficient: ${reasons.join(', ')}`); return null; }
    const v = point[key];
    const interval: BootstrapInterval | null = ci[key];
    if (v === null || !interval) { insufficient.push(`${key}: insufficient: undefined on this set`); return null; }
    return { value: v, low: interval.low, high: interval.high, method, patients: restsOn.length, slices };
  };
  const posReason = short(withPositive.length) ? [`${withPositive.length} patients with positive slices`] : [];
  const negReason = short(withNegative.length) ? [`${withNegative.length} patients with negative slices`] : [];
  const allLabelled = patients.filter((p) => p.slices.length > 0);
  return {
    auc: make('auc', [...posReason, ...negReason], allLabelled, slicesOf(patients)),
    sensitivity: make('sensitivity', posReason, withPositive, posSlices),
    specificity: make('specificity', negReason, withNegative, negSlices),
    balancedAccuracy: make('balancedAccuracy', [...posReason, ...negReason], allLabelled, slicesOf(patients)),
    patientSensitivity: make('patientSensitivity', short(cases.length) ? [`${cases.length} cases`] : [], cases, slicesOf(cases)),
    patientSpecificity: make('patientSpecificity', short(controls.length) ? [`${controls.length} controls`] : [], controls, slicesOf(controls)),
    insufficient,
  };
}

/** One evaluation-set patient's labelled slices scored by two versions. */
export interface PairedPatient { patientId: string; slices: { a: number; b: number; label: 0 | 1 }[] }

export type PairedResult = { estimate: Estimate } | { insufficient: string };

/**
 * ΔAUC = AUC(b) − AUC(a) on the same labelled slices, with a paired patient bootstrap: each
 * resample draws patients once and scores both versions on them, so what the two share (the
 * same hard patients) cancels. [EV7]
 */
export function pairedAucDifference(patients: readonly PairedPatient[], opts: { seed: string; resamples?: number }): PairedResult {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const withPositive = patients.filter((p) => p.slices.some((s) => s.label === 1)).length;
  const withNegative = patients.filter((p) => p.slices.some((s) => s.label === 0)).length;
  const reasons = [
    ...(withPositive < MIN_PATIENTS_PER_CLASS ? [`${withPositive} patients with positive slices`] : []),
    ...(withNegative < MIN_PATIENTS_PER_CLASS ? [`${withNegative} patients with negative slices`] : []),
  ];
  if (reasons.length) return { insufficient: `insufficient: ${reasons.join(', ')}` };
  const delta = (sample: readonly PairedPatient[]) => {
    const a: number[] = [], b: number[] = [], y: (0 | 1)[] = [];
    for (const p of sample) for (const s of p.slices) { a.push(s.a); b.push(s.b); y.push(s.label); }
    const aucA = rocAuc(a, y), aucB = rocAuc(b, y);
    return { delta: aucA === null || aucB === null ? null : aucB - aucA };
  };
  const value = delta(patients).delta;
  const ci = clusterBootstrap(patients, delta, { resamples, seed: opts.seed }).delta;
  if (value === null || !ci) return { insufficient: 'insufficient: a class is missing' };
  const slices = patients.reduce((n, p) => n + p.slices.length, 0);
  return { estimate: { value, low: ci.low, high: ci.high, method: `paired ${bootstrapMethod(resamples, opts.seed)}`, patients: patients.length, slices } };
}

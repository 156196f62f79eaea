import { ConcordError, ErrorCode } from '@concord/contracts';
import { DEFAULT_RESAMPLES, weightedClusterBootstrap, type BootstrapInterval } from './cluster-bootstrap.js';

/** Fewer patients than this in a class and the figure is "insufficient", not a number. [EV6] */
export const MIN_PATIENTS_PER_CLASS = 10;

/** A figure with its 95% interval, how it was made and what it rests on. [EV5] */
export interface Estimate {
  value: number;
  low: number;
  high: number;
  method: string;
  patients: number;
  slices: number;
}

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

/**
 * Slices of all patients sorted by score once, with tie groups, so the AUC of any patient
 * weighting is one pass: each positive counts the weighted negatives below it, plus half the
 * tied ones (Mann–Whitney with multiplicities). Equal to rocAuc on the materialised sample.
 */
export interface RankedSlices {
  patient: Int32Array;
  positive: Uint8Array;
  groupEnd: Int32Array;
}

export function rankSlices(slices: { patient: number; score: number; positive: boolean }[]): RankedSlices {
  const order = slices.map((s, i) => ({ ...s, i })).sort((a, b) => a.score - b.score || a.i - b.i);
  const groupEnd = new Int32Array(order.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].score === order[start].score) end++;
    for (let k = start; k <= end; k++) groupEnd[k] = end;
    start = end + 1;
  }
  return { patient: Int32Array.from(order, (o) => o.patient), positive: Uint8Array.from(order, (o) => (o.positive ? 1 : 0)), groupEnd };
}

export function weightedAuc(r: RankedSlices, w: ArrayLike<number>): number | null {
  let negBelow = 0,
    num = 0,
    pos = 0;
  for (let start = 0; start < r.patient.length; ) {
    const end = r.groupEnd[start];
    let gPos = 0,
      gNeg = 0;
    for (let k = start; k <= end; k++) {
      const weight = w[r.patient[k]];
      if (r.positive[k]) gPos += weight;
      else gNeg += weight;
    }
    num += gPos * (negBelow + gNeg / 2);
    negBelow += gNeg;
    pos += gPos;
    start = end + 1;
  }
  return pos > 0 && negBelow > 0 ? num / (pos * negBelow) : null;
}

/** Per-patient sums the figures need, so each resample costs O(patients + slices). */
function prepare(patients: readonly EvalPatient[], threshold: number, k: number) {
  const n = patients.length;
  const tp = new Float64Array(n),
    fn = new Float64Array(n),
    tn = new Float64Array(n),
    fp = new Float64Array(n);
  const isCase = new Uint8Array(n),
    isControl = new Uint8Array(n),
    abnormal = new Uint8Array(n);
  const flat: { patient: number; score: number; positive: boolean }[] = [];
  patients.forEach((p, i) => {
    for (const s of p.slices) {
      if (!Number.isFinite(s.probability))
        throw new ConcordError(ErrorCode.BAD_INPUT, `probability of a slice of patient ${i} must be a finite number, got ${String(s.probability)}`);
      const called = s.probability >= threshold;
      if (s.label === 1) {
        if (called) tp[i]++;
        else fn[i]++;
      } else if (called) fp[i]++;
      else tn[i]++;
      flat.push({ patient: i, score: s.probability, positive: s.label === 1 });
    }
    isCase[i] = p.cohort === 'DCM' ? 1 : 0;
    isControl[i] = p.cohort === 'CONTROL' ? 1 : 0;
    // The study's rule: abnormal when MORE than k slices are called positive (AG10).
    abnormal[i] = p.predictedPositiveSlices > k ? 1 : 0;
  });
  const ranked = rankSlices(flat);
  return (w: ArrayLike<number>): Record<Key, number | null> => {
    let TP = 0,
      FN = 0,
      TN = 0,
      FP = 0,
      cases = 0,
      caseHit = 0,
      controls = 0,
      controlClear = 0;
    for (let i = 0; i < n; i++) {
      const m = w[i];
      if (!m) continue;
      TP += m * tp[i];
      FN += m * fn[i];
      TN += m * tn[i];
      FP += m * fp[i];
      if (isCase[i]) {
        cases += m;
        if (abnormal[i]) caseHit += m;
      }
      if (isControl[i]) {
        controls += m;
        if (!abnormal[i]) controlClear += m;
      }
    }
    const sensitivity = TP + FN ? TP / (TP + FN) : null;
    const specificity = TN + FP ? TN / (TN + FP) : null;
    return {
      auc: weightedAuc(ranked, w),
      sensitivity,
      specificity,
      balancedAccuracy: sensitivity !== null && specificity !== null ? (sensitivity + specificity) / 2 : null,
      patientSensitivity: cases ? caseHit / cases : null,
      patientSpecificity: controls ? controlClear / controls : null,
    };
  };
}

export interface EvaluateOptions {
  threshold: number;
  k: number;
  seed: string;
  resamples?: number;
}

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
  const figures = prepare(patients, opts.threshold, opts.k);
  const point = figures(new Uint32Array(patients.length).fill(1));
  const ci = weightedClusterBootstrap(patients.length, figures, { resamples, seed: opts.seed });
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
    if (reasons.length) {
      insufficient.push(`${key}: insufficient: ${reasons.join(', ')}`);
      return null;
    }
    const v = point[key];
    const interval: BootstrapInterval | null = ci[key];
    if (v === null || !interval) {
      insufficient.push(`${key}: insufficient: undefined on this set`);
      return null;
    }
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
export interface PairedPatient {
  patientId: string;
  slices: { a: number; b: number; label: 0 | 1 }[];
}

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
  const flat = patients.flatMap((p, i) => p.slices.map((s) => ({ patient: i, a: s.a, b: s.b, positive: s.label === 1 })));
  const rankedA = rankSlices(flat.map((s) => ({ patient: s.patient, score: s.a, positive: s.positive })));
  const rankedB = rankSlices(flat.map((s) => ({ patient: s.patient, score: s.b, positive: s.positive })));
  const delta = (w: ArrayLike<number>) => {
    const aucA = weightedAuc(rankedA, w),
      aucB = weightedAuc(rankedB, w);
    return { delta: aucA === null || aucB === null ? null : aucB - aucA };
  };
  const value = delta(new Uint32Array(patients.length).fill(1)).delta;
  const ci = weightedClusterBootstrap(patients.length, delta, { resamples, seed: opts.seed }).delta;
  if (value === null || !ci) return { insufficient: 'insufficient: a class is missing' };
  const slices = patients.reduce((n, p) => n + p.slices.length, 0);
  return { estimate: { value, low: ci.low, high: ci.high, method: `paired ${bootstrapMethod(resamples, opts.seed)}`, patients: patients.length, slices } };
}

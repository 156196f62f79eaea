import { expectedCalibrationError } from '@concord/stats';

const EPS = 1e-7;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export interface Calibration {
  method: 'temperature' | 'none';
  /** Added to the logit: log-odds of the training prevalence, undoing the class weights' 50:50 prior. */
  priorShift: number;
  temperature: number;
  /** ECE on the calibration slices before (the head's raw output) and after. */
  eceBefore: number | null;
  eceAfter: number | null;
  slices: number;
  reason?: string;
}

export const IDENTITY: Calibration = { method: 'none', priorShift: 0, temperature: 1, eceBefore: null, eceAfter: null, slices: 0 };

export function applyCalibration(c: Calibration, p: number): number {
  if (c.method === 'none') return p;
  return sigmoid((logit(p) + c.priorShift) / c.temperature);
}

function nll(z: number[], y: number[], t: number): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, sigmoid(z[i] / t)));
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / z.length;
}

/**
 * Temperature scaling (TR19) after a prior-shift correction: the head is trained with class
 * weights n/(2·n_class), i.e. as if the classes were 50:50, so its logit is first shifted by the
 * log-odds of the training prevalence; then one temperature T minimising the negative
 * log-likelihood on the calibration slices is found by golden-section search over log T in
 * [−3, 3]. Both are monotone, so AUC is unchanged. Needs `minPerClass` slices of each class,
 * else no calibration (the head's own output is kept and `reason` says why).
 */
export function fitCalibration(p: ArrayLike<number>, y: number[], trainPrevalence: number, minPerClass = 10): Calibration {
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  if (pos < minPerClass || neg < minPerClass) {
    return { ...IDENTITY, slices: y.length, reason: `needs ${minPerClass} calibration slices of each class (have ${pos} positive, ${neg} negative)` };
  }
  const shift = Math.log(Math.max(EPS, trainPrevalence) / Math.max(EPS, 1 - trainPrevalence));
  const z = Array.from(p, (v) => logit(v) + shift);
  let lo = -3,
    hi = 3;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - phi * (hi - lo),
      b = lo + phi * (hi - lo);
    if (nll(z, y, Math.exp(a)) <= nll(z, y, Math.exp(b))) hi = b;
    else lo = a;
  }
  const c: Calibration = { method: 'temperature', priorShift: shift, temperature: Math.exp((lo + hi) / 2), eceBefore: null, eceAfter: null, slices: y.length };
  const raw = Array.from(p);
  c.eceBefore = expectedCalibrationError(raw, y as (0 | 1)[]);
  c.eceAfter = expectedCalibrationError(
    raw.map((v) => applyCalibration(c, v)),
    y as (0 | 1)[],
  );
  return c;
}

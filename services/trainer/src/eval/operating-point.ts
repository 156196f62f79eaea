export interface OperatingPoint {
  threshold: number;
  rule: 'patient-sensitivity' | 'slice-sensitivity' | 'default';
  /** The patient-level sensitivity the lead asked for (projects.target_sensitivity). */
  target: number;
  /** Sensitivity reached on the calibration patients or slices at this threshold; null by default. */
  achieved: number | null;
  /** Cases (patient rule) or positive slices (slice rule) it was chosen on. */
  n: number;
}

/** Fewer calibration cases than this and the patient rule would fit one or two people. */
export const MIN_CASES_FOR_PATIENT_RULE = 3;
export const MIN_POSITIVES_FOR_SLICE_RULE = 10;

/**
 * The slice threshold for a target sensitivity (TR20), chosen on calibration patients only. With
 * enough DCM patients: a patient is called abnormal when more than k slices reach the threshold,
 * i.e. when its (k+1)-th highest slice probability does; the highest threshold calling at least
 * ⌈target·m⌉ of the m cases is kept (labels are not needed: the cohort is the reference). Else
 * the same on labelled positive calibration slices; else 0.5.
 */
export function chooseOperatingPoint(
  cases: { probabilities: number[] }[],
  slices: { probability: number; label: 0 | 1 }[],
  k: number,
  target: number,
): OperatingPoint {
  const highest = (values: number[], n: number) => {
    const sorted = [...values].sort((a, b) => b - a);
    const need = Math.max(1, Math.ceil(target * sorted.length - 1e-9));
    return { threshold: sorted[need - 1], achieved: sorted.filter((v) => v >= sorted[need - 1]).length / n };
  };
  const eligible = cases.filter((c) => c.probabilities.length > k);
  if (cases.length >= MIN_CASES_FOR_PATIENT_RULE) {
    // A case with k or fewer slices can never be called abnormal: it counts as a miss at any threshold.
    const kth = eligible.map((c) => [...c.probabilities].sort((a, b) => b - a)[k]);
    const padded = [...kth, ...new Array<number>(cases.length - eligible.length).fill(-Infinity)];
    const r = highest(padded, cases.length);
    if (Number.isFinite(r.threshold)) return { threshold: r.threshold, rule: 'patient-sensitivity', target, achieved: r.achieved, n: cases.length };
  }
  const positives = slices.filter((s) => s.label === 1).map((s) => s.probability);
  if (positives.length >= MIN_POSITIVES_FOR_SLICE_RULE) {
    const r = highest(positives, positives.length);
    return { threshold: r.threshold, rule: 'slice-sensitivity', target, achieved: r.achieved, n: positives.length };
  }
  return { threshold: 0.5, rule: 'default', target, achieved: null, n: 0 };
}

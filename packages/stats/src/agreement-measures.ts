import { assertTable, tableTotal, type Table2x2 } from './table.js';

/*
 * Agreement indices for a 2×2 table. Each returns null when its denominator is zero
 * (see SPEC.md AG2): a caller must decide what "undefined" means for its audience.
 */

/** Observed proportion of agreement, (n00 + n11) / n. [AG1] */
export function percentAgreement(t: Table2x2): number | null {
  assertTable(t);
  const n = tableTotal(t);
  return n === 0 ? null : (t.n00 + t.n11) / n;
}

/** Positive specific agreement 2·n11 / (2·n11 + n01 + n10). [AG1] */
export function positiveAgreement(t: Table2x2): number | null {
  assertTable(t);
  const d = 2 * t.n11 + t.n01 + t.n10;
  return d === 0 ? null : (2 * t.n11) / d;
}

/** Negative specific agreement 2·n00 / (2·n00 + n01 + n10). [AG1] */
export function negativeAgreement(t: Table2x2): number | null {
  assertTable(t);
  const d = 2 * t.n00 + t.n01 + t.n10;
  return d === 0 ? null : (2 * t.n00) / d;
}

/** Prevalence- and bias-adjusted kappa, 2·po − 1 (Byrt, Bishop & Carlin 1993). [AG4] */
export function pabak(t: Table2x2): number | null {
  const po = percentAgreement(t);
  return po === null ? null : 2 * po - 1;
}

/**
 * Gwet's AC1 for two raters and two categories (Gwet 2008): chance agreement is
 * 2·π·(1 − π) with π the mean of the two readers' positive rates, which never reaches 1,
 * so AC1 is defined whenever there is at least one pair. [AG4]
 */
export function gwetAc1(t: Table2x2): number | null {
  const po = percentAgreement(t);
  if (po === null) return null;
  const n = tableTotal(t);
  const pi = (t.n10 + t.n11 + t.n01 + t.n11) / (2 * n);
  const pe = 2 * pi * (1 - pi);
  return (po - pe) / (1 - pe);
}

import { ConcordError, ErrorCode } from '@concord/contracts';
import { assertSameLength, isPositiveLabel, type BinaryLabel } from './labels.js';
import { Z_95 } from './normal.js';

/**
 * Area under the ROC curve as the Mann–Whitney statistic: the probability that a random
 * positive scores above a random negative, ties counting ½. Computed from mid-ranks in
 * O(n log n). Null when either class is absent. [AG7]
 */
export function rocAuc(scores: readonly number[], labels: readonly BinaryLabel[]): number | null {
  assertSameLength(scores, labels, 'rocAuc');
  const items = scores.map((score, i) => {
    if (!Number.isFinite(score)) throw new ConcordError(ErrorCode.BAD_INPUT, `score ${i} must be a finite number, got ${String(score)}`);
    return { score, positive: isPositiveLabel(labels[i], i) };
  });
  const positives = items.filter((x) => x.positive).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return null;

  items.sort((x, y) => x.score - y.score);
  let positiveRankSum = 0;
  for (let start = 0; start < items.length; ) {
    let end = start;
    while (end + 1 < items.length && items[end + 1].score === items[start].score) end++;
    const midRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let i = start; i <= end; i++) if (items[i].positive) positiveRankSum += midRank;
    start = end + 1;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface AucEstimate {
  estimate: number;
  se: number;
  low: number;
  high: number;
}

/**
 * Hanley & McNeil's (1982) standard error of an AUC from the class sizes alone. Chosen over
 * DeLong because it needs no per-slice variance terms and is what the screening literature
 * reports. At A = ½ it equals the exact null variance; at A = 0 or 1 it is 0. [AG19]
 */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const a2 = auc * auc;
  const v = (auc * (1 - auc) + (positives - 1) * (q1 - a2) + (negatives - 1) * (q2 - a2)) / (positives * negatives);
  return Math.sqrt(Math.max(v, 0));
}

/**
 * The 95% interval as the set of AUCs A that the estimate does not reject, |Â − A| ≤ z·SE(A),
 * with the variance taken at the candidate A rather than at Â (test inversion, as Wilson's
 * interval does for a proportion; cf. Newcombe 2006). The Wald interval Â ± z·SE(Â) collapses
 * to a point at Â = 1, which a perfectly separated small test set often gives; this one keeps
 * a width that shrinks with the class sizes, and matches Wald closely when both classes are large.
 */
function scoreInterval(estimate: number, positives: number, negatives: number, z: number): { low: number; high: number } {
  const accepted = (a: number) => Math.abs(estimate - a) <= z * aucStandardError(a, positives, negatives) + 1e-15;
  // The acceptance set is an interval around Â; find its ends by a coarse scan then bisection,
  // which needs no monotonicity of SE(A) beyond the bracket the scan finds.
  const edge = (from: number, to: number): number => {
    const steps = 200;
    let outside = from;
    let inside = estimate;
    for (let k = 0; k <= steps; k++) {
      const a = from + ((to - from) * k) / steps;
      if (accepted(a)) {
        inside = a;
        break;
      }
      outside = a;
    }
    if (inside === from) return from;
    for (let k = 0; k < 60; k++) {
      const mid = (outside + inside) / 2;
      if (accepted(mid)) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  return { low: edge(0, estimate), high: edge(1, estimate) };
}

/** rocAuc with its 95% interval (score-type, Hanley–McNeil variance); null when either class is absent. [AG19] */
export function rocAucWithCi(scores: readonly number[], labels: readonly BinaryLabel[], z = Z_95): AucEstimate | null {
  const estimate = rocAuc(scores, labels);
  if (estimate === null) return null;
  const positives = labels.filter((l, i) => isPositiveLabel(l, i)).length;
  const negatives = labels.length - positives;
  return { estimate, se: aucStandardError(estimate, positives, negatives), ...scoreInterval(estimate, positives, negatives, z) };
}

/** The interval alone, for callers that hold the AUC and class sizes but not the scores. [AG19] */
export function aucInterval(estimate: number, positives: number, negatives: number, z = Z_95): { low: number; high: number } {
  if (!(estimate >= 0 && estimate <= 1)) throw new ConcordError(ErrorCode.BAD_INPUT, `AUC must be in [0, 1], got ${String(estimate)}`);
  if (!(positives >= 1 && negatives >= 1)) throw new ConcordError(ErrorCode.BAD_INPUT, 'An AUC interval needs at least one case of each class');
  return scoreInterval(estimate, positives, negatives, z);
}

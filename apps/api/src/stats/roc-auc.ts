import { ConcordError, ErrorCode } from '../errors/codes.js';
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

export interface AucEstimate { estimate: number; se: number; low: number; high: number }

/**
 * Hanley & McNeil's (1982) standard error of an AUC from the class sizes alone, with a Wald
 * interval clipped to [0, 1]. Chosen over DeLong because it needs no per-slice variance terms
 * and is what the screening literature reports. At A = ½ it equals the exact null variance; at
 * A = 0 or 1 it is 0, so a perfectly separated small test set shows a zero-width interval. [AG19]
 */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const a2 = auc * auc;
  const v = (auc * (1 - auc) + (positives - 1) * (q1 - a2) + (negatives - 1) * (q2 - a2)) / (positives * negatives);
  return Math.sqrt(Math.max(v, 0));
}

/** rocAuc with its Hanley–McNeil 95% interval; null when either class is absent. [AG19] */
export function rocAucWithCi(scores: readonly number[], labels: readonly BinaryLabel[], z = Z_95): AucEstimate | null {
  const estimate = rocAuc(scores, labels);
  if (estimate === null) return null;
  const positives = labels.filter((l, i) => isPositiveLabel(l, i)).length;
  const se = aucStandardError(estimate, positives, labels.length - positives);
  return { estimate, se, low: Math.max(0, estimate - z * se), high: Math.min(1, estimate + z * se) };
}

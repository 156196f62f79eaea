import { ConcordError, ErrorCode } from '../errors/codes.js';
import { assertSameLength, isPositiveLabel, type BinaryLabel } from './labels.js';

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

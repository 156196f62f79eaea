import { ConcordError, ErrorCode } from '@concord/contracts';
import { assertProbability, assertSameLength, isPositiveLabel, type BinaryLabel } from './labels.js';

/**
 * Expected calibration error of the predicted probability of the positive class
 * (reliability-diagram form): equal-width bins [0, 0.1), …, [0.9, 1.0] (the last one closed),
 * ECE = Σ_bins (|bin| / n) · |mean label − mean probability|. Empty bins contribute nothing.
 * Null for no predictions. [AG8]
 *
 * This is the positive-class form, not the top-label form of Guo et al. (2017), which for a
 * binary model only ever fills the upper half of the bins.
 */
export function expectedCalibrationError(probabilities: readonly number[], labels: readonly BinaryLabel[], bins = 10): number | null {
  assertSameLength(probabilities, labels, 'expectedCalibrationError');
  if (!Number.isInteger(bins) || bins < 1) throw new ConcordError(ErrorCode.BAD_INPUT, `bins must be a whole number of at least 1, got ${String(bins)}`);
  const n = probabilities.length;
  if (n === 0) return null;
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  probabilities.forEach((p, i) => {
    assertProbability(p, i);
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]++;
    sumP[b] += p;
    sumY[b] += isPositiveLabel(labels[i], i) ? 1 : 0;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(sumY[b] - sumP[b]) / n;
  return ece;
}

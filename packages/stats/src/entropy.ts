import { assertProbability } from './labels.js';

/**
 * Shannon entropy of a Bernoulli(p) prediction in bits: 0 at p ∈ {0, 1}, 1 at p = ½.
 * Uses the limit 0·log 0 = 0 so saturated probabilities give 0, not NaN. [AG9]
 */
export function binaryEntropy(p: number): number {
  assertProbability(p, 0);
  return plogp(p) + plogp(1 - p);
}

function plogp(x: number): number {
  return x <= 0 ? 0 : -x * Math.log2(x);
}

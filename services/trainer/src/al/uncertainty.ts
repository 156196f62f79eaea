import seedrandom from 'seedrandom';

import { AL_STRATEGIES, type Strategy } from '@concord/contracts';

export type { Strategy };
export const STRATEGIES: readonly Strategy[] = AL_STRATEGIES;
/** Strategies that rank a whole batch (al/batch-strategies.ts) on top of entropy scores. */
export const BATCH_STRATEGIES: readonly Strategy[] = ['badge', 'balanced'];

const EPS = 1e-7;

/** Binary entropy in nats; maximal (ln 2) at p = 0.5. */
export function binaryEntropy(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return -(q * Math.log(q) + (1 - q) * Math.log(1 - q));
}

export function meanProbability(samples: Float32Array[], i: number): number {
  let s = 0;
  for (const row of samples) s += row[i];
  return s / samples.length;
}

/**
 * Uncertainty per slice from MC-dropout samples [T][N]; higher = more worth labelling (TR7).
 * entropy: H(mean p). bald: H(mean p) − mean H(p_t), the mutual information between the label
 * and the weights. margin: 1 − |2·mean p − 1|, a monotone function of |mean p − ½| like entropy,
 * so for one sigmoid it ranks slices exactly as entropy does (kept for projects that chose it).
 * random: a seeded uniform draw (the baseline). badge and balanced score by entropy here; the
 * batch is then formed by batchAwareScores.
 */
export function scoreSlices(samples: Float32Array[], strategy: Strategy, seed = 'concord'): Float64Array {
  const n = samples[0]?.length ?? 0;
  const out = new Float64Array(n);
  const rng = seedrandom(seed);
  for (let i = 0; i < n; i++) {
    const p = meanProbability(samples, i);
    switch (strategy) {
      case 'entropy':
      case 'badge':
      case 'balanced':
        out[i] = binaryEntropy(p);
        break;
      case 'bald': {
        let expected = 0;
        for (const row of samples) expected += binaryEntropy(row[i]);
        out[i] = Math.max(0, binaryEntropy(p) - expected / samples.length);
        break;
      }
      case 'margin':
        out[i] = 1 - Math.abs(2 * p - 1);
        break;
      case 'random':
        out[i] = rng();
        break;
      default: {
        const never: never = strategy;
        throw new Error(`unknown strategy ${String(never)}`);
      }
    }
  }
  return out;
}

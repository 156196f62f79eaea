import type { tf } from '../backend.js';
import { mcPredict } from '../model/head.js';
import { binaryEntropy, scoreSlices, type Strategy } from './uncertainty.js';

/**
 * Uncertainty scores of a round's candidates (RS2). `random` needs no MC pass. A pre-filtered
 * pool (MC dropout only over the `poolSize` highest deterministic entropies) is measured by
 * bench/al-round against the full pass and is NOT used by rounds: its top-B overlap with the full
 * pass stayed far below 0.9 (0.3 for BALD and entropy with a pool of a fifth, 16-d test data;
 * see the bench for the 2048-d figure), because the MC mean and BALD rank slices differently from
 * the deterministic pass. Inside a pool the scores equal the full pass's (mcPredict's thinned
 * networks do not depend on the other slices of a pass); outside it they are the strategy's
 * score of the deterministic pass (BALD: 0).
 */
export interface CandidateScores {
  scores: Float64Array;
  /** How many candidates were scored by MC dropout (the rest by the deterministic pass). */
  mcScored: number;
}

export function scoreCandidates(
  head: tf.Sequential,
  x: Float32Array[],
  deterministic: ArrayLike<number>,
  o: { strategy: Strategy; samples: number; mcSeed: number; rngSeed: string; poolSize?: number },
): CandidateScores {
  if (o.strategy === 'random') return { scores: scoreSlices([Float32Array.from(deterministic)], 'random', o.rngSeed), mcScored: 0 };
  if (o.poolSize === undefined || x.length <= o.poolSize)
    return { scores: scoreSlices(mcPredict(head, x, o.samples, o.mcSeed), o.strategy, o.rngSeed), mcScored: x.length };
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => binaryEntropy(deterministic[b]) - binaryEntropy(deterministic[a]) || a - b);
  const pool = order.slice(0, o.poolSize);
  const scores = scoreSlices([Float32Array.from(deterministic)], o.strategy, o.rngSeed);
  const mc = scoreSlices(
    mcPredict(
      head,
      pool.map((i) => x[i]),
      o.samples,
      o.mcSeed,
    ),
    o.strategy,
    o.rngSeed,
  );
  pool.forEach((i, j) => {
    scores[i] = mc[j];
  });
  return { scores, mcScored: pool.length };
}

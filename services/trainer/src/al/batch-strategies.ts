import seedrandom from 'seedrandom';
import { binaryEntropy, type Strategy } from './uncertainty.js';

/**
 * Batch-aware strategies (TR24, TR25). Uncertainty alone ranks slices one at a time: with a rare
 * positive class the top of an entropy ranking is often many near-identical borderline negatives.
 * These turn a round's deterministic probabilities (and, for BADGE, the embeddings) into scores
 * that TR8's greedy walk then takes from the top, so patient caps and series gaps still apply.
 */

/** Scores above every entropy (≤ ln 2 < 1): a strategy's ordered picks go first, in their order. */
const PICKED = 2;

/**
 * A fixed Gaussian random projection to `dims` dimensions (Johnson–Lindenstrauss): distances
 * between 2048-d embeddings are kept within a small factor at a 32nd of the cost, which is what
 * makes k-means++ over every candidate a matter of milliseconds.
 */
export function randomProjection(vectors: Float32Array[], dims: number, seed: string): Float32Array[] {
  const d = vectors[0]?.length ?? 0;
  const rng = seedrandom(`projection:${seed}`);
  const gauss = () => {
    const u = Math.max(rng(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  };
  const m = new Float32Array(d * dims);
  const scale = 1 / Math.sqrt(dims);
  for (let i = 0; i < m.length; i++) m[i] = gauss() * scale;
  return vectors.map((v) => {
    const out = new Float32Array(dims);
    for (let j = 0; j < d; j++) {
      const x = v[j];
      if (x === 0) continue;
      const row = j * dims;
      for (let k = 0; k < dims; k++) out[k] += x * m[row + k];
    }
    return out;
  });
}

/**
 * BADGE (Ash et al., 2020) for one sigmoid output: each candidate's gradient embedding is the
 * last-layer gradient under its predicted label, (p − ŷ)·h = ±min(p, 1 − p)·h, so its length
 * is the uncertainty and its direction the features; k-means++ seeding over these picks slices
 * that are uncertain AND unlike each other. Here h is the (projected) embedding the head reads.
 * Returns candidate indices in pick order (seeded: same inputs, same picks).
 */
export function badgeOrder(vectors: Float32Array[], probability: ArrayLike<number>, k: number, seed: string): number[] {
  const n = vectors.length;
  if (n === 0 || k <= 0) return [];
  const g = vectors.map((v, i) => {
    const p = probability[i];
    const w = p >= 0.5 ? p - 1 : p;
    const out = new Float32Array(v.length);
    for (let j = 0; j < v.length; j++) out[j] = w * v[j];
    return out;
  });
  const dist2 = (a: Float32Array, b: Float32Array) => {
    let s = 0;
    for (let j = 0; j < a.length; j++) {
      const t = a[j] - b[j];
      s += t * t;
    }
    return s;
  };
  const rng = seedrandom(`badge:${seed}`);
  // The first pick is the largest gradient, as BADGE does; then D²-weighted draws.
  let first = 0,
    best = -1;
  for (let i = 0; i < n; i++) {
    let norm2 = 0;
    for (const x of g[i]) norm2 += x * x;
    if (norm2 > best) {
      best = norm2;
      first = i;
    }
  }
  const order = [first];
  const taken = new Uint8Array(n);
  taken[first] = 1;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = dist2(g[i], g[first]);
  while (order.length < Math.min(k, n)) {
    let total = 0;
    for (let i = 0; i < n; i++) if (!taken[i]) total += d[i];
    let next = -1;
    if (total > 0) {
      let r = rng() * total;
      for (let i = 0; i < n; i++) {
        if (taken[i]) continue;
        r -= d[i];
        if (r <= 0) {
          next = i;
          break;
        }
      }
    }
    // All remaining points coincide with picks (or rounding ran past the end): take the most uncertain.
    if (next < 0) {
      for (let i = 0; i < n; i++) if (!taken[i] && (next < 0 || binaryEntropy(probability[i]) > binaryEntropy(probability[next]))) next = i;
    }
    order.push(next);
    taken[next] = 1;
    for (let i = 0; i < n; i++) if (!taken[i]) d[i] = Math.min(d[i], dist2(g[i], g[next]));
  }
  return order;
}

/** Scores for TR8 from an ordered pick list: picks first in their order, then the rest by entropy. */
export function scoresFromOrder(order: number[], probability: ArrayLike<number>): Float64Array {
  const out = new Float64Array(probability.length);
  for (let i = 0; i < out.length; i++) out[i] = binaryEntropy(probability[i]);
  order.forEach((i, r) => {
    out[i] = PICKED + (order.length - r) / order.length;
  });
  return out;
}

/**
 * Class-balanced quota (TR25): `share` of the batch goes to the candidates the model rates most
 * likely positive, the rest to the most uncertain. When positives are rare, entropy alone can
 * spend whole rounds on confusing negatives; the quota keeps finding compressions, which is what
 * both the model and the readers' practice are short of.
 */
export function balancedScores(probability: ArrayLike<number>, uncertainty: ArrayLike<number>, quota: number): Float64Array {
  const n = probability.length;
  const out = Float64Array.from(uncertainty);
  const byP = Array.from({ length: n }, (_, i) => i).sort((a, b) => probability[b] - probability[a] || a - b);
  byP.slice(0, Math.max(0, Math.min(n, quota))).forEach((i, r) => {
    out[i] = PICKED + (n - r) / n;
  });
  return out;
}

/** TR25: the quota's share of the active batch. */
export const BALANCED_SHARE = 0.3;
/** TR24: BADGE seeds this many times the active batch, so TR8's caps and gaps leave enough. */
export const BADGE_OVERSAMPLE = 3;
const BADGE_DIMS = 64;

/**
 * A round's candidate scores under the project's strategy: unchanged for the per-slice strategies,
 * re-ranked as a batch for badge (TR24) and balanced (TR25). `probability` is the deterministic
 * pass; `activeBatch` the number of ACTIVE picks the round will make (batch minus audit, TR21).
 */
export function batchAwareScores(
  strategy: Strategy,
  o: {
    scores: Float64Array;
    probability: ArrayLike<number>;
    vectors: Float32Array[];
    activeBatch: number;
    seed: string;
    /** Candidates an ACTIVE pick may take (TR21 keeps validation patients out); the others keep their scores. */
    eligible: (i: number) => boolean;
  },
): Float64Array {
  if (strategy !== 'badge' && strategy !== 'balanced') return o.scores;
  const idx = Array.from({ length: o.scores.length }, (_, i) => i).filter(o.eligible);
  const p = idx.map((i) => o.probability[i]);
  const sub =
    strategy === 'badge'
      ? scoresFromOrder(
          badgeOrder(
            randomProjection(
              idx.map((i) => o.vectors[i]),
              BADGE_DIMS,
              o.seed,
            ),
            p,
            BADGE_OVERSAMPLE * o.activeBatch,
            o.seed,
          ),
          p,
        )
      : balancedScores(
          p,
          idx.map((i) => o.scores[i]),
          Math.ceil(BALANCED_SHARE * o.activeBatch),
        );
  const out = Float64Array.from(o.scores);
  idx.forEach((i, j) => {
    out[i] = sub[j];
  });
  return out;
}

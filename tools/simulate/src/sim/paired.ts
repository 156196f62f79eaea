import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { Strategy } from '@concord/trainer/al/uncertainty';

/** One model version of one replicate: what the paired analysis reads from learning-curves.csv. */
export interface ReplicatePoint {
  replicate: number;
  strategy: Strategy;
  round: number;
  labels: number;
  auc: number | null;
}

export interface PairedResult {
  strategy: Strategy;
  /** Replicates where both this strategy and random have an AUC in every round. */
  replicates: number;
  /** Mean over replicates of AULC(strategy) − AULC(random); AULC = mean test AUC over the rounds (SIM4). */
  delta: number | null;
  low: number | null;
  high: number | null;
  /**
   * Mean over replicates of the labels this strategy had at its first round whose AUC reached
   * random's final AUC in the same replicate; null when it never did in some replicate.
   */
  labelsToMatch: number | null;
  /** labelsToMatch as a share of random's final label count (mean over replicates). */
  share: number | null;
  /** Replicates where it never reached random's final AUC. */
  neverReached: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Paired comparison of each strategy with `random` over replicates (SIM4). Replicates pair
 * strategies on one phantom, one test set and one shared round 1, so the per-replicate
 * difference removes the phantom's luck; the 95% CI is the paired t interval over replicates
 * (df = K − 1). With fewer than 2 usable replicates there is no interval (nulls).
 */
export function pairedAgainstRandom(points: ReplicatePoint[]): PairedResult[] {
  const byRep = new Map<number, Map<Strategy, ReplicatePoint[]>>();
  for (const p of points) {
    const rep = byRep.get(p.replicate) ?? new Map<Strategy, ReplicatePoint[]>();
    rep.set(p.strategy, [...(rep.get(p.strategy) ?? []), p]);
    byRep.set(p.replicate, rep);
  }
  const strategies = [...new Set(points.map((p) => p.strategy))].filter((s) => s !== 'random');
  return strategies.map((strategy) => {
    const deltas: number[] = [];
    const labels: number[] = [];
    const shares: number[] = [];
    let neverReached = 0;
    for (const rep of byRep.values()) {
      const mine = (rep.get(strategy) ?? []).sort((a, b) => a.round - b.round);
      const base = (rep.get('random') ?? []).sort((a, b) => a.round - b.round);
      if (!mine.length || !base.length || mine.some((p) => p.auc === null) || base.some((p) => p.auc === null)) continue;
      deltas.push(mean(mine.map((p) => p.auc!)) - mean(base.map((p) => p.auc!)));
      const target = base.at(-1)!;
      const reached = mine.find((p) => p.auc! >= target.auc!);
      if (!reached) {
        neverReached++;
        continue;
      }
      labels.push(reached.labels);
      shares.push(reached.labels / target.labels);
    }
    const k = deltas.length;
    if (k === 0) return { strategy, replicates: 0, delta: null, low: null, high: null, labelsToMatch: null, share: null, neverReached };
    const d = mean(deltas);
    let low: number | null = null,
      high: number | null = null;
    if (k >= 2) {
      const sd = Math.sqrt(deltas.reduce((a, x) => a + (x - d) ** 2, 0) / (k - 1));
      const half = (tQuantile(0.975, k - 1) * sd) / Math.sqrt(k);
      low = d - half;
      high = d + half;
    }
    const allReached = neverReached === 0 && labels.length > 0;
    return {
      strategy,
      replicates: k,
      delta: d,
      low,
      high,
      labelsToMatch: allReached ? mean(labels) : null,
      share: allReached ? mean(shares) : null,
      neverReached,
    };
  });
}

const f3 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));

/**
 * The contract line (issue #12):
 * `paired: <strategy>−random ΔAULC = <x> (95% CI <lo> to <hi>) over <K> replicates; labels to reach random's final AUC: <n> (<pct>%)`
 */
export function pairedLine(r: PairedResult): string {
  const labels =
    r.labelsToMatch === null
      ? `not reached in ${r.neverReached} of ${r.replicates} replicates`
      : `${Math.round(r.labelsToMatch)} (${Math.round(100 * r.share!)}%)`;
  return `paired: ${r.strategy}−random ΔAULC = ${f3(r.delta)} (95% CI ${f3(r.low)} to ${f3(r.high)}) over ${r.replicates} replicates; labels to reach random's final AUC: ${labels}`;
}

/**
 * Per-reader figures against gold [RQ7]–[RQ9], [RQ11], from plain rows: no database here, so the
 * rules are testable by hand-checked numbers.
 */
import { wilson, cohenKappa, EMPTY_TABLE, tableTotal, type Estimate, type Table2x2 } from '@concord/stats';

export const MIN_GOLD = 5;
export const GOLD_BLOCK = 20;
export const GOLD_WINDOW = 50;
export const FAST_READ_SECONDS = 2;
export const METHOD = 'wilson';

export interface GoldReadFact {
  value: number;
  expected: number;
  patientId: string;
  at: Date;
}
export interface ReaderFacts {
  userId: string;
  username: string;
  /** Independent reads (repeats and gold excluded). */
  reads: number;
  /** Gold reads in the order given, oldest first. */
  gold: GoldReadFact[];
  /** Seconds of every timed read and gold read. */
  seconds: number[];
  /** On-screen seconds the client reported [RQ14]. */
  screenSeconds: number[];
  paused: boolean;
  /** Gold reads before this time do not count toward the flag [RQ9]. */
  resumedAt: Date | null;
  /** This reader's independent read (rows) against each other reader's on the same slice (columns). */
  withOthers: Table2x2;
  /** Their first read (rows) against their own repeat (columns). */
  repeats: Table2x2;
  /** Onboarding [RQ17]: their calibration answers, the set's size and the latest outcome. */
  calibration: { answers: GoldReadFact[]; total: number; passed: boolean | null };
}

export interface KappaFigure {
  pairs: number;
  percentAgreement: number;
  kappa: number | null;
  kappaLow: number | null;
  kappaHigh: number | null;
  method: string;
}

/** A figure with its interval, method and n: the same shape the evaluation figures use. */
export type { Estimate };
export interface GoldWindow {
  fromGoldRead: number;
  toGoldRead: number;
  accuracy: Estimate | null;
}
export interface ReaderPerformance {
  userId: string;
  reader: string;
  reads: number;
  goldReads: number;
  goldAccuracy: Estimate | null;
  goldSensitivity: Estimate | null;
  goldSpecificity: Estimate | null;
  rollingGoldAccuracy: Estimate | null;
  goldTrend: GoldWindow[];
  medianSecondsPerRead: number | null;
  p90SecondsPerRead: number | null;
  timedReads: number;
  fastReads: number;
  medianScreenSeconds: number | null;
  screenTimedReads: number;
  flagged: boolean;
  paused: boolean;
  agreementWithOthers: KappaFigure | null;
  intraReader: KappaFigure | null;
  calibration: { answered: number; total: number; accuracy: Estimate | null; passed: boolean | null } | null;
  insufficient: string[];
}

/** [RQ13] Cohen's κ with its large-sample 95% interval (AG3), or null with no pairs. */
export function kappaFigure(t: Table2x2): KappaFigure | null {
  const n = tableTotal(t);
  if (n === 0) return null;
  const k = cohenKappa(t);
  return {
    pairs: n,
    percentAgreement: (t.n00 + t.n11) / n,
    kappa: k?.kappa ?? null,
    kappaLow: k?.low ?? null,
    kappaHigh: k?.high ?? null,
    method: 'cohen-kappa (Fleiss–Cohen–Everitt SE)',
  };
}

export { EMPTY_TABLE };

/** Share of `hits` among `facts`, with its Wilson interval, or null below MIN_GOLD. */
export function proportion(facts: readonly GoldReadFact[], hit: (f: GoldReadFact) => boolean): Estimate | null {
  if (facts.length < MIN_GOLD) return null;
  const p = wilson(facts.filter(hit).length, facts.length)!;
  return { value: p.estimate, low: p.low, high: p.high, method: METHOD, patients: new Set(facts.map((f) => f.patientId)).size, slices: facts.length };
}

const correct = (f: GoldReadFact) => f.value === f.expected;

/** Nearest-rank quantile of a non-empty list. */
export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** [RQ9] Flagged when the whole interval of rolling accuracy since the last resume is below the threshold. */
export function isFlagged(r: Pick<ReaderFacts, 'gold' | 'resumedAt'>, threshold: number | null): { flagged: boolean; window: Estimate | null } {
  const since = r.resumedAt ? r.gold.filter((g) => g.at > r.resumedAt!) : r.gold;
  const window = proportion(since.slice(-GOLD_WINDOW), correct);
  return { flagged: threshold != null && window != null && window.high < threshold, window };
}

export function readerPerformance(r: ReaderFacts, threshold: number | null): ReaderPerformance {
  const positives = r.gold.filter((g) => g.expected === 1);
  const negatives = r.gold.filter((g) => g.expected === 0);
  const insufficient: string[] = [];
  const withheld = (name: string, n: number, what: string) => {
    if (n < MIN_GOLD) insufficient.push(`${name}: insufficient: ${n} ${what}`);
  };
  withheld('goldAccuracy', r.gold.length, 'gold reads');
  withheld('goldSensitivity', positives.length, 'gold positives');
  withheld('goldSpecificity', negatives.length, 'gold negatives');
  const goldTrend: GoldWindow[] = [];
  for (let from = 0; from < r.gold.length; from += GOLD_BLOCK) {
    const block = r.gold.slice(from, from + GOLD_BLOCK);
    goldTrend.push({ fromGoldRead: from + 1, toGoldRead: from + block.length, accuracy: proportion(block, correct) });
  }
  const { flagged } = isFlagged(r, threshold);
  return {
    userId: r.userId,
    reader: r.username,
    reads: r.reads,
    goldReads: r.gold.length,
    goldAccuracy: proportion(r.gold, correct),
    goldSensitivity: proportion(positives, correct),
    goldSpecificity: proportion(negatives, correct),
    rollingGoldAccuracy: proportion(r.gold.slice(-GOLD_WINDOW), correct),
    goldTrend,
    medianSecondsPerRead: quantile(r.seconds, 0.5),
    p90SecondsPerRead: quantile(r.seconds, 0.9),
    timedReads: r.seconds.length,
    fastReads: r.seconds.filter((s) => s < FAST_READ_SECONDS).length,
    medianScreenSeconds: quantile(r.screenSeconds, 0.5),
    screenTimedReads: r.screenSeconds.length,
    flagged,
    paused: r.paused,
    agreementWithOthers: kappaFigure(r.withOthers),
    intraReader: kappaFigure(r.repeats),
    calibration:
      r.calibration.total === 0
        ? null
        : {
            answered: r.calibration.answers.length,
            total: r.calibration.total,
            accuracy: proportion(r.calibration.answers, correct),
            passed: r.calibration.passed,
          },
    insufficient,
  };
}

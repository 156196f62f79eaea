import { createHash } from 'node:crypto';
import type { SliceTruth } from './truth.js';

/**
 * Per-read error probabilities. Two independent readers agree with probability
 * (1−e)² + e² ≈ 1 − 2e, so e ≈ 2% on negatives and ≈ 6% on positives reproduce the study's 96.4%
 * and 88.1% agreement (LABELING.md). Errors concentrate where readers really disagreed:
 * CSF effacement without cord deformity (looks suspicious, is 0) and minimal compression.
 */
export interface ReaderErrorModel {
  negative: number;
  csfEffacementOnly: number;
  positive: number;
  subtlePositive: number;
  /** Probability that the adjudicator decides against the truth. */
  adjudicator: number;
}

export const STUDY_LIKE_ERRORS: ReaderErrorModel = {
  negative: 0.012,
  csfEffacementOnly: 0.09,
  positive: 0.03,
  subtlePositive: 0.11,
  adjudicator: 0.03,
};

export function errorRate(t: SliceTruth, m: ReaderErrorModel): number {
  if (t.label === 0) return t.severity === 1 ? m.csfEffacementOnly : m.negative;
  return t.subtle ? m.subtlePositive : m.positive;
}

/**
 * A uniform number fixed by (seed, who, slice): a reader gives the same answer to the same
 * slice in every project of one run, so strategies are compared on identical reader noise.
 */
export function unitDraw(seed: string, who: string, sliceKey: string): number {
  const h = createHash('sha256').update(`${seed}\0${who}\0${sliceKey}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

/** The label a simulated reader gives: the truth, flipped with the slice's error probability. */
export function readerDecision(t: SliceTruth, m: ReaderErrorModel, seed: string, who: string, sliceKey: string): 0 | 1 {
  const wrong = unitDraw(seed, who, sliceKey) < errorRate(t, m);
  return (wrong ? 1 - t.label : t.label) as 0 | 1;
}

export function adjudicatorDecision(t: SliceTruth, m: ReaderErrorModel, seed: string, sliceKey: string): { value: 0 | 1; reason: string } {
  const wrong = unitDraw(seed, 'adjudicator', sliceKey) < m.adjudicator;
  const value = (wrong ? 1 - t.label : t.label) as 0 | 1;
  const reason = value === 1 ? 'CORD_DEFORMITY' : t.severity === 1 ? 'CSF_EFFACEMENT_ONLY' : 'NO_COMPRESSION';
  return { value, reason };
}

import type { tf } from '../backend.js';
import { scoreCandidates } from '../al/candidate-pool.js';
import { batchAwareScores } from '../al/batch-strategies.js';
import { selectBatch, type BatchPick, type Candidate } from '../al/select.js';
import type { Strategy } from '../al/uncertainty.js';
import type { RoundPartition } from './partition.js';
import type { RoundSettingsRow } from './round.queries.js';

export interface ScoredCandidates {
  /** Unlabelled, still-open, non-test slices with their strategy score, in `usable` order. */
  candidates: Candidate[];
  /** How many candidates were scored by MC dropout. */
  mcScored: number;
}

/** The uncertainty the ACTIVE picks may take: a batch minus its audit share (TR21). */
export function activeBatchSize(settings: Pick<RoundSettingsRow, 'alBatchSize' | 'alAuditShare'>): number {
  return settings.alBatchSize - Math.round(settings.alBatchSize * Math.min(1, Math.max(0, settings.alAuditShare)));
}

/**
 * The score step: the strategy's per-slice score of every candidate (RS2), then, for batch-aware
 * strategies, the re-ranking of the whole list for the ACTIVE picks (TR24, TR25). `x` and
 * `deterministic` are per usable slice.
 */
export function scoreRound(
  head: tf.Sequential,
  part: Pick<RoundPartition, 'usable' | 'validationPatients'>,
  x: Float32Array[],
  deterministic: ArrayLike<number>,
  o: { strategy: Strategy; mcSamples: number; round: number; projectId: string; activeBatch: number },
): ScoredCandidates {
  const open = part.usable.map((s, i) => ({ s, i })).filter(({ s }) => s.label === null && s.readsDone < s.readsRequired && !s.isTest);
  const candidateX = open.map(({ i }) => x[i]);
  const candidateP = open.map(({ i }) => deterministic[i]);
  const seed = `${o.projectId}:${o.round}`;
  const perSlice = scoreCandidates(head, candidateX, candidateP, { strategy: o.strategy, samples: o.mcSamples, mcSeed: o.round, rngSeed: seed });
  const scores = batchAwareScores(o.strategy, {
    scores: perSlice.scores,
    probability: candidateP,
    vectors: candidateX,
    activeBatch: o.activeBatch,
    seed,
    eligible: (j) => !part.validationPatients.has(open[j].s.patientId),
  });
  return {
    candidates: open.map(({ s }, j) => ({ sliceId: s.id, patientId: s.patientId, seriesId: s.seriesId, position: s.position, score: scores[j] })),
    mcScored: perSlice.mcScored,
  };
}

/** The select step, pure: the audit share drawn at random, the rest diverse by score, validation patients never ACTIVE. */
export function selectRound(
  candidates: Candidate[],
  validationPatients: Set<string>,
  settings: Pick<RoundSettingsRow, 'alBatchSize' | 'alMaxPerPatient' | 'alMinGap' | 'alAuditShare'>,
  seed: string,
): BatchPick[] {
  return selectBatch(candidates, {
    batchSize: settings.alBatchSize,
    maxPerPatient: settings.alMaxPerPatient,
    minGap: settings.alMinGap,
    auditShare: settings.alAuditShare,
    seed,
    activeAllowed: (c) => !validationPatients.has(c.patientId),
  });
}

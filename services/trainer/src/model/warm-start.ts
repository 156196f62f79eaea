import type { Sql } from '@concord/db';
import type { tf } from '../backend.js';
import { deserializeHead, type SerializedHead } from './head.js';

/**
 * Warm starts (RS1): a round trains the head from the project's latest version instead of from
 * scratch, which needs a few epochs instead of ~30. A full retrain still runs every
 * `fullEvery` rounds, and whenever a warm start could be unfair or wrong; `reason` says why.
 */
export const DEFAULT_FULL_RETRAIN_EVERY = 5;

/**
 * Training of a warm-started round: the head is near its optimum and a few epochs settle the new
 * labels. Large batches take fewer optimizer steps (on wasm each Adam step over the head's 1.3 M
 * weights costs more than a 64-row batch's matmuls): up to 256 rows, but at least ~16 steps an
 * epoch, so a small project's warm start still trains (`warmBatchSize`).
 */
export const WARM_EPOCHS = { epochs: 10, minEpochs: 1, patience: 2 } as const;

export function warmBatchSize(trainRows: number): number {
  return Math.min(256, Math.max(32, Math.ceil(trainRows / 16)));
}

export interface WarmStartDecision {
  head: tf.Sequential | null;
  /** The version whose head was continued, when one was. */
  from: { versionId: string; round: number } | null;
  /** The round of the last from-scratch training in this chain (this round's, on a full retrain). */
  fullRetrainRound: number;
  reason: string;
}

interface LatestRow {
  id: string;
  round: number;
  backbone: string;
  split: { train?: string[] } | null;
  head: SerializedHead | null;
  fullRound: string | null;
}

export function fullRetrainEvery(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.CONCORD_FULL_RETRAIN_EVERY;
  if (v === undefined || v === '') return DEFAULT_FULL_RETRAIN_EVERY;
  if (!/^\d{1,4}$/.test(v.trim()))
    throw new Error(`CONCORD_FULL_RETRAIN_EVERY must be a whole number of rounds (1 = always from scratch) or unset; got "${v}"`);
  return Math.max(1, Number(v));
}

export async function decideWarmStart(
  sql: Sql,
  o: {
    projectId: string;
    round: number;
    backboneId: string;
    inputDim: number;
    valPatients: string[];
    fullEvery: number;
  },
): Promise<WarmStartDecision> {
  const full = (reason: string): WarmStartDecision => ({ head: null, from: null, fullRetrainRound: o.round, reason });
  if (o.fullEvery <= 1) return full('full retrain every round (CONCORD_FULL_RETRAIN_EVERY=1)');
  const [last] = await sql<LatestRow[]>`
    select id, round, backbone, split, head, metrics->'training'->>'fullRetrainRound' as full_round
    from model_versions where project_id = ${o.projectId} order by round desc limit 1`;
  if (!last?.head) return full('first round of the project');
  // A fine-tuned version's backbone id (+ft-rN) differs from the frozen one: its head saw other features.
  if (last.backbone !== o.backboneId) return full(`backbone changed (${last.backbone} → ${o.backboneId})`);
  if (last.head.inputDim !== o.inputDim) return full('embedding size changed');
  const lastFull = last.fullRound === null ? last.round : Number(last.fullRound);
  if (o.round - lastFull >= o.fullEvery) return full(`full retrain due (every ${o.fullEvery} rounds; last at round ${lastFull})`);
  const trained = new Set(last.split?.train ?? []);
  const leaked = o.valPatients.filter((p) => trained.has(p)).length;
  if (leaked) return full(`${leaked} validation patient(s) were training patients of round ${last.round}`);
  return {
    head: deserializeHead(last.head),
    from: { versionId: last.id, round: last.round },
    fullRetrainRound: lastFull,
    reason: `continued from round ${last.round}`,
  };
}

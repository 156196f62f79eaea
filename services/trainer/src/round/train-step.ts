import type { Sql } from '@concord/db';
import { buildHead, HEAD_MIN_EPOCHS, trainHead, type TrainOptions, type TrainResult } from '../model/head.js';
import { decideWarmStart, WARM_EPOCHS, warmBatchSize } from '../model/warm-start.js';
import type { tf } from '../backend.js';
import type { RoundPartition } from './partition.js';

export type WarmStart = Awaited<ReturnType<typeof decideWarmStart>>;

/** What a round trains: a fresh head, or the previous round's when warm start is allowed (RS1). */
export async function headForRound(
  sql: Sql,
  o: { projectId: string; round: number; backboneId: string; inputDim: number; split: RoundPartition['split']; fullEvery: number },
): Promise<{ head: tf.Sequential; warm: WarmStart }> {
  // RS1: never continue a head that trained on a patient validating this round (either role).
  const warm = await decideWarmStart(sql, {
    projectId: o.projectId,
    round: o.round,
    backboneId: o.backboneId,
    inputDim: o.inputDim,
    valPatients: [...o.split.epoch, ...o.split.calibration],
    fullEvery: o.fullEvery,
  });
  return { head: warm.head ?? buildHead(o.inputDim), warm };
}

/** The epoch budget: the caller's, else a warm start's shorter schedule, else a from-scratch one. */
export function epochPlan(warm: boolean, o: { epochs?: number; minEpochs?: number; patience?: number }) {
  return {
    epochs: o.epochs ?? (warm ? WARM_EPOCHS.epochs : 40),
    minEpochs: o.minEpochs ?? (warm ? WARM_EPOCHS.minEpochs : HEAD_MIN_EPOCHS),
    patience: o.patience ?? (warm ? WARM_EPOCHS.patience : undefined),
  };
}

/** The train step: the head on training patients, early-stopped on epoch patients. */
export function trainRound(
  head: tf.Sequential,
  part: Pick<RoundPartition, 'trainRows' | 'epochRows'>,
  vectors: Map<string, Float32Array>,
  o: { warm: boolean; round: number; epochs: number; minEpochs: number; patience?: number; onEpoch: TrainOptions['onEpoch'] },
): Promise<TrainResult> {
  const xy = (rows: RoundPartition['trainRows']) => ({ x: rows.map((s) => vectors.get(s.id)!), y: rows.map((s) => s.label as number) });
  return trainHead(head, xy(part.trainRows), part.epochRows.length ? xy(part.epochRows) : null, {
    epochs: o.epochs,
    patience: o.patience,
    minEpochs: o.minEpochs,
    batchSize: o.warm ? warmBatchSize(part.trainRows.length) : undefined,
    seed: o.round,
    onEpoch: o.onEpoch,
  });
}

/** The training record stored with the version, without the per-slice validation outputs. */
export function trainingSummary(t: TrainResult) {
  const { valProbabilities: _omitted, ...rest } = t;
  return rest;
}

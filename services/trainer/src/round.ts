import { createSessionClient, type Sql } from '@concord/db';
import type { FileStore } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import type { TrainingStage } from '@concord/contracts';
import { selectBackend, type BackendPreference } from './backend.js';
import type { BackboneOptions } from './model/backbone.js';
import { computeEmbeddings, loadEmbeddings } from './data/embeddings.js';
import { mcPredict, serializeHead } from './model/head.js';
import type { Strategy } from './al/uncertainty.js';
import { fullRetrainEvery } from './model/warm-start.js';
import { ensureTestSet } from './eval/splits.js';
import type { RoundMetrics } from './eval/metrics.js';
import { writeModelVersion, type WriteHook, type WrittenVersion } from './versions.js';
import type { HeldRun } from './jobs/liveness.js';
import { publish } from '@concord/training';
import { nextRoundNumber, roundSettings, roundSlices } from './round/round.queries.js';
import { partitionRound } from './round/partition.js';
import { epochPlan, headForRound, trainRound } from './round/train-step.js';
import { activeBatchSize, scoreRound, selectRound } from './round/select-step.js';
import { evaluateRound } from './round/evaluate-step.js';
import { versionRecord } from './round/version-record.js';
import { evaluationFor, evaluationSetView, rescoreVersions } from '@concord/evaluation';
import { fineTuneStep, type FineTuneRequest } from './model/finetune-round.js';

export interface RoundOptions {
  projectId: string;
  store: FileStore;
  backbone: BackboneOptions;
  jobId?: string;
  workers?: number;
  backend?: BackendPreference;
  /** Defaults to projects.al_strategy. */
  strategy?: Strategy;
  /** MC-dropout passes for uncertainty. */
  mcSamples?: number;
  epochs?: number;
  /** Epochs run before early stopping may act (default 15; see head.ts trainHead). */
  minEpochs?: number;
  patience?: number;
  /** Rounds between from-scratch trainings of the head; the rounds between warm-start (RS1). Default CONCORD_FULL_RETRAIN_EVERY or 5. */
  fullRetrainEvery?: number;
  hook?: WriteHook;
  /** The queue run this round belongs to: the version is written only while the job is still this run. */
  lease?: HeldRun;
  /** End-to-end fine-tune of the backbone's top stage(s) (TR17); undefined follows CONCORD_FINETUNE. */
  fineTune?: FineTuneRequest;
  /** Every progress step, unthrottled (the CLI's progress bars); sockets get a throttled copy. */
  onProgress?: (stage: TrainingStage, done: number, total: number, extra: { epoch?: number; loss?: number; valLoss?: number }) => void;
}

export interface RoundResult extends WrittenVersion {
  metrics: RoundMetrics;
  labelCount: number;
  selected: number;
  embedded: { computed: number; cached: number };
}

/**
 * Per-project lock held for the whole round on a client of its own (TR13): two rounds of one
 * project never run at once, whether queued or started from the CLI. If that connection dies
 * mid-round the lock is gone with it; a queued run is still fenced at its write (versions.ts).
 */
async function withProjectLock<T>(sql: Sql, projectId: string, fn: () => Promise<T>): Promise<T> {
  const lock = createSessionClient(sql, 'concord-trainer-lock');
  try {
    const [{ ok }] = await lock<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtext('concord-trainer'), hashtext(${projectId})) as ok`;
    if (!ok) throw new ConcordError(ErrorCode.TRAINING_BUSY, 'A training round for this project is already running; wait for it to finish');
    return await fn();
  } finally {
    // Ending the session releases its lock, whether or not the connection survived the round.
    await lock.end({ timeout: 5 }).catch(() => {});
  }
}

/**
 * One active-learning round: embed what is missing, train the head on final labels of
 * non-test patients, evaluate on the frozen test set, score and select unlabelled slices,
 * and write the version with everything it produced in one transaction.
 */
export async function runTrainingRound(sql: Sql, opts: RoundOptions): Promise<RoundResult> {
  return withProjectLock(sql, opts.projectId, () => runUnlocked(sql, opts));
}

async function runUnlocked(sql: Sql, opts: RoundOptions): Promise<RoundResult> {
  const { projectId } = opts;
  const jobId = opts.jobId ?? 'direct';
  const started = Date.now();
  let lastSent = 0;
  const progress = async (
    stage: TrainingStage,
    done: number,
    total: number,
    extra: { epoch?: number; loss?: number; valLoss?: number } = {},
    force = false,
  ) => {
    opts.onProgress?.(stage, done, total, extra);
    const now = Date.now();
    if (!force && now - lastSent < 1000 && done < total) return;
    lastSent = now;
    await publish(sql, { type: 'training:progress', projectId, jobId, stage, done, total, ...extra });
  };

  // Load: settings, the frozen test set, embeddings, and the slices in their roles.
  const settings = await roundSettings(sql, projectId);
  if (!settings) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project does not exist; check the project id');
  const strategy = opts.strategy ?? settings.alStrategy;
  const backend = await selectBackend(opts.backend);
  const testPatients = new Set(await ensureTestSet(sql, projectId));
  const emb = await computeEmbeddings(sql, {
    projectId,
    store: opts.store,
    backbone: opts.backbone,
    workers: opts.workers,
    backend: opts.backend,
    onProgress: (done, total) => {
      void progress('embedding', done, total);
    },
  });
  await progress('embedding', 1, 1, {}, true);
  const vectors = await loadEmbeddings(sql, projectId, emb.backboneId, emb.engine);
  const part = partitionRound(await roundSlices(sql, projectId), (id) => vectors.has(id));
  const round = await nextRoundNumber(sql, projectId);

  // Train: the head (warm or fresh), then the optional end-to-end fine-tune.
  const { head, warm } = await headForRound(sql, {
    projectId,
    round,
    backboneId: emb.backboneId,
    inputDim: vectors.values().next().value!.length,
    split: part.split,
    fullEvery: opts.fullRetrainEvery ?? fullRetrainEvery(),
  });
  try {
    const plan = epochPlan(!!warm.head, opts);
    const training = await trainRound(head, part, vectors, {
      warm: !!warm.head,
      round,
      ...plan,
      onEpoch: (epoch, loss, valLoss) => progress('training', epoch + 1, plan.epochs, { epoch: epoch + 1, loss, valLoss }, true),
    });
    // TR17: with fine-tuning, head and backbone top stage(s) train end to end from here, and this
    // round's scoring, evaluation and predictions use the fine-tuned features, not the cached ones.
    const fineTune = await fineTuneStep(sql, opts.fineTune, {
      projectId,
      store: opts.store,
      backbone: opts.backbone,
      backend,
      head,
      round,
      train: part.trainRows.map((s) => ({ sliceId: s.id, label: s.label as 0 | 1 })),
      slices: part.usable.map((s) => ({ id: s.id })),
      onProgress: (stage, done, total, extra) =>
        progress(stage === 'fine-tuning' ? 'fine-tuning' : 're-embedding', done, total, extra ?? {}, stage === 'fine-tuning'),
    });
    for (const [id, v] of fineTune.result?.vectors ?? []) vectors.set(id, v);

    // Score, evaluate, select.
    await progress('scoring', 0, part.usable.length, {}, true);
    const x = part.usable.map((s) => vectors.get(s.id)!);
    const [deterministic] = mcPredict(head, x, 0);
    const mcSamples = opts.mcSamples ?? 20;
    const scored = scoreRound(head, part, x, deterministic, { strategy, mcSamples, round, projectId, activeBatch: activeBatchSize(settings) });
    await progress('evaluating', 0, 1, {}, true);
    const evaluation = evaluateRound(part, deterministic, { screeningK: settings.screeningK, targetSensitivity: settings.targetSensitivity });
    await progress('selecting', 0, 1, {}, true);
    const selected = selectRound(scored.candidates, part.validationPatients, settings, `${projectId}:${round}`);

    // Write: the version and everything it produced in one transaction.
    const written = await writeModelVersion(
      sql,
      versionRecord({
        projectId,
        backbone: fineTune.result?.backboneId ?? emb.backboneId,
        // The id and hash computeEmbeddings derived (reading every weight byte): not derived again.
        weightsHash: emb.weightsHash,
        backend: backend.name,
        strategy,
        testPatients,
        part,
        evaluation,
        training,
        seconds: (Date.now() - started) / 1000,
        mcSamples,
        mcScored: scored.mcScored,
        warm,
        fineTune: fineTune.record,
        head: serializeHead(head),
        candidates: scored.candidates,
        selected,
      }),
      opts.hook,
      opts.lease,
    );
    // EV3: the version's figures on the whole evaluation set; once the set is complete, every
    // earlier version is re-scored on it too, so the learning curve compares like with like.
    if ((await evaluationSetView(sql, projectId)).complete) await rescoreVersions(sql, projectId);
    else await evaluationFor(sql, written.id);
    await progress('done', 1, 1, {}, true);
    return {
      ...written,
      metrics: evaluation.metrics,
      labelCount: part.labelled.length,
      selected: selected.length,
      embedded: { computed: emb.computed, cached: emb.cached },
    };
  } finally {
    head.dispose();
  }
}

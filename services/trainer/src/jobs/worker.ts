import type { Sql, FileStore } from '@concord/db';
import type { BackendPreference } from '../backend.js';
import type { BackboneOptions } from '../model/backbone.js';
import { runTrainingRound } from '../round.js';
import { startTrainingWorker } from './queue.js';
import type { HeldRun } from './liveness.js';
import { instrumentRunner, type TrainerMetrics } from './metrics.js';

export interface TrainerWorkerOptions {
  store: FileStore;
  backbone: BackboneOptions;
  /** Embedding worker threads; defaults to the core count. */
  embedWorkers?: number;
  backend?: BackendPreference;
  pollingIntervalSeconds?: number;
  /** A job this long active with no live trainer holding it is retried (CONCORD_TRAINER_ORPHAN_AFTER_SECONDS). */
  orphanAfterSeconds?: number;
  log?: (msg: string) => void;
  /** Observes every job's duration when given (main.ts serves them on CONCORD_TRAINER_METRICS_PORT). */
  metrics?: TrainerMetrics;
}

/** The trainer process's job loop: each queued job runs one active-learning round. */
export async function startTrainerWorker(sql: Sql, opts: TrainerWorkerOptions): Promise<{ stop(): Promise<void> }> {
  const log = opts.log ?? ((m: string) => console.log(`[trainer] ${m}`));
  const runner = async (projectId: string, jobId: string, lease?: HeldRun) => {
    log(`job ${jobId}: training round for project ${projectId}`);
    const r = await runTrainingRound(sql, {
      projectId,
      jobId,
      lease,
      store: opts.store,
      backbone: opts.backbone,
      workers: opts.embedWorkers,
      backend: opts.backend,
    });
    log(`job ${jobId}: round ${r.round} ${r.status}, test AUC ${r.metrics.auc ?? 'n/a'}, ${r.labelCount} labels, ${r.selected} selected`);
    return { modelVersionId: r.id, round: r.round, status: r.status };
  };
  return startTrainingWorker(sql, opts.metrics ? instrumentRunner(opts.metrics, runner) : runner, {
    pollingIntervalSeconds: opts.pollingIntervalSeconds,
    orphanAfterSeconds: opts.orphanAfterSeconds,
  });
}

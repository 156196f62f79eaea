import type { Sql } from '@concord/db';
import { isConcordError, ErrorCode } from '@concord/contracts';
import { claimJob, completeJob, failJob, publish, setQueuePolicy, type ClaimedJob, type HeldRun, type QueuePolicy } from '@concord/training';
import { beatIntervalMs, JobFencedOut, startHeartbeat, startReaper } from './liveness.js';

export { TRAINING_QUEUE, enqueueTraining, maybeEnqueueAfterLabels } from '@concord/training';

/**
 * Sets the training queue's retry policy (job_queues). Operators rarely need to; tests shorten
 * the retry delay so a crash-and-retry runs in seconds.
 */
export async function configureTrainingQueue(sql: Sql, opts: Partial<QueuePolicy>): Promise<void> {
  await setQueuePolicy(sql, opts);
}

/** Errors the user must fix (no labels of one class, a deleted project): retrying cannot help. */
export function isSkippable(e: unknown): boolean {
  return isConcordError(e) && (e.code === ErrorCode.BAD_INPUT || e.code === ErrorCode.PROJECT_NOT_FOUND);
}

export type RoundRunner = (projectId: string, jobId: string, lease?: HeldRun) => Promise<unknown>;

/**
 * Runs training jobs one at a time in this process. Errors the user must fix (no labels of one
 * class) complete the job with the reason; other errors fail it so it is retried.
 *
 * A run is settled only while the job is still that run (its run id, checked in the settling
 * statement itself), and before its heartbeat stops, so a reaper never sees a finished run as
 * orphaned and a run reaped meanwhile leaves the retry's run alone. The model version write
 * checks the same fence (versions.ts), so a run that lost its job writes nothing.
 */
export async function startTrainingWorker(
  sql: Sql,
  run: RoundRunner,
  opts: { pollingIntervalSeconds?: number; orphanAfterSeconds?: number } = {},
): Promise<{ stop(): Promise<void> }> {
  const intervalMs = (opts.pollingIntervalSeconds ?? 2) * 1000;
  let stopping = false;
  let wake: (() => void) | null = null;
  const pause = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        wake = null;
        resolve();
      }, intervalMs);
      wake = () => {
        clearTimeout(t);
        wake = null;
        resolve();
      };
    });

  const beatMs = beatIntervalMs(opts.orphanAfterSeconds ?? DEFAULT_ORPHAN_AFTER_SECONDS);
  const runJob = async (job: ClaimedJob) => {
    const stopBeating = startHeartbeat(sql, job, beatMs);
    try {
      try {
        const result = await run(job.projectId, job.jobId, job);
        await completeJob(sql, job, { result: result ?? null });
      } catch (e) {
        if (e instanceof JobFencedOut) return;
        // The operator's log says why a round ended without a version (messages hold no patient data).
        console.warn(`[trainer] job ${job.jobId}: ${isSkippable(e) ? 'not run' : 'failed, to be retried'}: ${(e as Error).message}`);
        await publish(sql, { type: 'training:progress', projectId: job.projectId, jobId: job.jobId, stage: 'failed', done: 0, total: 0 }).catch(() => {});
        if (isSkippable(e)) await completeJob(sql, job, { skipped: (e as Error).message });
        else await failJob(sql, job, (e as Error).message);
      }
    } finally {
      await stopBeating().catch(() => {});
    }
  };

  const loop = (async () => {
    while (!stopping) {
      let job: ClaimedJob | null = null;
      try {
        job = await claimJob(sql);
      } catch (e) {
        // A lost race for a project's one running slot (unique index) or the database gone: poll again.
        console.error(`[trainer] could not fetch a training job: ${(e as Error).message}`);
      }
      if (!job) {
        await pause();
        continue;
      }
      try {
        await runJob(job);
      } catch (e) {
        // The settle failed (database gone): the job stops beating and a live trainer's reaper retries it.
        console.error(`[trainer] job ${job.jobId}: ${(e as Error).message}`);
        await pause();
      }
    }
  })();
  const reaper = startReaper(sql, { graceSeconds: opts.orphanAfterSeconds ?? DEFAULT_ORPHAN_AFTER_SECONDS });
  return {
    // Waits for the running job to end.
    stop: async () => {
      stopping = true;
      reaper.stop();
      wake?.();
      await loop;
    },
  };
}

/** Missed beats for this long mean the trainer is gone: four beats' margin, short next to a round. */
export const DEFAULT_ORPHAN_AFTER_SECONDS = 60;

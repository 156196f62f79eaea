import type { Sql } from '@concord/db';
import { beat, publish, reapSilentJobs, type HeldRun } from '@concord/training';

/**
 * A training round may legitimately run for hours, so a trainer killed mid-round (OOM, node
 * drained, SIGKILL) must be noticed by silence, not by an expiry. Each running job beats on its
 * own row (training_jobs.beat_at) through the ordinary pool, so a dropped connection (database
 * restart, idle timeout, pooler) does not look like a dead trainer: the pool reconnects and beats
 * go on. A reaper in every trainer fails the active jobs whose run stopped beating, and they are
 * retried. A run that was reaped while alive (its beats stalled) is fenced by its run id: it
 * settles and writes nothing (stillHeld), so one job never yields two versions or settles another run.
 */

export type { HeldRun } from '@concord/training';

/** Thrown when a run finds its job reaped and handed on: it must write and settle nothing. */
export class JobFencedOut extends Error {
  constructor(jobId: string) {
    super(`Training job ${jobId} was handed to another trainer while this one ran (its heartbeat stalled); this run stops without writing`);
    this.name = 'JobFencedOut';
  }
}

/** Beats for the run every `intervalMs` until the returned stop. */
export function startHeartbeat(sql: Sql, run: HeldRun, intervalMs: number): () => Promise<void> {
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    // A failed beat is retried at the next tick; only a run of missed beats gets the job reaped.
    beating = beat(sql, run).catch(() => {});
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await beating;
  };
}

export interface ReaperOptions {
  /** A job active this long whose run has not beaten for as long is retried. */
  graceSeconds: number;
  log?: (msg: string) => void;
}

/** How often a run beats for a given grace: four beats may be missed before it is reaped. */
export function beatIntervalMs(graceSeconds: number): number {
  return Math.max(250, Math.min(15_000, (graceSeconds * 1000) / 4));
}

/** Reaps at start (a restarted trainer recovers its own crashed job at once), then periodically. */
export function startReaper(sql: Sql, opts: ReaperOptions): { stop(): void } {
  const log = opts.log ?? ((m: string) => console.warn(`[trainer] ${m}`));
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = reapSilentJobs(sql, opts.graceSeconds)
      .then(async (reaped) => {
        for (const { id, projectId } of reaped) {
          log(`job ${id}: its trainer stopped mid-round; queued for retry`);
          // The lead's live progress would otherwise stay on the dead run's last stage.
          await publish(sql, { type: 'training:progress', projectId, jobId: id, stage: 'failed', done: 0, total: 0 }).catch(() => {});
        }
      })
      .catch((e: Error) => log(`could not check for orphaned training jobs: ${e.message}`))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, Math.max(1, Math.min(30, opts.graceSeconds / 2)) * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

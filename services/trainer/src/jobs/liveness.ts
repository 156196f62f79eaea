import type PgBoss from 'pg-boss';
import type { Sql, TxSql } from '@concord/db';
import { publish } from '../events.js';
import { bossDb } from './boss-db.js';

/**
 * pg-boss learns that a worker died only when the job's expiry passes, and a training round may
 * legitimately run for hours, so a trainer killed mid-round (OOM, node drained, SIGKILL) would
 * leave its project without a round for that long. Each running job instead beats in
 * training_heartbeats through the ordinary pool, so a dropped connection (database restart,
 * idle timeout, pooler) does not look like a dead trainer: the pool reconnects and beats go on.
 * A reaper in every trainer fails the active jobs whose run stopped beating, and pg-boss retries
 * them. A run that was reaped while alive (its beats stalled) is fenced: it settles and writes
 * nothing (stillHeld), so one job never yields two versions or settles another run.
 */

/** The run a worker holds: the job id and its started_on, exact (text: JS Dates drop microseconds). */
export interface HeldRun { jobId: string; startedOn: string }

/** Thrown when a run finds its job reaped and handed on: it must write and settle nothing. */
export class JobFencedOut extends Error {
  constructor(jobId: string) {
    super(`Training job ${jobId} was handed to another trainer while this one ran (its heartbeat stalled); this run stops without writing`);
    this.name = 'JobFencedOut';
  }
}

/** True while the job is still active as this run (not failed, expired or restarted since). */
export async function stillHeld(sql: Sql | TxSql, run: HeldRun, forUpdate = false): Promise<boolean> {
  const rows = await sql`
    select 1 from pgboss.job where id = ${run.jobId} and state = 'active' and started_on::text = ${run.startedOn}
    ${forUpdate ? sql`for update` : sql``}`;
  return rows.length > 0;
}

/** Beats for the run every `intervalMs` until the returned stop, which removes the beat. */
export async function startHeartbeat(sql: Sql, run: HeldRun, intervalMs: number): Promise<() => Promise<void>> {
  await sql`
    insert into training_heartbeats (job_id, started_on) values (${run.jobId}, ${run.startedOn})
    on conflict (job_id) do update set started_on = excluded.started_on, beat_at = now()`;
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    // A failed beat is retried at the next tick; only a run of missed beats gets the job reaped.
    beating = sql`update training_heartbeats set beat_at = now() where job_id = ${run.jobId} and started_on = ${run.startedOn}`.catch(() => {});
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await beating;
    await sql`delete from training_heartbeats where job_id = ${run.jobId} and started_on = ${run.startedOn}`;
  };
}

/**
 * Fails the queue's active jobs started more than `graceSeconds` ago whose run has not beaten for
 * as long: their trainer is gone. Checked and failed in one transaction, with the job row locked,
 * so a job that meanwhile finished or was handed to a new worker is left alone. Returns the ids.
 */
async function reapOrphanedJobs(sql: Sql, boss: PgBoss, queue: string, graceSeconds: number): Promise<string[]> {
  const reaped = await sql.begin(async (tx) => {
    const orphans = await tx<{ id: string; project_id: string | null }[]>`
      select j.id, j.data->>'projectId' as project_id
        from pgboss.job j
        left join training_heartbeats h on h.job_id = j.id and h.started_on = j.started_on::text
       where j.name = ${queue} and j.state = 'active'
         and j.started_on < now() - make_interval(secs => ${graceSeconds})
         and (h.beat_at is null or h.beat_at < now() - make_interval(secs => ${graceSeconds}))
       for update of j skip locked`;
    for (const { id } of orphans) {
      await boss.fail(queue, id, { message: 'The trainer running this job stopped (its heartbeat ended); the round is retried' }, { db: bossDb(tx) });
      await tx`delete from training_heartbeats where job_id = ${id}`;
    }
    return orphans;
  });
  for (const { id, project_id: projectId } of reaped) {
    // The lead's live progress would otherwise stay on the dead run's last stage.
    if (projectId) await publish(sql, { type: 'training:progress', projectId, jobId: id, stage: 'failed', done: 0, total: 0 }).catch(() => {});
  }
  return reaped.map((r) => r.id);
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
export function startReaper(sql: Sql, boss: PgBoss, queue: string, opts: ReaperOptions): { stop(): void } {
  const log = opts.log ?? ((m: string) => console.warn(`[trainer] ${m}`));
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = reapOrphanedJobs(sql, boss, queue, opts.graceSeconds)
      .then((ids) => { for (const id of ids) log(`job ${id}: its trainer stopped mid-round; queued for retry`); })
      .catch((e: Error) => log(`could not check for orphaned training jobs: ${e.message}`))
      .finally(() => { running = null; });
  };
  tick();
  const timer = setInterval(tick, Math.max(1, Math.min(30, opts.graceSeconds / 2)) * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

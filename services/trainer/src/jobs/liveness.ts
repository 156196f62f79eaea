import type PgBoss from 'pg-boss';
import type { Sql } from '../../../../apps/api/src/db/sql.js';

/**
 * pg-boss learns that a worker died only when the job's expiry passes, and a training round may
 * legitimately run for hours, so a trainer killed mid-round (OOM, node drained, SIGKILL) would
 * leave its project without a round for that long. Instead each running job holds a session
 * advisory lock on a connection of its own: PostgreSQL drops it the moment the process or its
 * connection dies. A reaper in every trainer fails the active jobs that nobody holds, and
 * pg-boss retries them as it would any failure.
 */

// The first key of the two-key advisory lock space, so job locks never meet the migration lock.
const JOB_LOCK_SPACE = 0x436f6e63; // 'Conc'

/** Holds the job's lock until the returned release is called (or the process dies). */
export async function holdJobLock(sql: Sql, jobId: string): Promise<() => Promise<void>> {
  const conn = await sql.reserve();
  try {
    // Blocking: a reaper that just found the job free holds the lock for a moment only.
    await conn`select pg_advisory_lock(${JOB_LOCK_SPACE}, hashtext(${jobId}))`;
  } catch (e) {
    conn.release();
    throw e;
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await conn`select pg_advisory_unlock(${JOB_LOCK_SPACE}, hashtext(${jobId}))`;
    } finally {
      conn.release();
    }
  };
}

/**
 * Fails the queue's active jobs started more than `graceSeconds` ago whose lock is free: their
 * worker is gone. The grace covers the moment between pg-boss handing a job out and the worker
 * taking its lock. Returns the ids it failed.
 */
export async function reapOrphanedJobs(sql: Sql, boss: PgBoss, queue: string, graceSeconds: number): Promise<string[]> {
  const active = await sql<{ id: string }[]>`
    select id from pgboss.job
    where name = ${queue} and state = 'active' and started_on < now() - make_interval(secs => ${graceSeconds})`;
  if (active.length === 0) return [];
  const reaped: string[] = [];
  const conn = await sql.reserve();
  try {
    for (const { id } of active) {
      const [{ free }] = await conn<{ free: boolean }[]>`select pg_try_advisory_lock(${JOB_LOCK_SPACE}, hashtext(${id})) as free`;
      if (!free) continue;
      try {
        // Checked again under the lock: the job may have been failed and handed to a new worker
        // since the list was read; that worker's fresh start is inside the grace, so it is left alone.
        const [still] = await conn`
          select 1 from pgboss.job where id = ${id} and state = 'active' and started_on < now() - make_interval(secs => ${graceSeconds})`;
        if (!still) continue;
        await boss.fail(queue, id, { message: 'The trainer running this job stopped (process or database connection lost); the round is retried' });
        reaped.push(id);
      } finally {
        await conn`select pg_advisory_unlock(${JOB_LOCK_SPACE}, hashtext(${id}))`;
      }
    }
  } finally {
    conn.release();
  }
  return reaped;
}

export interface ReaperOptions {
  /** A job active this long with no live worker is retried. */
  graceSeconds: number;
  log?: (msg: string) => void;
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

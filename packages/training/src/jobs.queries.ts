import type { Sql, TxSql } from '@concord/db';

/** The queue training rounds wait in (one row in job_queues holds its retry policy). */
export const TRAINING_QUEUE = 'concord-training';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'failed';

/** The states of a round that waits or runs: the only ones enqueueing returns. */
export type PendingJobState = Extract<JobState, 'created' | 'retry' | 'active'>;

/** The run a worker holds: the job and the fencing token its claim was given. */
export interface HeldRun {
  jobId: string;
  runId: string;
}

/** A claimed job: what a worker runs. */
export interface ClaimedJob extends HeldRun {
  projectId: string;
}

export interface QueuePolicy {
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireSeconds: number;
}

export async function setQueuePolicy(sql: Sql, p: Partial<QueuePolicy>): Promise<void> {
  await sql`
    update job_queues set
      retry_limit = coalesce(${p.retryLimit ?? null}::int, retry_limit),
      retry_delay_seconds = coalesce(${p.retryDelaySeconds ?? null}::int, retry_delay_seconds),
      retry_backoff = coalesce(${p.retryBackoff ?? null}::boolean, retry_backoff),
      expire_seconds = coalesce(${p.expireSeconds ?? null}::int, expire_seconds)
    where name = ${TRAINING_QUEUE}`;
}

/** Queues a round unless one is already waiting; returns the new job's id, or null. */
export async function insertWaitingJob(sql: Sql, projectId: string): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    insert into training_jobs (project_id) values (${projectId})
    on conflict (project_id) where state in ('created', 'retry') do nothing
    returning id`;
  return row?.id ?? null;
}

/** The project's waiting job, else its running one. */
export async function pendingJob(sql: Sql, projectId: string): Promise<{ id: string; state: PendingJobState } | undefined> {
  const [row] = await sql<{ id: string; state: PendingJobState }[]>`
    select id, state from training_jobs
     where project_id = ${projectId} and state in ('created', 'retry', 'active')
     order by case state when 'created' then 0 when 'retry' then 1 else 2 end, created_on desc
     limit 1`;
  return row;
}

/**
 * Claims the oldest runnable job whose project has no running one. SKIP LOCKED keeps two
 * trainers off the same row; the one-running index refuses a second run of a project even if
 * two claims for it raced (the loser's claim fails and it polls again).
 */
export async function claimJob(sql: Sql): Promise<ClaimedJob | null> {
  const [row] = await sql<{ id: string; projectId: string; runId: string }[]>`
    with next as (
      select j.id from training_jobs j
       where j.state in ('created', 'retry') and j.start_after <= now()
         and not exists (select 1 from training_jobs a where a.project_id = j.project_id and a.state = 'active')
       order by j.start_after, j.created_on
       for update skip locked
       limit 1)
    update training_jobs j
       set state = 'active', run_id = gen_random_uuid(), started_on = now(), beat_at = now()
      from next where j.id = next.id
    returning j.id, j.project_id, j.run_id`;
  return row ? { jobId: row.id, projectId: row.projectId, runId: row.runId } : null;
}

/** True while the job is still active as this run (not failed, reaped or completed since). */
export async function stillHeld(sql: Sql | TxSql, run: HeldRun, forUpdate = false): Promise<boolean> {
  const rows = await sql`
    select 1 from training_jobs where id = ${run.jobId} and state = 'active' and run_id = ${run.runId}
    ${forUpdate ? sql`for update` : sql``}`;
  return rows.length > 0;
}

export async function beat(sql: Sql, run: HeldRun): Promise<void> {
  await sql`update training_jobs set beat_at = now() where id = ${run.jobId} and run_id = ${run.runId} and state = 'active'`;
}

/** Completes the job if this run still holds it; false when it was reaped meanwhile. */
export async function completeJob(sql: Sql | TxSql, run: HeldRun, output: unknown): Promise<boolean> {
  const rows = await sql`
    update training_jobs set state = 'completed', completed_on = now(), run_id = null, output = ${sql.json(output as never)}
     where id = ${run.jobId} and run_id = ${run.runId} and state = 'active'
    returning id`;
  return rows.length > 0;
}

/**
 * The state a failed run leaves its job in, as SQL over the row `j` and its queue `q`: retried
 * after the delay (doubled per attempt with backoff) while attempts remain and no other round of
 * the project is waiting (that round does the same work), failed otherwise.
 */
const retryable = (sql: Sql | TxSql) => sql`(j.retry_count < q.retry_limit
  and not exists (select 1 from training_jobs w where w.project_id = j.project_id and w.state in ('created', 'retry')))`;

/** The columns a failed run sets on its job row `j` (queue `q`): retried or failed, run released. */
const failedRun = (sql: Sql | TxSql) => sql`
  state = case when ${retryable(sql)} then 'retry' else 'failed' end,
  retry_count = j.retry_count + case when ${retryable(sql)} then 1 else 0 end,
  start_after = now() + make_interval(secs => q.retry_delay_seconds * case when q.retry_backoff then power(2, j.retry_count) else 1 end),
  completed_on = case when ${retryable(sql)} then null else now() end`;

/** Fails the job if this run still holds it (retrying it when the policy allows); false when it was reaped. */
export async function failJob(sql: Sql | TxSql, run: HeldRun, message: string): Promise<boolean> {
  const rows = await sql`
    update training_jobs j set
      ${failedRun(sql)},
      run_id = null,
      output = ${sql.json({ message } as never)}
      from job_queues q
     where q.name = ${TRAINING_QUEUE} and j.id = ${run.jobId} and j.run_id = ${run.runId} and j.state = 'active'
    returning j.id`;
  return rows.length > 0;
}

/**
 * Fails, as one statement, the active jobs whose run has been silent for `graceSeconds` (and
 * started at least that long ago) or has outlived the queue's expiry: their trainer is gone.
 * A run writing its version holds its job row locked (stillHeld … for update): this waits for
 * it and then sees the job completed. Returns the jobs reaped.
 */
export async function reapSilentJobs(sql: Sql, graceSeconds: number): Promise<{ id: string; projectId: string }[]> {
  const silent = sql`now() - make_interval(secs => ${graceSeconds})`;
  const rows = await sql<{ id: string; projectId: string }[]>`
    update training_jobs j set
      ${failedRun(sql)},
      run_id = null,
      output = jsonb_build_object('message', 'The trainer running this job stopped (its heartbeat ended); the round is retried')
      from job_queues q
     where q.name = ${TRAINING_QUEUE} and j.state = 'active'
       and ((j.started_on < ${silent} and j.beat_at < ${silent})
            or j.started_on < now() - make_interval(secs => q.expire_seconds))
    returning j.id, j.project_id`;
  return rows.map((r) => ({ id: r.id, projectId: r.projectId }));
}

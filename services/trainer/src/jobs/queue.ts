import PgBoss from 'pg-boss';
import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode, isConcordError } from '@concord/contracts';
import { publish } from '../events.js';
import { bossDb } from './boss-db.js';
import { beatIntervalMs, JobFencedOut, startHeartbeat, startReaper, stillHeld, type HeldRun } from './liveness.js';

export const TRAINING_QUEUE = 'concord-training';

export interface TrainingJobData { projectId: string }

const bosses = new WeakMap<Sql, Promise<PgBoss>>();

export interface QueueOptions {
  /** Seconds a job may stay active before pg-boss treats its worker as dead and retries it. */
  expireInSeconds?: number;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
}

/**
 * One pg-boss per client. `stately` with the project id as singleton key allows one queued
 * and one running training job per project (TR13); a crashed job expires and is retried.
 */
export function trainingQueue(sql: Sql, opts: QueueOptions = {}): Promise<PgBoss> {
  let p = bosses.get(sql);
  if (!p) {
    p = (async () => {
      const boss = new PgBoss({ db: bossDb(sql), schedule: false });
      boss.on('error', (e: Error) => console.error(`[trainer] job queue error: ${e.message}`));
      await boss.start();
      if (!(await boss.getQueue(TRAINING_QUEUE))) {
        try {
          await boss.createQueue(TRAINING_QUEUE, {
            name: TRAINING_QUEUE,
            policy: 'stately',
            retryLimit: opts.retryLimit ?? 3,
            retryDelay: opts.retryDelay ?? 30,
            retryBackoff: opts.retryBackoff ?? true,
            expireInSeconds: opts.expireInSeconds ?? 4 * 3600,
          });
        } catch (e) {
          // Another process created it between our check and insert.
          if (!(await boss.getQueue(TRAINING_QUEUE))) throw e;
        }
      }
      return boss;
    })();
    bosses.set(sql, p);
    p.catch(() => bosses.delete(sql));
  }
  return p;
}

export async function closeTrainingQueue(sql: Sql): Promise<void> {
  const p = bosses.get(sql);
  if (!p) return;
  bosses.delete(sql);
  await (await p).stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
}

async function pendingJob(sql: Sql, projectId: string): Promise<{ id: string; state: string } | undefined> {
  const [row] = await sql<{ id: string; state: string }[]>`
    select id, state::text from pgboss.job
    where name = ${TRAINING_QUEUE} and singleton_key = ${projectId} and state in ('created', 'retry', 'active')
    order by case state when 'created' then 0 when 'retry' then 1 else 2 end, created_on desc limit 1`;
  return row;
}

/**
 * Queues a training round for a project (GraphQL `triggerTraining`). Idempotent: when a
 * round is already waiting, its id is returned instead of queueing another.
 */
export async function enqueueTraining(sql: Sql, projectId: string): Promise<{ jobId: string; state: string }> {
  const [project] = await sql<{ id: string }[]>`select id from projects where id = ${projectId}`;
  if (!project) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project does not exist; check the project id');
  const boss = await trainingQueue(sql);
  const id = await boss.send(TRAINING_QUEUE, { projectId } satisfies TrainingJobData, { singletonKey: projectId });
  if (id) return { jobId: id, state: 'created' };
  const existing = await pendingJob(sql, projectId);
  if (existing) return { jobId: existing.id, state: existing.state };
  throw new ConcordError(ErrorCode.TRAINING_BUSY, 'Training for this project is being scheduled; try again in a few seconds');
}

/**
 * Called after final labels are written: queues a round once `retrain_every` new final labels
 * exist since the last model version (TR16). retrain_every = 0 turns this off.
 */
export async function maybeEnqueueAfterLabels(sql: Sql, projectId: string): Promise<{ jobId: string } | null> {
  const [row] = await sql<{ retrain_every: number; fresh: number }[]>`
    select p.retrain_every,
           (select count(*)::int from final_labels f
             where f.project_id = p.id
               and f.decided_at > coalesce((select max(created_at) from model_versions m where m.project_id = p.id), '-infinity')) as fresh
    from projects p where p.id = ${projectId}`;
  if (!row || row.retrain_every === 0 || row.fresh < row.retrain_every) return null;
  return enqueueTraining(sql, projectId);
}

/** Errors the user must fix (no labels of one class, a deleted project): retrying cannot help. */
export function isSkippable(e: unknown): boolean {
  return isConcordError(e) && (e.code === ErrorCode.BAD_INPUT || e.code === ErrorCode.PROJECT_NOT_FOUND);
}

export type RoundRunner = (projectId: string, jobId: string, lease?: HeldRun) => Promise<unknown>;

/**
 * Runs training jobs one at a time in this process. Errors the user must fix (no labels of one
 * class) complete the job with the reason; other errors fail it so pg-boss retries it.
 *
 * The loop fetches and settles jobs itself instead of `boss.work`, whose handler wrapper completes
 * or fails a job by id alone: a worker whose job was reaped meanwhile (its heartbeat stalled, or
 * the 4 h expiry passed) would then settle the retry's run. Here a run is settled only while the
 * job is still that run (same started_on), in one transaction with that check, and before its
 * heartbeat stops, so a reaper never sees a finished run as orphaned. The model version write
 * checks the same fence (versions.ts), so a run that lost its job writes nothing.
 */
export async function startTrainingWorker(sql: Sql, run: RoundRunner, opts: { pollingIntervalSeconds?: number; orphanAfterSeconds?: number } = {}): Promise<{ stop(): Promise<void> }> {
  const boss = await trainingQueue(sql);
  const intervalMs = (opts.pollingIntervalSeconds ?? 2) * 1000;
  let stopping = false;
  let wake: (() => void) | null = null;
  const pause = () => new Promise<void>((resolve) => {
    const t = setTimeout(() => { wake = null; resolve(); }, intervalMs);
    wake = () => { clearTimeout(t); wake = null; resolve(); };
  });

  const beatMs = beatIntervalMs(opts.orphanAfterSeconds ?? DEFAULT_ORPHAN_AFTER_SECONDS);
  const runJob = async (job: PgBoss.Job<TrainingJobData>) => {
    const [row] = await sql<{ started_on: string }[]>`select started_on::text from pgboss.job where id = ${job.id} and state = 'active'`;
    if (!row) return; // reaped between fetch and now: another worker owns it
    const lease: HeldRun = { jobId: job.id, startedOn: row.started_on };
    const stopBeating = await startHeartbeat(sql, lease, beatMs);
    try {
      let settle: ((db: PgBoss.Db) => Promise<unknown>) | null;
      try {
        const result = await run(job.data.projectId, job.id, lease);
        settle = (db) => boss.complete(TRAINING_QUEUE, job.id, { result } as object, { db });
      } catch (e) {
        if (e instanceof JobFencedOut) settle = null;
        else {
          // The operator's log says why a round ended without a version (messages hold no patient data).
          console.warn(`[trainer] job ${job.id}: ${isSkippable(e) ? 'not run' : 'failed, to be retried'}: ${(e as Error).message}`);
          await publish(sql, { type: 'training:progress', projectId: job.data.projectId, jobId: job.id, stage: 'failed', done: 0, total: 0 }).catch(() => {});
          settle = isSkippable(e)
            ? (db) => boss.complete(TRAINING_QUEUE, job.id, { skipped: (e as Error).message }, { db })
            : (db) => boss.fail(TRAINING_QUEUE, job.id, { message: (e as Error).message }, { db });
        }
      }
      // Settled only while the job is still this run, with its row locked: a reaper cannot fail it
      // in between, and a run that was reaped meanwhile leaves the new run alone.
      if (settle) {
        const s = settle;
        await sql.begin(async (tx) => { if (await stillHeld(tx, lease, true)) await s(bossDb(tx)); });
      }
    } finally {
      await stopBeating().catch(() => {});
    }
  };

  const loop = (async () => {
    while (!stopping) {
      let job: PgBoss.Job<TrainingJobData> | undefined;
      try {
        [job] = await boss.fetch<TrainingJobData>(TRAINING_QUEUE, { batchSize: 1 });
      } catch (e) {
        console.error(`[trainer] could not fetch a training job: ${(e as Error).message}`);
      }
      if (!job) { await pause(); continue; }
      try {
        await runJob(job);
      } catch (e) {
        // The settle failed (database gone): the job stops beating and a live trainer's reaper retries it.
        console.error(`[trainer] job ${job.id}: ${(e as Error).message}`);
        await pause();
      }
    }
  })();
  const reaper = startReaper(sql, boss, TRAINING_QUEUE, { graceSeconds: opts.orphanAfterSeconds ?? DEFAULT_ORPHAN_AFTER_SECONDS });
  return {
    // Waits for the running job, as pg-boss' offWork did.
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

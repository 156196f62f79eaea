import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';

// Paths held in variables so the API type-checks and runs where the trainer is not installed.
const QUEUE_MODULE = '../../../../services/trainer/src/jobs/queue.js';
const PROMOTION_MODULE = '../../../../services/trainer/src/versions.js';

/**
 * A trainer module, or null when the trainer is not installed. Only its absence reads as "not
 * installed": any other load failure (a syntax error, a missing dependency of the trainer) is a
 * fault and is thrown, not hidden behind that message.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function loadTrainerModule(specifier: string): Promise<any> {
  try {
    return await import(specifier);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const file = specifier.split('/').pop()!.replace(/\.js$/, '');
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(file)) return null;
    throw e;
  }
}
const load = (p: string) => loadTrainerModule(new URL(p, import.meta.url).href);

/**
 * The API's only door into the trainer: it enqueues jobs and promotes versions; the trainer
 * process does the work. Loaded lazily so the API starts without TensorFlow in memory.
 */
export async function enqueueTrainingFor(sql: Sql, projectId: string, actorId: string): Promise<{ id: string; state: string }> {
  const mod = await load(QUEUE_MODULE);
  if (!mod?.enqueueTraining) throw new ConcordError(ErrorCode.INTERNAL, 'The training service is not installed on this server.');
  const { jobId, state } = await mod.enqueueTraining(sql, projectId);
  await sql`insert into audit_log (project_id, actor_id, action, entity_id) values (${projectId}, ${actorId}, 'TRIGGER_TRAINING', ${jobId})`;
  return { id: jobId, state: String(state ?? 'created') };
}

export async function promoteFor(sql: Sql, modelVersionId: string, actorId: string, note: string | null = null): Promise<void> {
  const mod = await load(PROMOTION_MODULE);
  if (!mod?.promote) throw new ConcordError(ErrorCode.INTERNAL, 'The training service is not installed on this server.');
  await mod.promote(sql, modelVersionId, { actorId, via: 'graphql', note });
}

export async function maybeEnqueueAfterLabels(sql: Sql, projectId: string): Promise<void> {
  const mod = await load(QUEUE_MODULE);
  if (mod?.maybeEnqueueAfterLabels) await mod.maybeEnqueueAfterLabels(sql, projectId);
}

/** Stops this process's pg-boss handle, if enqueueing ever started one. */
export async function closeTrainingBridge(sql: Sql): Promise<void> {
  const mod = await load(QUEUE_MODULE);
  if (mod?.closeTrainingQueue) await mod.closeTrainingQueue(sql);
}

import type { Sql } from '@concord/db';
import { enqueueTraining, maybeEnqueueAfterLabels as queueAfterLabels, promote, type PendingJobState } from '@concord/training';

export type { PendingJobState } from '@concord/training';

/**
 * The API's only doors into training: it queues jobs (a table the trainer polls) and promotes
 * versions, both through @concord/training; the trainer process does the work, so the API never
 * loads TensorFlow.
 */
export async function enqueueTrainingFor(sql: Sql, projectId: string, actorId: string): Promise<{ id: string; state: PendingJobState }> {
  const { jobId, state } = await enqueueTraining(sql, projectId);
  await sql`insert into audit_log (project_id, actor_id, action, entity_id) values (${projectId}, ${actorId}, 'TRIGGER_TRAINING', ${jobId})`;
  return { id: jobId, state };
}

export async function promoteFor(sql: Sql, modelVersionId: string, actorId: string, note: string | null = null): Promise<void> {
  await promote(sql, modelVersionId, { actorId, via: 'graphql', note });
}

export async function maybeEnqueueAfterLabels(sql: Sql, projectId: string): Promise<void> {
  await queueAfterLabels(sql, projectId);
}

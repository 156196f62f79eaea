import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { insertWaitingJob, pendingJob, type PendingJobState } from './jobs.queries.js';

/**
 * Queues a training round for a project (GraphQL `triggerTraining`, the CLI). Idempotent: when a
 * round is already waiting, its id is returned instead of queueing another (TR13).
 */
export async function enqueueTraining(sql: Sql, projectId: string): Promise<{ jobId: string; state: PendingJobState }> {
  const [project] = await sql<{ id: string }[]>`select id from projects where id = ${projectId}`;
  if (!project) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project does not exist; check the project id');
  const id = await insertWaitingJob(sql, projectId);
  if (id) return { jobId: id, state: 'created' };
  const existing = await pendingJob(sql, projectId);
  if (existing) return { jobId: existing.id, state: existing.state };
  // The waiting job started between the insert and the read: queue behind it.
  const again = await insertWaitingJob(sql, projectId);
  if (again) return { jobId: again, state: 'created' };
  throw new ConcordError(ErrorCode.TRAINING_BUSY, 'Training for this project is being scheduled; try again in a few seconds');
}

/**
 * Called after final labels are written: queues a round once `retrain_every` new final labels
 * exist since the last model version (TR16). retrain_every = 0 turns this off.
 */
export async function maybeEnqueueAfterLabels(sql: Sql, projectId: string): Promise<{ jobId: string } | null> {
  const [row] = await sql<{ retrainEvery: number; fresh: number }[]>`
    select p.retrain_every,
           (select count(*)::int from final_labels f
             where f.project_id = p.id
               and f.decided_at > coalesce((select max(created_at) from model_versions m where m.project_id = p.id), '-infinity')) as fresh
    from projects p where p.id = ${projectId}`;
  if (!row || row.retrainEvery === 0 || row.fresh < row.retrainEvery) return null;
  return enqueueTraining(sql, projectId);
}

import type { Sql, TxSql } from '@concord/db';

/** [RQ10] The latest pause/resume event decides; no event means not paused. */
export async function isPaused(sql: Sql | TxSql, projectId: string, userId: string): Promise<boolean> {
  const [row] = await sql<{ action: string }[]>`
    select action from reader_pause_events where project_id = ${projectId} and user_id = ${userId}
     order by id desc limit 1`;
  return row?.action === 'PAUSE';
}

/** Latest event per reader of the project: whether paused, and since when they were last resumed. */
export async function pauseStates(sql: Sql | TxSql, projectId: string): Promise<Map<string, { paused: boolean; resumedAt: Date | null }>> {
  const rows = await sql<{ userId: string; action: string; resumedAt: Date | null }[]>`
    select distinct on (user_id) user_id, action,
           (select max(created_at) from reader_pause_events r
             where r.project_id = e.project_id and r.user_id = e.user_id and r.action = 'RESUME') as resumed_at
      from reader_pause_events e where project_id = ${projectId}
     order by user_id, id desc`;
  return new Map(rows.map((r) => [r.userId, { paused: r.action === 'PAUSE', resumedAt: r.resumedAt }]));
}

export async function recordPauseEvent(
  tx: TxSql,
  e: { projectId: string; userId: string; action: 'PAUSE' | 'RESUME'; actorId: string | null; reason: string },
): Promise<void> {
  await tx`insert into reader_pause_events (project_id, user_id, action, actor_id, reason)
           values (${e.projectId}, ${e.userId}, ${e.action}, ${e.actorId}, ${e.reason})`;
  await tx`insert into audit_log (project_id, actor_id, action, entity_id, payload)
           values (${e.projectId}, ${e.actorId}, ${e.action === 'PAUSE' ? 'READER_PAUSED' : 'READER_RESUMED'}, ${e.userId}, ${tx.json({ reason: e.reason })})`;
}

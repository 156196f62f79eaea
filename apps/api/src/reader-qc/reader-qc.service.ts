import type { Sql } from '@concord/db';
import { isUuid } from '../auth/guard.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { getProject } from '../projects/projects.queries.js';
import { isFlagged, readerPerformance, type Estimate, type ReaderPerformance } from './performance.js';
import { readerFacts } from './performance.queries.js';
import { isPaused, recordPauseEvent } from './pause.queries.js';

/** [RQ7]–[RQ11] Every reader of the project; leads and admins only (checked by the resolver). */
export async function performanceFor(sql: Sql, projectId: string): Promise<ReaderPerformance[]> {
  const project = await getProject(sql, projectId);
  return (await readerFacts(sql, projectId)).map((f) => readerPerformance(f, project.goldFlagBelow));
}

export interface FlagOutcome {
  userId: string;
  reader: string;
  paused: boolean;
  window: Estimate;
}

/**
 * [RQ9] [RQ10] Run after each gold read: a reader whose flag this read raised is reported (once,
 * when it first appears) and, when the project says so, paused. Null when nothing changed.
 */
export async function checkFlagAfterGoldRead(sql: Sql, projectId: string, userId: string): Promise<FlagOutcome | null> {
  const project = await getProject(sql, projectId);
  if (project.goldFlagBelow == null) return null;
  const [facts] = await readerFacts(sql, projectId, userId);
  if (!facts || facts.gold.length === 0) return null;
  const now = isFlagged(facts, project.goldFlagBelow);
  const before = isFlagged({ ...facts, gold: facts.gold.slice(0, -1) }, project.goldFlagBelow);
  if (!now.flagged || before.flagged) return null;
  let paused = facts.paused;
  if (project.pauseFlaggedReaders && !paused) {
    paused = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${`reader-pause:${projectId}:${userId}`}))`;
      if (await isPaused(tx, projectId, userId)) return true;
      const w = now.window!;
      await recordPauseEvent(tx, {
        projectId,
        userId,
        action: 'PAUSE',
        actorId: null,
        reason: `rolling gold accuracy ${w.value.toFixed(3)} (95% Wilson ${w.low.toFixed(3)}–${w.high.toFixed(3)}, n ${w.slices}) below ${project.goldFlagBelow}`,
      });
      return true;
    });
  }
  return { userId, reader: facts.username, paused, window: now.window! };
}

/** `resumeReader`: a paused reader gets leases again; their flag restarts from new gold reads. */
export async function resumeReader(sql: Sql, projectId: string, userId: string, actorId: string): Promise<boolean> {
  if (!isUuid(userId)) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such reader in this project.');
  const [member] = await sql`select 1 from project_members where project_id = ${projectId} and user_id = ${userId}`;
  if (!member) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such reader in this project.');
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`reader-pause:${projectId}:${userId}`}))`;
    if (!(await isPaused(tx, projectId, userId))) return false;
    await recordPauseEvent(tx, { projectId, userId, action: 'RESUME', actorId, reason: 'resumed by a lead' });
    return true;
  });
}

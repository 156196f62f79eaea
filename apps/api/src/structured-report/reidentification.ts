/**
 * The project's re-identification setting (SR10) and the original identity ingest keeps while it
 * is on. Off by default; each change is audited. Turning it off stops recording; what was kept
 * stays (the audit trail says when), because SRs already written to the site's PACS refer to it.
 */
import type { Sql, TxSql } from '@concord/db';
import { isUuid } from '../auth/guard.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';

export { sliceOrigin, type SliceOrigin } from '../ingest/slice-origin.js';
import type { SliceOrigin } from '../ingest/slice-origin.js';

function projectNotFound(): ConcordError {
  return new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'No such project; list them with `npm run concord -- project list`.');
}

export async function reidentificationAllowed(sql: Sql | TxSql, projectId: string): Promise<boolean> {
  if (!isUuid(projectId)) throw projectNotFound();
  const [row] = await sql<{ allowReidentification: boolean }[]>`select allow_reidentification from projects where id = ${projectId}`;
  if (!row) throw projectNotFound();
  return row.allowReidentification;
}

export async function setReidentification(sql: Sql, projectId: string, allowed: boolean, actorId: string | null): Promise<void> {
  await reidentificationAllowed(sql, projectId);
  await sql.begin(async (tx) => {
    await tx`update projects set allow_reidentification = ${allowed} where id = ${projectId}`;
    await tx`insert into audit_log (project_id, actor_id, action, payload)
             values (${projectId}, ${actorId}, 'REIDENTIFICATION_SETTING', ${tx.json({ allowed })})`;
  });
}

/** Called by ingest inside a series' transaction, only for projects that allow it. */
export async function recordOrigins(tx: TxSql, projectId: string, rows: { sliceId: string; origin: SliceOrigin }[]): Promise<void> {
  const usable = rows.filter((r) => r.origin.studyUid && r.origin.seriesUid && r.origin.sopUid && r.origin.sopClassUid);
  if (!usable.length) return;
  await tx`insert into slice_origins ${tx(
    usable.map((r) => ({
      sliceId: r.sliceId,
      projectId,
      studyUid: r.origin.studyUid,
      seriesUid: r.origin.seriesUid,
      sopUid: r.origin.sopUid,
      sopClassUid: r.origin.sopClassUid,
      patientId: r.origin.patientId,
      patientName: r.origin.patientName,
    })),
  )} on conflict (slice_id) do nothing`;
}

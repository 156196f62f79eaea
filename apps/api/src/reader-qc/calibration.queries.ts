import type { Sql, TxSql } from '@concord/db';

export interface CalibrationState {
  required: boolean;
  passAt: number;
  total: number;
  answered: number;
  correct: number;
  /** Latest recorded outcome; null while the reader has not finished the set. */
  passed: boolean | null;
}

/** [RQ15] Where this reader stands in the project's calibration. */
export async function calibrationState(sql: Sql | TxSql, projectId: string, userId: string): Promise<CalibrationState> {
  const [row] = await sql<{ required: boolean; passAt: number; total: number; answered: number; correct: number; passed: boolean | null }[]>`
    select p.calibration_required as required, p.calibration_pass_at as pass_at,
           (select count(*)::int from calibration_slices c where c.project_id = p.id) as total,
           (select count(*)::int from calibration_reads r where r.project_id = p.id and r.user_id = ${userId}) as answered,
           (select count(*)::int from calibration_reads r where r.project_id = p.id and r.user_id = ${userId} and r.value = r.expected) as correct,
           (select o.passed from calibration_outcomes o where o.project_id = p.id and o.user_id = ${userId} order by o.id desc limit 1) as passed
      from projects p where p.id = ${projectId}`;
  return { required: row.required, passAt: row.passAt, total: row.total, answered: row.answered, correct: row.correct, passed: row.passed };
}

/** The next calibration slice, in the order the lead added them, that this reader has not answered or holds. */
export async function nextCalibrationSlice(tx: TxSql, projectId: string, userId: string): Promise<string | undefined> {
  const [row] = await tx<{ sliceId: string }[]>`
    select c.slice_id from calibration_slices c
     where c.project_id = ${projectId}
       and not exists (select 1 from calibration_reads r where r.slice_id = c.slice_id and r.user_id = ${userId})
       and not exists (select 1 from assignments a where a.slice_id = c.slice_id and a.user_id = ${userId} and a.status = 'OPEN')
     order by c.seq limit 1`;
  return row?.sliceId;
}

export async function calibrationSlice(tx: TxSql, sliceId: string): Promise<{ value: number; reasoning: string } | undefined> {
  const [row] = await tx<{ value: number; reasoning: string }[]>`select value, reasoning from calibration_slices where slice_id = ${sliceId}`;
  return row;
}

export async function ownCalibrationRead(tx: TxSql, sliceId: string, userId: string): Promise<{ value: number; expected: number } | undefined> {
  const [row] = await tx<
    { value: number; expected: number }[]
  >`select value, expected from calibration_reads where slice_id = ${sliceId} and user_id = ${userId}`;
  return row;
}

export async function calibrationReadByRequestId(tx: TxSql, userId: string, clientRequestId: string): Promise<{ sliceId: string; value: number } | undefined> {
  const [row] = await tx<
    { sliceId: string; value: number }[]
  >`select slice_id, value from calibration_reads where user_id = ${userId} and client_request_id = ${clientRequestId}`;
  return row;
}

export async function insertCalibrationRead(
  tx: TxSql,
  r: { projectId: string; sliceId: string; userId: string; assignmentId: string; value: number; expected: number; clientRequestId: string | null },
): Promise<void> {
  await tx`insert into calibration_reads (project_id, slice_id, user_id, assignment_id, value, expected, client_request_id)
           values (${r.projectId}, ${r.sliceId}, ${r.userId}, ${r.assignmentId}, ${r.value}, ${r.expected}, ${r.clientRequestId})`;
}

export async function recordCalibrationOutcome(
  tx: TxSql,
  o: { projectId: string; userId: string; passed: boolean; correct: number; answered: number; actorId: string | null },
): Promise<void> {
  await tx`insert into calibration_outcomes (project_id, user_id, passed, correct, answered, actor_id)
           values (${o.projectId}, ${o.userId}, ${o.passed}, ${o.correct}, ${o.answered}, ${o.actorId})`;
  await tx`insert into audit_log (project_id, actor_id, action, entity_id, payload)
           values (${o.projectId}, ${o.actorId}, ${o.passed ? 'CALIBRATION_PASSED' : 'CALIBRATION_FAILED'}, ${o.userId},
                   ${tx.json({ correct: o.correct, answered: o.answered })})`;
}

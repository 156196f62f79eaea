import { randomInt } from 'node:crypto';
import type { Sql, TxSql } from '../db/sql.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { AssignmentRow } from '../assignment/assignment.queries.js';
import { closeAssignment, insertRead, ownReads, readByRequestId, settleSlice } from './labels.queries.js';

export interface SubmitOutcome {
  ok: true;
  sliceId: string;
  value: number;
  duplicate: boolean;
  projectId: string;
  /** What the slice became, for realtime fan-out; never returned to the labeler. */
  outcome: 'PENDING' | 'CONSENSUS' | 'ADJUDICATION_OPENED' | 'REPEAT' | 'DUPLICATE';
}

const CHECK_VIOLATION = '23514';
const UNIQUE_VIOLATION = '23505';

function pgCode(e: unknown): string | undefined {
  return typeof e === 'object' && e && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** [LB1]–[LB4] */
export async function submitLabel(
  sql: Sql,
  input: { sliceId: string; userId: string; value: number; clientRequestId: string | null },
): Promise<SubmitOutcome> {
  if (input.value !== 0 && input.value !== 1) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'A label is 0 (no compression) or 1 (compression).');
  }
  if (input.clientRequestId != null && (input.clientRequestId.length < 1 || input.clientRequestId.length > 100)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'clientRequestId must be 1–100 characters.');
  }
  try {
    return await sql.begin((tx) => submitInTx(tx, input));
  } catch (e) {
    // Two submits racing with the same request id: the loser sees the winner's row now.
    if (pgCode(e) === UNIQUE_VIOLATION && input.clientRequestId) {
      return sql.begin((tx) => submitInTx(tx, input));
    }
    if (pgCode(e) === CHECK_VIOLATION) {
      throw new ConcordError(ErrorCode.ASSIGNMENT_EXPIRED, 'Your lease on this slice expired and the slice has been read meanwhile. Take the next slice.');
    }
    throw e;
  }
}

async function submitInTx(
  tx: TxSql,
  input: { sliceId: string; userId: string; value: number; clientRequestId: string | null },
): Promise<SubmitOutcome> {
  const [slice] = await tx<{ id: string; project_id: string }[]>`select id, project_id from slices where id = ${input.sliceId}`;
  // Same error for unknown slices and slices not assigned to you: ids cannot be probed.
  const notYours = () => new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
  if (!slice) throw notYours();
  if (input.clientRequestId) {
    const prior = await readByRequestId(tx, input.userId, input.clientRequestId);
    if (prior) {
      if (prior.slice_id !== input.sliceId || prior.value !== input.value) {
        throw new ConcordError(ErrorCode.BAD_INPUT, 'This clientRequestId was already used for another label. Use a new id for each label.');
      }
      return { ok: true, sliceId: input.sliceId, value: prior.value, duplicate: true, projectId: slice.project_id, outcome: 'DUPLICATE' };
    }
  }
  // Serialise this labeler's submits for this slice.
  const [assignment] = await tx<AssignmentRow[]>`
    select * from assignments where slice_id = ${input.sliceId} and user_id = ${input.userId}
     order by (status = 'OPEN') desc, leased_at desc limit 1 for update`;
  const mine = await ownReads(tx, input.sliceId, input.userId);
  const isRepeat = assignment?.is_repeat === true && assignment.status === 'OPEN';
  const prior = mine.find((r) => r.is_repeat === isRepeat);
  if (prior) {
    if (prior.value === input.value) {
      return { ok: true, sliceId: input.sliceId, value: prior.value, duplicate: true, projectId: slice.project_id, outcome: 'DUPLICATE' };
    }
    throw new ConcordError(ErrorCode.ALREADY_LABELLED, 'You have already labelled this slice; labels cannot be changed. Tell your lead if it was a mistake.');
  }
  if (!assignment || !(assignment.status === 'OPEN' || assignment.status === 'EXPIRED')) throw notYours();
  const read = await insertRead(tx, {
    projectId: slice.project_id, sliceId: input.sliceId, userId: input.userId, assignmentId: assignment.id,
    value: input.value, isRepeat, clientRequestId: input.clientRequestId,
  });
  await closeAssignment(tx, assignment.id, 'DONE');
  // Run on every path, repeats included (it settles nothing there): a submit that completes the
  // slice's reads must not take measurably longer than one that does not [TM1].
  const outcome = await settleSlice(tx, slice.project_id, input.sliceId, randomInt(2) === 1);
  return { ok: true, sliceId: input.sliceId, value: read.value, duplicate: false, projectId: slice.project_id, outcome: isRepeat ? 'REPEAT' : outcome };
}

/** [LB5] */
export async function skipSlice(sql: Sql, input: { sliceId: string; userId: string; reason: string }): Promise<{ projectId: string }> {
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > 500) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'Give a reason for skipping (1–500 characters).');
  }
  return sql.begin(async (tx) => {
    const [a] = await tx<AssignmentRow[]>`
      select * from assignments where slice_id = ${input.sliceId} and user_id = ${input.userId} and status = 'OPEN' for update`;
    if (!a) throw new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
    await tx`insert into skips (project_id, slice_id, user_id, assignment_id, reason)
             values (${a.project_id}, ${input.sliceId}, ${input.userId}, ${a.id}, ${reason})`;
    await closeAssignment(tx, a.id, 'SKIPPED');
    return { projectId: a.project_id };
  });
}

/**
 * Onboarding [RQ15]–[RQ17]: a calibration set answered with feedback before blinded reads.
 * Calibration reads live in their own table, so they never reach agreement, finals or training.
 */
import type { Sql, TxSql } from '@concord/db';
import { isUuid } from '../auth/guard.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { AssignmentRow } from '../assignment/assignment.queries.js';
import { closeAssignment } from '../labels/labels.queries.js';
import { slicesInProject } from './gold.queries.js';
import { calibrationSlice, calibrationState, insertCalibrationRead, ownCalibrationRead, recordCalibrationOutcome } from './calibration.queries.js';

export interface CalibrationFeedback {
  correct: boolean;
  expected: number;
  reasoning: string;
  answered: number;
  total: number;
  /** Null until the whole set is answered. */
  passed: boolean | null;
}

/** [RQ16] A read on a calibration lease: stored apart, answered with the guide's label and reasoning. */
export async function submitCalibration(
  tx: TxSql,
  input: { sliceId: string; userId: string; value: number; clientRequestId: string | null; projectId: string; assignment: AssignmentRow },
  notYours: () => ConcordError,
): Promise<{ duplicate: boolean; feedback: CalibrationFeedback }> {
  const item = await calibrationSlice(tx, input.sliceId);
  if (!item) throw notYours();
  const prior = await ownCalibrationRead(tx, input.sliceId, input.userId);
  if (prior && prior.value !== input.value) {
    throw new ConcordError(ErrorCode.ALREADY_LABELLED, 'You have already answered this calibration slice; answers cannot be changed.');
  }
  if (!prior) {
    if (!(input.assignment.status === 'OPEN' || input.assignment.status === 'EXPIRED')) throw notYours();
    await insertCalibrationRead(tx, {
      projectId: input.projectId,
      sliceId: input.sliceId,
      userId: input.userId,
      assignmentId: input.assignment.id,
      value: input.value,
      expected: item.value,
      clientRequestId: input.clientRequestId,
    });
    await closeAssignment(tx, input.assignment.id, 'DONE');
  }
  const state = await calibrationState(tx, input.projectId, input.userId);
  let passed = state.passed;
  // [RQ17] The whole set answered: unlocked at the project's threshold, or not.
  if (passed == null && state.answered >= state.total && state.answered > 0) {
    passed = state.correct / state.answered >= state.passAt;
    await recordCalibrationOutcome(tx, {
      projectId: input.projectId,
      userId: input.userId,
      passed,
      correct: state.correct,
      answered: state.answered,
      actorId: null,
    });
  }
  return {
    duplicate: !!prior,
    feedback: { correct: input.value === item.value, expected: item.value, reasoning: item.reasoning, answered: state.answered, total: state.total, passed },
  };
}

export interface CalibrationItem {
  sliceId: string;
  value: number;
  reasoning: string;
}

/** `addCalibrationSlices` (leads): returns how many were new. */
export async function addCalibrationSlices(sql: Sql, projectId: string, items: readonly CalibrationItem[], actorId: string): Promise<number> {
  if (items.length > 1000) throw new ConcordError(ErrorCode.BAD_INPUT, 'At most 1000 calibration slices at once.');
  items.forEach((it, i) => {
    if (!isUuid(it.sliceId)) throw new ConcordError(ErrorCode.BAD_INPUT, `Item ${i + 1}: sliceId is not a slice id.`);
    if (it.value !== 0 && it.value !== 1) throw new ConcordError(ErrorCode.BAD_INPUT, `Item ${i + 1}: value must be 0 or 1.`);
    const r = it.reasoning.trim();
    if (r.length < 1 || r.length > 2000) throw new ConcordError(ErrorCode.BAD_INPUT, `Item ${i + 1}: give the guide's reasoning (1–2000 characters).`);
  });
  const known = await slicesInProject(
    sql,
    projectId,
    items.map((i) => i.sliceId),
  );
  const unknown = items.findIndex((i) => !known.has(i.sliceId));
  if (unknown >= 0) throw new ConcordError(ErrorCode.BAD_INPUT, `Item ${unknown + 1}: no such slice in this project.`);
  return sql.begin(async (tx) => {
    let added = 0;
    for (const it of items) {
      const rows = await tx`insert into calibration_slices (slice_id, project_id, value, reasoning, added_by)
                            values (${it.sliceId}, ${projectId}, ${it.value}, ${it.reasoning.trim()}, ${actorId})
                            on conflict (slice_id) do nothing returning slice_id`;
      added += rows.length;
    }
    await tx`insert into audit_log (project_id, actor_id, action, payload)
             values (${projectId}, ${actorId}, 'CALIBRATION_SLICES_ADDED', ${tx.json({ given: items.length, added })})`;
    return added;
  });
}

/** `unlockReader` (leads): a reader who did not reach the threshold may read blinded after all; audited. */
export async function unlockReader(sql: Sql, projectId: string, userId: string, actorId: string): Promise<boolean> {
  if (!isUuid(userId)) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such reader in this project.');
  const [member] = await sql`select 1 from project_members where project_id = ${projectId} and user_id = ${userId}`;
  if (!member) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such reader in this project.');
  return sql.begin(async (tx) => {
    const s = await calibrationState(tx, projectId, userId);
    if (s.passed === true) return false;
    await recordCalibrationOutcome(tx, { projectId, userId, passed: true, correct: s.correct, answered: s.answered, actorId });
    return true;
  });
}

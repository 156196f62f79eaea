import { randomInt } from 'node:crypto';
import type { Sql, TxSql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { AssignmentRow } from '../assignment/assignment.queries.js';
import {
  assignmentFromJson,
  closeAssignment,
  insertRead,
  ownReads,
  readByRequestId,
  settleSlice,
  submitLabelStatement,
  type SubmitStatementResult,
} from './labels.queries.js';
import { MAX_LOOKAHEAD, nextSlices } from '../assignment/assignment.service.js';
import { goldReadByRequestId, insertGoldRead, ownGoldRead } from '../reader-qc/gold.queries.js';
import { readSeconds } from '../reader-qc/timing.queries.js';
import { submitCalibration, type CalibrationFeedback } from '../reader-qc/calibration.service.js';
import { calibrationReadByRequestId } from '../reader-qc/calibration.queries.js';

export interface SubmitOutcome {
  ok: true;
  sliceId: string;
  value: number;
  duplicate: boolean;
  projectId: string;
  /** What the slice became, for realtime fan-out; never returned to the labeler. */
  outcome: 'PENDING' | 'CONSENSUS' | 'ADJUDICATION_OPENED' | 'REPEAT' | 'DUPLICATE' | 'GOLD' | 'CALIBRATION';
  /** Only for onboarding slices [RQ16]: the answer and the guide's reasoning. */
  feedback?: CalibrationFeedback;
  /** With `lease` > 0: the labeler's open leases after this label, oldest first (AS7). */
  next?: AssignmentRow[];
  /** The labeler's progress after a stored read, when the label's own statement computed it. */
  progress?: { queueSize: number; readsDone: number };
}

export interface SubmitInput {
  sliceId: string;
  userId: string;
  value: number;
  clientRequestId: string | null;
  /** The client's on-screen time; bounded, for statistics only [RQ14]. */
  screenSeconds?: number | null;
  /** How many open leases to return with the outcome (0–3): the next slice comes with the label. */
  lease?: number;
}

/** [RQ14] Stored up to an hour: a tab left open says nothing more about reading time. */
const screenSeconds = (x: number | null | undefined) => (x == null ? null : Math.min(x, 3600));

const CHECK_VIOLATION = '23514';
const UNIQUE_VIOLATION = '23505';
const DEADLOCK = '40P01';

function pgCode(e: unknown): string | undefined {
  return typeof e === 'object' && e && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** [LB1]–[LB4] */
export async function submitLabel(sql: Sql, input: SubmitInput): Promise<SubmitOutcome> {
  if (input.value !== 0 && input.value !== 1) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'A label is 0 (no compression) or 1 (compression).');
  }
  if (input.clientRequestId != null && (input.clientRequestId.length < 1 || input.clientRequestId.length > 100)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'clientRequestId must be 1–100 characters.');
  }
  if (input.screenSeconds != null && !(Number.isFinite(input.screenSeconds) && input.screenSeconds >= 0)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'screenSeconds is the time the slice was on screen: 0 or more seconds.');
  }
  const want = Number.isFinite(input.lease) ? Math.max(0, Math.min(MAX_LOOKAHEAD, Math.trunc(input.lease!))) : 0;
  const notYours = () => new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
  const r = await retryingRace(input, () =>
    submitLabelStatement(sql, {
      sliceId: input.sliceId,
      userId: input.userId,
      value: input.value,
      clientRequestId: input.clientRequestId,
      screenSeconds: screenSeconds(input.screenSeconds),
      swap: randomInt(2) === 1,
      want,
    }),
  );
  switch (r.status) {
    case 'NO_ASSIGNMENT':
      throw notYours();
    case 'REQUEST_ID_REUSED':
      throw new ConcordError(ErrorCode.BAD_INPUT, 'This clientRequestId was already used for another label. Use a new id for each label.');
    case 'ALREADY_LABELLED':
      throw new ConcordError(ErrorCode.ALREADY_LABELLED, 'You have already labelled this slice; labels cannot be changed. Tell your lead if it was a mistake.');
    case 'TS': {
      // Gold and calibration leases keep their own path (reader-qc): rarer, with more to check.
      const outcome = await submitLabelStepwise(sql, input);
      return want > 0 ? { ...outcome, next: await nextSlices(sql, outcome.projectId, input.userId, want) } : outcome;
    }
    default:
      return fromStatement(sql, input, r, want);
  }
}

async function fromStatement(sql: Sql, input: SubmitInput, r: SubmitStatementResult, want: number): Promise<SubmitOutcome> {
  const projectId = r.project_id!;
  const out: SubmitOutcome = {
    ok: true,
    sliceId: input.sliceId,
    value: r.value!,
    duplicate: r.status === 'DUPLICATE',
    projectId,
    outcome: r.outcome!,
    ...(r.queue_size != null ? { progress: { queueSize: r.queue_size, readsDone: r.reads_done! } } : {}),
  };
  if (want === 0 || !r.next) return out;
  // Incomplete: calibration is still due, or every open slice was locked by leases in flight just
  // then; the service's own loop (which waits and retries) tops the leases up.
  out.next = r.next.complete ? r.next.leases.map(assignmentFromJson) : await nextSlices(sql, projectId, input.userId, want);
  return out;
}

/**
 * Two submits racing with the same request id: the loser sees the winner's row when it runs again.
 * A lease that lapsed while the slice filled up: the reads check constraint refuses the read.
 * A deadlock victim is run again: its transaction was rolled back whole (one statement, or the
 * stepwise path's one transaction), and the request id keeps a second run from storing twice.
 * Closing reads lock the counters of everyone who touched the slice, so under many concurrent
 * labels a cycle with other labels' slice and counter rows can form (bench/labeling met it).
 */
async function retryingRace<T>(input: SubmitInput, run: () => Promise<T>): Promise<T> {
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (pgCode(e) === UNIQUE_VIOLATION && input.clientRequestId) return await run();
        if (pgCode(e) === DEADLOCK && attempt < 3) continue;
        throw e;
      }
    }
  } catch (e) {
    if (pgCode(e) === CHECK_VIOLATION) {
      throw new ConcordError(ErrorCode.ASSIGNMENT_EXPIRED, 'Your lease on this slice expired and the slice has been read meanwhile. Take the next slice.');
    }
    throw e;
  }
}

/**
 * Every kind of read statement by statement, in one transaction: the path before migration 0012.
 * Gold and calibration reads take it; bench/labeling runs it as the same-run baseline.
 */
export async function submitLabelStepwise(sql: Sql, input: SubmitInput): Promise<SubmitOutcome> {
  return retryingRace(input, () => sql.begin((tx) => submitInTx(tx, input)));
}

async function submitInTx(tx: TxSql, input: SubmitInput): Promise<SubmitOutcome> {
  const [slice] = await tx<{ id: string; projectId: string }[]>`select id, project_id from slices where id = ${input.sliceId}`;
  // Same error for unknown slices and slices not assigned to you: ids cannot be probed.
  const notYours = () => new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
  if (!slice) throw notYours();
  if (input.clientRequestId) {
    const prior =
      (await readByRequestId(tx, input.userId, input.clientRequestId)) ??
      (await goldReadByRequestId(tx, input.userId, input.clientRequestId)) ??
      (await calibrationReadByRequestId(tx, input.userId, input.clientRequestId));
    if (prior) {
      if (prior.sliceId !== input.sliceId || prior.value !== input.value) {
        throw new ConcordError(ErrorCode.BAD_INPUT, 'This clientRequestId was already used for another label. Use a new id for each label.');
      }
      return { ok: true, sliceId: input.sliceId, value: prior.value, duplicate: true, projectId: slice.projectId, outcome: 'DUPLICATE' };
    }
  }
  // Serialise this labeler's submits for this slice.
  const [assignment] = await tx<AssignmentRow[]>`
    select * from assignments where slice_id = ${input.sliceId} and user_id = ${input.userId}
     order by (status = 'OPEN') desc, leased_at desc limit 1 for update`;
  if (assignment?.isGold) return submitGold(tx, input, assignment, slice.projectId, notYours);
  if (assignment?.isCalibration) {
    const feedback = await submitCalibration(tx, { ...input, projectId: slice.projectId, assignment }, notYours);
    return {
      ok: true,
      sliceId: input.sliceId,
      value: input.value,
      duplicate: feedback.duplicate,
      projectId: slice.projectId,
      outcome: feedback.duplicate ? 'DUPLICATE' : 'CALIBRATION',
      feedback: feedback.feedback,
    };
  }
  const mine = await ownReads(tx, input.sliceId, input.userId);
  const isRepeat = assignment?.isRepeat === true && assignment.status === 'OPEN';
  const prior = mine.find((r) => r.isRepeat === isRepeat);
  if (prior) {
    if (prior.value === input.value) {
      return { ok: true, sliceId: input.sliceId, value: prior.value, duplicate: true, projectId: slice.projectId, outcome: 'DUPLICATE' };
    }
    throw new ConcordError(ErrorCode.ALREADY_LABELLED, 'You have already labelled this slice; labels cannot be changed. Tell your lead if it was a mistake.');
  }
  if (!assignment || !(assignment.status === 'OPEN' || assignment.status === 'EXPIRED')) throw notYours();
  const read = await insertRead(tx, {
    projectId: slice.projectId,
    sliceId: input.sliceId,
    userId: input.userId,
    assignmentId: assignment.id,
    value: input.value,
    isRepeat,
    clientRequestId: input.clientRequestId,
    seconds: await readSeconds(tx, assignment.id),
    screenSeconds: screenSeconds(input.screenSeconds),
  });
  await closeAssignment(tx, assignment.id, 'DONE');
  // Run on every path, repeats included (it settles nothing there): a submit that completes the
  // slice's reads must not take measurably longer than one that does not [TM1].
  const outcome = await settleSlice(tx, slice.projectId, input.sliceId, randomInt(2) === 1);
  return { ok: true, sliceId: input.sliceId, value: read.value, duplicate: false, projectId: slice.projectId, outcome: isRepeat ? 'REPEAT' : outcome };
}

/**
 * [RQ4] A read on a gold lease goes to gold_reads, never to reads: it cannot count toward the
 * slice's reads, agreement or final label. Same answers and errors as any read (LB2, LB3) [RQ6].
 */
async function submitGold(tx: TxSql, input: SubmitInput, assignment: AssignmentRow, projectId: string, notYours: () => ConcordError): Promise<SubmitOutcome> {
  const prior = await ownGoldRead(tx, input.sliceId, input.userId);
  if (prior) {
    if (prior.value === input.value) {
      return { ok: true, sliceId: input.sliceId, value: prior.value, duplicate: true, projectId, outcome: 'DUPLICATE' };
    }
    throw new ConcordError(ErrorCode.ALREADY_LABELLED, 'You have already labelled this slice; labels cannot be changed. Tell your lead if it was a mistake.');
  }
  if (!(assignment.status === 'OPEN' || assignment.status === 'EXPIRED')) throw notYours();
  const read = await insertGoldRead(tx, {
    projectId,
    sliceId: input.sliceId,
    userId: input.userId,
    assignmentId: assignment.id,
    value: input.value,
    seconds: await readSeconds(tx, assignment.id),
    clientRequestId: input.clientRequestId,
    screenSeconds: screenSeconds(input.screenSeconds),
  });
  await closeAssignment(tx, assignment.id, 'DONE');
  return { ok: true, sliceId: input.sliceId, value: read.value, duplicate: false, projectId, outcome: 'GOLD' };
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
    // The lease closes first: that updates the slice's lease counter (migration 0014), locking the
    // slice row before the skip trigger's share lock would, so two skips of one slice cannot each
    // hold a share lock and wait for the other to release it.
    await closeAssignment(tx, a.id, 'SKIPPED');
    await tx`insert into skips (project_id, slice_id, user_id, assignment_id, reason)
             values (${a.projectId}, ${input.sliceId}, ${input.userId}, ${a.id}, ${reason})`;
    return { projectId: a.projectId };
  });
}

import { randomInt } from 'node:crypto';
import type { Sql } from '@concord/db';
import { getProject, type ProjectRow } from '../projects/projects.queries.js';
import { goldCandidate } from '../reader-qc/gold.queries.js';
import { isPaused } from '../reader-qc/pause.queries.js';
import { calibrationState, nextCalibrationSlice } from '../reader-qc/calibration.queries.js';
import {
  anyCandidate,
  expireLeases,
  openAssignmentsFor,
  hasRoom,
  insertAssignment,
  lockEvaluationCandidates,
  lockPrioritisedCandidates,
  lockQueueCandidates,
  openAssignmentFor,
  repeatCandidate,
  type AssignmentRow,
} from './assignment.queries.js';

const CANDIDATE_BATCH = 8;

/** [AS1]–[AS6]: the next slice for this labeler, or null when nothing is left for them. */
export async function nextSlice(sql: Sql, projectId: string, userId: string): Promise<AssignmentRow | null> {
  const project = await getProject(sql, projectId);
  const resumed = await openAssignmentFor(sql, projectId, userId);
  if (resumed) return resumed;
  await expireLeases(sql, projectId);
  for (let round = 0; round < 50; round++) {
    const got = await tryLease(sql, project, userId);
    if (got !== 'BUSY') return got;
    // Every open slice was locked by someone else's lease in flight: wait a moment, not "done".
    await new Promise((r) => setTimeout(r, 5 + randomInt(20)));
  }
  return null;
}

async function tryLease(sql: Sql, project: ProjectRow, userId: string): Promise<AssignmentRow | null | 'BUSY'> {
  const projectId = project.id;
  return sql.begin(async (tx) => {
    // [RQ10] A paused reader finishes what they hold but is given nothing new.
    if (await isPaused(tx, projectId, userId)) return null;
    // [RQ15] Until they pass the calibration set, a labeler gets its slices and nothing blinded.
    if (project.calibrationRequired) {
      const c = await calibrationState(tx, projectId, userId);
      if (c.passed !== true) {
        const sliceId = c.passed === false ? undefined : await nextCalibrationSlice(tx, projectId, userId);
        return sliceId
          ? insertAssignment(tx, { projectId, sliceId, userId, leaseSeconds: project.leaseSeconds, isRepeat: false, prioritised: false, isCalibration: true })
          : null;
      }
    }
    // [RQ2] A gold lease is an ordinary lease to the labeler; it holds no place on the slice.
    // Only while their queue has work: a slice served after the queue ran dry would be a tell.
    if (project.goldRate > 0 && randomInt(1_000_000) < project.goldRate * 1_000_000 && (await anyCandidate(tx, projectId, userId))) {
      const sliceId = await goldCandidate(tx, projectId, userId);
      if (sliceId) {
        return insertAssignment(tx, { projectId, sliceId, userId, leaseSeconds: project.leaseSeconds, isRepeat: false, prioritised: false, isGold: true });
      }
    }
    if (project.repeatRate > 0 && randomInt(1_000_000) < project.repeatRate * 1_000_000) {
      const sliceId = await repeatCandidate(tx, projectId, userId, project.repeatWashout);
      if (sliceId) {
        return insertAssignment(tx, { projectId, sliceId, userId, leaseSeconds: project.leaseSeconds, isRepeat: true, prioritised: false });
      }
    }
    // Candidates can fill up between the scan and the lock; keep scanning until one has room.
    // [AS9] On a share of leases the evaluation set comes first, so it is complete early.
    const evaluationFirst = project.evaluationShare > 0 && randomInt(1_000_000) < project.evaluationShare * 1_000_000;
    const order = [
      ...(evaluationFirst ? [[lockEvaluationCandidates, false] as const] : []),
      [lockPrioritisedCandidates, true] as const,
      [lockQueueCandidates, false] as const,
    ];
    for (const [lock, prioritised] of order) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const candidates = await lock(tx, projectId, userId, CANDIDATE_BATCH);
        if (candidates.length === 0) break;
        for (const c of candidates) {
          if (await hasRoom(tx, c.id)) {
            return insertAssignment(tx, { projectId, sliceId: c.id, userId, leaseSeconds: project.leaseSeconds, isRepeat: false, prioritised });
          }
        }
      }
    }
    return (await anyCandidate(tx, projectId, userId)) ? 'BUSY' : null;
  });
}

export const MAX_LOOKAHEAD = 3;

/**
 * [AS7] Up to `count` open leases for this labeler, oldest first: the slice to read now and the
 * next ones, so the client can prefetch and show the next image without a round trip. Each is
 * a real lease (it holds a place on the slice) and expires like any other.
 */
export async function nextSlices(sql: Sql, projectId: string, userId: string, count: number): Promise<AssignmentRow[]> {
  const want = Math.max(1, Math.min(MAX_LOOKAHEAD, count));
  const open = await openAssignmentsFor(sql, projectId, userId);
  const project = open.length < want ? await getProject(sql, projectId) : undefined;
  // As nextSlice: leases past their time give their places back before the queue is walked
  // (lockQueueCandidates skips slices their counter still fills).
  if (project) await expireLeases(sql, projectId);
  while (project && open.length < want) {
    let got: AssignmentRow | null | 'BUSY' = 'BUSY';
    for (let round = 0; round < 50 && got === 'BUSY'; round++) {
      got = await tryLease(sql, project, userId);
      if (got === 'BUSY') await new Promise((r) => setTimeout(r, 5 + randomInt(20)));
    }
    if (!got || got === 'BUSY') break;
    open.push(got);
  }
  return open.slice(0, want);
}

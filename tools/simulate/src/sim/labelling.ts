import type { Sql } from '@concord/db';
import { nextSlice } from '@concord/api/assignment/assignment.service';
import { insertAssignment } from '@concord/api/assignment/assignment.queries';
import { submitLabel } from '@concord/api/labels/labels.service';
import { adjudicate } from '@concord/api/adjudication/adjudication.service';
import { openItemsFor } from '@concord/api/adjudication/adjudication.queries';
import { adjudicatorDecision, readerDecision, type ReaderErrorModel } from './readers.js';
import type { SliceTruth } from './truth.js';

/** One project's simulated reading room: who reads, what is true, and how readers err. */
export interface ReadingRoom {
  projectId: string;
  readerIds: string[];
  adjudicatorId: string;
  /** Keyed by slices.id. */
  truth: Map<string, SliceTruth & { sopUid: string }>;
  errors: ReaderErrorModel;
  seed: string;
}

export interface ReadingTally {
  reads: number;
  /** Slices whose required reads all came in (consensus or an adjudication item). */
  completed: number;
  prioritised: number;
}

function decide(room: ReadingRoom, readerIndex: number, sliceId: string): 0 | 1 {
  const t = room.truth.get(sliceId);
  if (!t) throw new Error(`slice ${sliceId} has no ground truth: was the phantom ingested into this project?`);
  return readerDecision(t, room.errors, room.seed, `reader${readerIndex + 1}`, t.sopUid);
}

/**
 * Readers take turns asking assignment for their next slice and labelling it, until `slices`
 * more slices have all their reads or nothing is left. What they are served, and in which
 * order (the current model's selected batch first), is assignment's decision, not ours.
 */
export async function readFromQueue(sql: Sql, room: ReadingRoom, slices: number): Promise<ReadingTally> {
  const tally: ReadingTally = { reads: 0, completed: 0, prioritised: 0 };
  const exhausted = new Set<number>();
  while (tally.completed < slices && exhausted.size < room.readerIds.length) {
    for (const [i, userId] of room.readerIds.entries()) {
      if (exhausted.has(i) || tally.completed >= slices) continue;
      const a = await nextSlice(sql, room.projectId, userId);
      if (!a) {
        exhausted.add(i);
        continue;
      }
      const out = await submitLabel(sql, { sliceId: a.sliceId, userId, value: decide(room, i, a.sliceId), clientRequestId: a.id });
      tally.reads++;
      if (a.prioritised) tally.prioritised++;
      if (out.outcome === 'CONSENSUS' || out.outcome === 'ADJUDICATION_OPENED') tally.completed++;
    }
  }
  return tally;
}

/**
 * Labels the given slices with every reader through a lease made for them, as a lead who sends
 * readers to the frozen test set first would: the test set must be labelled to measure anything,
 * and active learning never selects it (TR9).
 */
export async function readDirected(sql: Sql, room: ReadingRoom, sliceIds: string[], leaseSeconds = 600): Promise<ReadingTally> {
  const tally: ReadingTally = { reads: 0, completed: 0, prioritised: 0 };
  for (const sliceId of sliceIds) {
    for (const [i, userId] of room.readerIds.entries()) {
      const a = await sql.begin((tx) =>
        insertAssignment(tx, { projectId: room.projectId, sliceId, userId, leaseSeconds, isRepeat: false, prioritised: false }),
      );
      const out = await submitLabel(sql, { sliceId, userId, value: decide(room, i, sliceId), clientRequestId: a.id });
      tally.reads++;
      if (out.outcome === 'CONSENSUS' || out.outcome === 'ADJUDICATION_OPENED') tally.completed++;
    }
  }
  return tally;
}

/** The adjudicator decides every open item of the project; returns how many. */
export async function adjudicateOpenItems(sql: Sql, room: ReadingRoom): Promise<number> {
  const items = await openItemsFor(sql, room.projectId, room.adjudicatorId, false);
  for (const item of items) {
    const t = room.truth.get(item.sliceId)!;
    const { value, reason } = adjudicatorDecision(t, room.errors, room.seed, t.sopUid);
    await adjudicate(sql, { itemId: item.id, userId: room.adjudicatorId, value, reason, note: 'simulated adjudication' });
  }
  return items.length;
}

import type { Sql, TxSql } from '@concord/db';
import type { AssignmentRow } from '../assignment/assignment.queries.js';

export interface ReadRow {
  id: number;
  sliceId: string;
  userId: string;
  value: number;
  isRepeat: boolean;
  clientRequestId: string | null;
  createdAt: Date;
}

export async function readByRequestId(tx: TxSql, userId: string, clientRequestId: string): Promise<ReadRow | undefined> {
  const [row] = await tx<ReadRow[]>`select * from reads where user_id = ${userId} and client_request_id = ${clientRequestId}`;
  return row;
}

export async function ownReads(tx: TxSql, sliceId: string, userId: string): Promise<ReadRow[]> {
  return tx<ReadRow[]>`select * from reads where slice_id = ${sliceId} and user_id = ${userId} order by id`;
}

export async function insertRead(
  tx: TxSql,
  r: {
    projectId: string;
    sliceId: string;
    userId: string;
    assignmentId: string | null;
    value: number;
    isRepeat: boolean;
    clientRequestId: string | null;
    seconds?: number | null;
    screenSeconds?: number | null;
  },
): Promise<ReadRow> {
  const [row] = await tx<ReadRow[]>`
    insert into reads (project_id, slice_id, user_id, assignment_id, value, is_repeat, client_request_id, seconds, screen_seconds)
    values (${r.projectId}, ${r.sliceId}, ${r.userId}, ${r.assignmentId}, ${r.value}, ${r.isRepeat}, ${r.clientRequestId}, ${r.seconds ?? null}, ${r.screenSeconds ?? null})
    returning *`;
  return row;
}

export async function closeAssignment(tx: TxSql, assignmentId: string, status: 'DONE' | 'SKIPPED'): Promise<void> {
  await tx`update assignments set status = ${status}, closed_at = now() where id = ${assignmentId}`;
}

export async function insertFinalLabel(
  tx: TxSql,
  projectId: string,
  sliceId: string,
  value: number,
  source: 'CONSENSUS' | 'ADJUDICATION' | 'SINGLE_READ',
): Promise<void> {
  await tx`insert into final_labels (slice_id, project_id, value, source) values (${sliceId}, ${projectId}, ${value}, ${source})`;
}

export type SettleOutcome = 'PENDING' | 'CONSENSUS' | 'ADJUDICATION_OPENED';

/**
 * [LB4][TM1] One statement that settles a slice whose required reads are in: consensus (or a
 * single read) becomes its final label, a disagreement opens one adjudication item with the
 * first disagreeing pair shown in the order `swap` draws. Every submit runs it, whether or not
 * its read completes the slice, so both paths make the same round trips and read the same rows
 * (the slice, its reads, the settled checks); only the row inserted differs. A slice already
 * settled is left as it is.
 */
export async function settleSlice(tx: TxSql, projectId: string, sliceId: string, swap: boolean): Promise<SettleOutcome> {
  const [r] = await tx<{ consensus: boolean; opened: boolean }[]>`
    with s as (
      select reads_done >= reads_required
             and not exists (select 1 from final_labels where slice_id = ${sliceId})
             and not exists (select 1 from adjudication_items where slice_id = ${sliceId}) as due
        from slices where id = ${sliceId}),
    r as (select id, value from reads where slice_id = ${sliceId} and not is_repeat),
    a as (select id, value from r order by id limit 1),
    b as (select r.id from r, a where r.value <> a.value order by r.id limit 1),
    fin as (
      insert into final_labels (slice_id, project_id, value, source)
      select ${sliceId}, ${projectId}, a.value, case when (select count(*) from r) = 1 then 'SINGLE_READ' else 'CONSENSUS' end
        from a, s where s.due and not exists (select 1 from b)
      returning 1),
    item as (
      insert into adjudication_items (project_id, slice_id, read_a_id, read_b_id)
      select ${projectId}, ${sliceId}, case when ${swap} then b.id else a.id end, case when ${swap} then a.id else b.id end
        from a, b, s where s.due
      returning 1)
    select exists (select 1 from fin) as consensus, exists (select 1 from item) as opened`;
  return r.consensus ? 'CONSENSUS' : r.opened ? 'ADJUDICATION_OPENED' : 'PENDING';
}

/**
 * What concord_submit_label (migration 0012) answers; see that file for each status. It is one
 * jsonb value, and the driver renames column names, never keys inside JSON: its keys stay snake_case.
 */
export interface SubmitStatementResult {
  status: 'OK' | 'DUPLICATE' | 'NO_ASSIGNMENT' | 'REQUEST_ID_REUSED' | 'ALREADY_LABELLED' | 'TS';
  project_id?: string;
  value?: number;
  outcome?: 'PENDING' | 'CONSENSUS' | 'ADJUDICATION_OPENED' | 'REPEAT' | 'DUPLICATE';
  queue_size?: number;
  reads_done?: number;
  /** Only when leases were asked for: `complete` is false when the API must top them up. */
  next?: { leases: AssignmentJson[]; complete: boolean };
}

/**
 * [LB1]–[LB4][TM1] The whole regular read, and `want` next leases, in one statement. Its text
 * is the same for every submit; what it did comes back in the result.
 */
export async function submitLabelStatement(
  sql: Sql,
  r: { sliceId: string; userId: string; value: number; clientRequestId: string | null; screenSeconds: number | null; swap: boolean; want: number },
): Promise<SubmitStatementResult> {
  const [row] = await sql<{ r: SubmitStatementResult }[]>`
    select concord_submit_label(${r.sliceId}::uuid, ${r.userId}::uuid, ${r.value}::int, ${r.clientRequestId}::text, ${r.screenSeconds}::real, ${r.swap}::boolean, ${r.want}::int) as r`;
  return row.r;
}

/** A lease as the statement returns it: to_jsonb of the assignments row (snake_case keys), its slice beside it. */
export interface AssignmentJson {
  id: string;
  project_id: string;
  slice_id: string;
  user_id: string;
  is_repeat: boolean;
  is_gold: boolean;
  is_calibration: boolean;
  status: AssignmentRow['status'];
  prioritised: boolean;
  expires_at: string;
  slice?: { id: string; series_id: string; position: number; window_center: number | null; window_width: number | null };
}

/** A lease from the statement's JSON as the row the rest of the API uses: camelCase keys, dates back to Dates. */
export function assignmentFromJson(j: AssignmentJson): AssignmentRow {
  return {
    id: j.id,
    projectId: j.project_id,
    sliceId: j.slice_id,
    userId: j.user_id,
    isRepeat: j.is_repeat,
    isGold: j.is_gold,
    isCalibration: j.is_calibration,
    status: j.status,
    prioritised: j.prioritised,
    expiresAt: new Date(j.expires_at),
    ...(j.slice
      ? {
          slice: {
            id: j.slice.id,
            seriesId: j.slice.series_id,
            position: j.slice.position,
            windowCenter: j.slice.window_center,
            windowWidth: j.slice.window_width,
          },
        }
      : {}),
  };
}

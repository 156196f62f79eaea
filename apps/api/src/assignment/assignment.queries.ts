import type { Sql, TxSql } from '@concord/db';

export interface AssignmentRow {
  id: string;
  projectId: string;
  sliceId: string;
  userId: string;
  isRepeat: boolean;
  /** Internal [RQ3]: served as a gold check; never exposed to the labeler. */
  isGold: boolean;
  /** [RQ15] An onboarding slice: the labeler gets feedback after answering it. */
  isCalibration: boolean;
  status: 'OPEN' | 'DONE' | 'SKIPPED' | 'EXPIRED' | 'RELEASED';
  prioritised: boolean;
  expiresAt: Date;
  /** Set when the lease came from the label's own round trip: the slice fields its resolver shows. */
  slice?: { id: string; seriesId: string; position: number; windowCenter: number | null; windowWidth: number | null };
}

export async function openAssignmentFor(tx: Sql | TxSql, projectId: string, userId: string): Promise<AssignmentRow | undefined> {
  const [row] = await tx<AssignmentRow[]>`
    select * from assignments
     where project_id = ${projectId} and user_id = ${userId} and status = 'OPEN' and expires_at > now()
     order by leased_at limit 1`;
  return row;
}

export async function openAssignmentsFor(tx: Sql | TxSql, projectId: string, userId: string): Promise<AssignmentRow[]> {
  return tx<AssignmentRow[]>`
    select * from assignments
     where project_id = ${projectId} and user_id = ${userId} and status = 'OPEN' and expires_at > now()
     order by leased_at, id`;
}

/**
 * Marks expired leases so they stop counting; cheap thanks to the partial index on OPEN. Closing a
 * lease updates its slice's lease counter (migration 0014): leases whose row or slice another
 * transaction holds are left for the next call, as concord_next_leases does, rather than waited on.
 */
export async function expireLeases(tx: Sql | TxSql, projectId: string): Promise<number> {
  const rows = await tx`
    update assignments set status = 'EXPIRED', closed_at = now()
     where id in (select a.id from assignments a join slices s on s.id = a.slice_id
                   where a.project_id = ${projectId} and a.status = 'OPEN' and a.expires_at <= now()
                   for update of a skip locked for no key update of s skip locked)
     returning id`;
  return rows.length;
}

/**
 * A slice (alias `s`) this labeler may be offered: it still needs reads, they have not read,
 * skipped or leased it, and its reads plus live leases leave a place. One definition for the
 * prioritised scan, the queue scan and the "anything left?" check.
 */
function openToLabeler(sql: Sql | TxSql, userId: string) {
  return sql`
        s.reads_done < s.reads_required
    and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = ${userId} and not r.is_repeat)
    and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = ${userId})
    and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = ${userId})
    and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = ${userId})
    and not exists (select 1 from assignments a where a.slice_id = s.id and a.user_id = ${userId} and a.status = 'OPEN')
    and s.reads_done + (select count(*) from assignments a
                         where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required`;
}

/**
 * Slices the current model's active-learning batch put first, by rank. The batch is small
 * (tens of slices), so this is cheap even in a large project.
 */
export async function lockPrioritisedCandidates(tx: TxSql, projectId: string, userId: string, limit: number) {
  return tx<{ id: string; readsRequired: number }[]>`
    select s.id, s.reads_required
      from projects p
      join uncertainty_scores u on u.model_version_id = p.current_model_version_id and u.rank is not null
      join slices s on s.id = u.slice_id
     where p.id = ${projectId}
       and ${openToLabeler(tx, userId)}
     order by u.rank
     limit ${limit}
     for no key update of s skip locked`;
}

/**
 * Open slices of evaluation-set patients in queue order [AS9]: offered first on a share of leases
 * so the set completes early. The lease looks like any other; nothing marks it as a test slice.
 */
export async function lockEvaluationCandidates(tx: TxSql, projectId: string, userId: string, limit: number) {
  return tx<{ id: string; readsRequired: number }[]>`
    select s.id, s.reads_required
      from slices s
      join series se on se.id = s.series_id
      join studies st on st.id = se.study_id
      join patients pa on pa.id = st.patient_id and pa.is_test
     where s.project_id = ${projectId}
       -- A slice already final (e.g. labels imported) adds nothing to the set's completion.
       and not exists (select 1 from final_labels f where f.slice_id = s.id)
       and ${openToLabeler(tx, userId)}
     order by s.queue_order
     limit ${limit}
     for no key update of s skip locked`;
}

/**
 * The rest of the queue in project order, walked on slices_lease_queue (0015): only slices whose
 * reads and counted leases leave a place, in queue order, so the scan neither sorts the project
 * nor probes every slice whose places are all leased (under 100 concurrent labelers it did, at
 * hundreds of ms a call). The counter never counts fewer leases than are live, so it only skips
 * slices the exact count in openToLabeler would refuse; leases past their time are marked
 * EXPIRED first (nextSlice) and leave it. SKIP LOCKED spreads concurrent labelers over slices.
 */
export async function lockQueueCandidates(tx: TxSql, projectId: string, userId: string, limit: number) {
  // As concord_submit_label's plans (0017): given a bitmap scan and a sort, the planner checked
  // every slice with a place left and sorted them (4,700 buffers a call with 100 labelers at
  // work); walking slices_lease_queue in its order stops at the first `limit` that fit (450).
  // Local to this lease's transaction; what follows in it (hasRoom, the insert, anyCandidate)
  // reads by key or by index whatever the settings.
  await tx`select set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`;
  return tx<{ id: string; readsRequired: number }[]>`
    select s.id, s.reads_required
      from slices s
     where s.project_id = ${projectId}
       and s.reads_done + s.leases_open < s.reads_required
       and ${openToLabeler(tx, userId)}
     order by s.queue_order, s.id
     limit ${limit}
     for no key update of s skip locked`;
}

/**
 * Whether any slice is still open to this labeler, ignoring row locks: SKIP LOCKED can
 * return nothing while other labelers briefly hold every remaining row.
 */
export async function anyCandidate(sql: Sql | TxSql, projectId: string, userId: string): Promise<boolean> {
  const [row] = await sql`
    select 1 from slices s
     where s.project_id = ${projectId} and ${openToLabeler(sql, userId)}
     limit 1`;
  return !!row;
}

/** Re-counted after the row lock is held: a fresh statement sees leases committed meanwhile. */
export async function hasRoom(tx: TxSql, sliceId: string): Promise<boolean> {
  const [row] = await tx<{ room: boolean }[]>`
    select s.reads_done + (select count(*) from assignments a
                            where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required as room
      from slices s where s.id = ${sliceId}`;
  return !!row?.room;
}

export async function insertAssignment(
  tx: TxSql,
  a: {
    projectId: string;
    sliceId: string;
    userId: string;
    leaseSeconds: number;
    isRepeat: boolean;
    prioritised: boolean;
    isGold?: boolean;
    isCalibration?: boolean;
  },
): Promise<AssignmentRow> {
  const [row] = await tx<AssignmentRow[]>`
    insert into assignments (project_id, slice_id, user_id, is_repeat, prioritised, is_gold, is_calibration, expires_at)
    values (${a.projectId}, ${a.sliceId}, ${a.userId}, ${a.isRepeat}, ${a.prioritised}, ${a.isGold ?? false}, ${a.isCalibration ?? false},
            now() + make_interval(secs => ${a.leaseSeconds}))
    returning *`;
  return row;
}

/** A slice this labeler read at least `washout` of their reads ago and has not repeated. */
export async function repeatCandidate(tx: TxSql, projectId: string, userId: string, washout: number): Promise<string | undefined> {
  const [row] = await tx<{ sliceId: string }[]>`
    with mine as (
      select slice_id, row_number() over (order by id desc) as age
        from reads where project_id = ${projectId} and user_id = ${userId} and not is_repeat)
    select m.slice_id from mine m
     where m.age > ${washout}
       and not exists (select 1 from reads r where r.slice_id = m.slice_id and r.user_id = ${userId} and r.is_repeat)
       and not exists (select 1 from assignments a where a.slice_id = m.slice_id and a.user_id = ${userId} and a.status = 'OPEN')
     order by random() limit 1`;
  return row?.sliceId;
}

/**
 * What is left for this labeler (slices still needing reads that they have not read or
 * skipped) and how many reads they have given, from the counters migration 0004 keeps.
 */
export async function labelerProgress(sql: Sql | TxSql, projectId: string, userId: string): Promise<{ queueSize: number; readsDone: number }> {
  const [row] = await sql<{ queueSize: number; readsDone: number }[]>`
    select coalesce((select sum(n) from project_open_slices where project_id = ${projectId}), 0)::int
           - coalesce(c.open_touched, 0) as queue_size,
           coalesce(c.reads, 0) as reads_done
      from (select 1) one
      left join labeler_counts c on c.project_id = ${projectId} and c.user_id = ${userId}`;
  return { queueSize: row.queueSize, readsDone: row.readsDone };
}

import type { Sql, TxSql } from '@concord/db';

export interface GoldReadRow {
  id: number;
  sliceId: string;
  userId: string;
  value: number;
  expected: number;
  clientRequestId: string | null;
}

/**
 * A gold slice this labeler may be served [RQ2]: not read (independently or as a repeat),
 * gold-read, skipped or held by them, and one their gold read cannot leave short of readers: it
 * is complete, or enough other labelers of the project have not touched it to finish it. Drawn at
 * random from a small pool read from a random point of the index, so a large gold set costs O(pool).
 */
export async function goldCandidate(tx: TxSql, projectId: string, userId: string): Promise<string | undefined> {
  const eligible = tx`
        g.project_id = ${projectId}
    and not exists (select 1 from reads r where r.slice_id = g.slice_id and r.user_id = ${userId})
    and not exists (select 1 from gold_reads gr where gr.slice_id = g.slice_id and gr.user_id = ${userId})
    and not exists (select 1 from skips k where k.slice_id = g.slice_id and k.user_id = ${userId})
    and not exists (select 1 from calibration_reads c where c.slice_id = g.slice_id and c.user_id = ${userId})
    and not exists (select 1 from assignments a where a.slice_id = g.slice_id and a.user_id = ${userId} and a.status = 'OPEN')`;
  // Slice ids are random UUIDs: walking the index from a random one (wrapping round) is a random
  // pool without sorting the whole gold set.
  const [row] = await tx<{ sliceId: string }[]>`
    with start as (select gen_random_uuid() as id),
    pool as (
      (select g.slice_id from gold_slices g, start where g.slice_id >= start.id and ${eligible} order by g.slice_id limit ${POOL})
      union all
      (select g.slice_id from gold_slices g, start where g.slice_id < start.id and ${eligible} order by g.slice_id limit ${POOL}))
    select p.slice_id from pool p join slices s on s.id = p.slice_id
     where s.reads_done >= s.reads_required
        or (select count(*) from project_members m join user_roles ur on ur.user_id = m.user_id and ur.role = 'LABELER'
             where m.project_id = ${projectId} and m.user_id <> ${userId}
               and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = m.user_id and not r.is_repeat)
               and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = m.user_id)
               and not exists (select 1 from gold_reads gr where gr.slice_id = s.id and gr.user_id = m.user_id)
               and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = m.user_id)
           ) >= s.reads_required - s.reads_done
     order by random() limit 1`;
  return row?.sliceId;
}

const POOL = 16;

export async function goldReadByRequestId(tx: TxSql, userId: string, clientRequestId: string): Promise<GoldReadRow | undefined> {
  const [row] = await tx<GoldReadRow[]>`select * from gold_reads where user_id = ${userId} and client_request_id = ${clientRequestId}`;
  return row;
}

export async function ownGoldRead(tx: TxSql, sliceId: string, userId: string): Promise<GoldReadRow | undefined> {
  const [row] = await tx<GoldReadRow[]>`select * from gold_reads where slice_id = ${sliceId} and user_id = ${userId}`;
  return row;
}

export async function insertGoldRead(
  tx: TxSql,
  r: {
    projectId: string;
    sliceId: string;
    userId: string;
    assignmentId: string;
    value: number;
    seconds: number | null;
    clientRequestId: string | null;
    screenSeconds: number | null;
  },
): Promise<GoldReadRow> {
  const [row] = await tx<GoldReadRow[]>`
    insert into gold_reads (project_id, slice_id, user_id, assignment_id, value, expected, seconds, client_request_id, screen_seconds)
    select ${r.projectId}, g.slice_id, ${r.userId}, ${r.assignmentId}, ${r.value}, g.value, ${r.seconds}, ${r.clientRequestId}, ${r.screenSeconds}
      from gold_slices g where g.slice_id = ${r.sliceId}
    returning *`;
  return row;
}

export interface GoldItem {
  sliceId: string;
  value: number;
}

/** Inserts the items not gold already; returns how many were added. */
export async function insertGoldSlices(
  sql: Sql | TxSql,
  projectId: string,
  items: readonly GoldItem[],
  source: 'LEAD' | 'FINAL' | 'IMPORT',
  addedBy: string | null,
): Promise<number> {
  if (items.length === 0) return 0;
  const rows = await sql`
    insert into gold_slices (slice_id, project_id, value, source, added_by)
    select x.slice_id, ${projectId}, x.value, ${source}, ${addedBy}
      from unnest(${sql.array(items.map((i) => i.sliceId))}::uuid[], ${sql.array(items.map((i) => i.value))}::smallint[]) as x(slice_id, value)
    on conflict (slice_id) do nothing
    returning slice_id`;
  return rows.length;
}

/** Which of these slice ids are slices of the project. */
export async function slicesInProject(sql: Sql | TxSql, projectId: string, sliceIds: readonly string[]): Promise<Set<string>> {
  if (sliceIds.length === 0) return new Set();
  const rows = await sql<{ id: string }[]>`
    select id from slices where project_id = ${projectId} and id = any(${sql.array([...sliceIds])}::uuid[])`;
  return new Set(rows.map((r) => r.id));
}

/** De-identified SOP Instance UID → slice id, for the given UIDs. */
export async function slicesBySopUid(sql: Sql | TxSql, projectId: string, sopUids: readonly string[]): Promise<Map<string, string>> {
  if (sopUids.length === 0) return new Map();
  const rows = await sql<{ id: string; sopUid: string }[]>`
    select id, sop_uid from slices where project_id = ${projectId} and sop_uid = any(${sql.array([...sopUids])}::text[])`;
  return new Map(rows.map((r) => [r.sopUid, r.id]));
}

/**
 * Final labels fit to be gold [RQ1]: decided by adjudication, or by unanimous independent reads
 * of at least two readers; a single read is nobody's check. Not gold yet; random order.
 */
export async function finalsFitForGold(sql: Sql, projectId: string, limit: number): Promise<{ sliceId: string; value: number }[]> {
  return sql<{ sliceId: string; value: number }[]>`
    select f.slice_id, f.value from final_labels f
     where f.project_id = ${projectId}
       and (f.source = 'ADJUDICATION'
            or (f.source = 'CONSENSUS'
                and (select count(*) from reads r where r.slice_id = f.slice_id and not r.is_repeat) >= 2))
       and not exists (select 1 from gold_slices g where g.slice_id = f.slice_id)
     order by random() limit ${limit}`;
}

export async function goldCount(sql: Sql, projectId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from gold_slices where project_id = ${projectId}`;
  return row.n;
}

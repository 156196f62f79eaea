import type { Sql, TxSql } from '@concord/db';

/** A pooled client or a transaction: the service runs these inside one snapshot. */
type Db = Sql | TxSql;

/*
 * Every query returns a 2×2 table in long form (one row per non-empty cell), grouped by
 * whatever the figure is per (nothing, a reader pair, a reader). Values are 0/1 smallints.
 */

export interface CellRow {
  a: number;
  b: number;
  n: number;
}

export async function projectExists(sql: Db, projectId: string): Promise<boolean> {
  const rows = await sql<{ id: string }[]>`select id from projects where id = ${projectId}`;
  return rows.length > 0;
}

/**
 * Overall table [AG13]: on every slice with at least two independent reads, the first read
 * (created_at, then id) is reader A and the second is reader B; later reads are not paired.
 */
export async function firstTwoReadsTable(sql: Db, projectId: string): Promise<CellRow[]> {
  return sql<CellRow[]>`
    with ranked as (
      select slice_id, value,
             row_number() over (partition by slice_id order by created_at, id) as ordinal
      from reads
      where project_id = ${projectId} and not is_repeat
    )
    select read_a.value as a, read_b.value as b, count(*)::int as n
    from ranked read_a
    join ranked read_b on read_b.slice_id = read_a.slice_id and read_b.ordinal = 2
    where read_a.ordinal = 1
    group by read_a.value, read_b.value`;
}

export interface ReaderPairCellRow extends CellRow {
  readerA: string;
  readerB: string;
}

/**
 * Per pair of labelers [AG14]: every slice both read independently, whatever the order of
 * their reads; `a` is the value of the reader whose username sorts first.
 */
export async function readerPairTables(sql: Db, projectId: string): Promise<ReaderPairCellRow[]> {
  return sql<ReaderPairCellRow[]>`
    select ua.username as reader_a, ub.username as reader_b,
           ra.value as a, rb.value as b, count(*)::int as n
    from reads ra
    join reads rb on rb.slice_id = ra.slice_id and not rb.is_repeat and rb.user_id <> ra.user_id
    join users ua on ua.id = ra.user_id
    join users ub on ub.id = rb.user_id
    where ra.project_id = ${projectId} and not ra.is_repeat
      and ua.username collate "C" < ub.username collate "C"
    group by ua.username, ub.username, ra.value, rb.value`;
}

export interface ReaderFinalCellRow {
  reader: string;
  /** The reader's independent read. */
  value: number;
  /** The slice's final label, or null when it has none usable as a reference (AG15). */
  finalValue: number | null;
  n: number;
}

/**
 * Each reader's independent reads against final labels [AG15]. SINGLE_READ final labels
 * are the reader's own read, so they are no reference and are left out (final_value null).
 */
export async function readerFinalTables(sql: Db, projectId: string): Promise<ReaderFinalCellRow[]> {
  return sql<ReaderFinalCellRow[]>`
    select u.username as reader, r.value, f.value as final_value, count(*)::int as n
    from reads r
    join users u on u.id = r.user_id
    left join final_labels f on f.slice_id = r.slice_id and f.source <> 'SINGLE_READ'
    where r.project_id = ${projectId} and not r.is_repeat
    group by u.username, r.value, f.value`;
}

export interface IntraReaderCellRow extends CellRow {
  reader: string;
}

/** Each repeat read (b) against the same reader's independent read of that slice (a). [AG16] */
export async function intraReaderTables(sql: Db, projectId: string): Promise<IntraReaderCellRow[]> {
  return sql<IntraReaderCellRow[]>`
    select u.username as reader, initial.value as a, again.value as b, count(*)::int as n
    from reads again
    join reads initial on initial.slice_id = again.slice_id
                      and initial.user_id = again.user_id
                      and not initial.is_repeat
    join users u on u.id = again.user_id
    where again.project_id = ${projectId} and again.is_repeat
    group by u.username, initial.value, again.value`;
}

export interface SelectionCellRow extends CellRow {
  mode: string;
}

/**
 * The overall table [AG13] split by how the slice came to be read [AG20]: TEST (evaluation-set
 * patient), else the mode of its latest selection (ACTIVE or AUDIT), else the project's plain
 * queue order (RANDOM or SERIES).
 */
export async function selectionModeTables(sql: Db, projectId: string): Promise<SelectionCellRow[]> {
  return sql<SelectionCellRow[]>`
    with ranked as (
      select slice_id, value,
             row_number() over (partition by slice_id order by created_at, id) as ordinal
      from reads
      where project_id = ${projectId} and not is_repeat
    ), mode as (
      select s.id as slice_id,
             case when pa.is_test then 'TEST'
                  else coalesce((select l.mode from selection_log l where l.slice_id = s.id order by l.id desc limit 1), pr.queue_order)
             end as mode
        from slices s
        join projects pr on pr.id = s.project_id
        join series se on se.id = s.series_id
        join studies st on st.id = se.study_id
        join patients pa on pa.id = st.patient_id
       where s.project_id = ${projectId}
    )
    select m.mode, read_a.value as a, read_b.value as b, count(*)::int as n
    from ranked read_a
    join ranked read_b on read_b.slice_id = read_a.slice_id and read_b.ordinal = 2
    join mode m on m.slice_id = read_a.slice_id
    where read_a.ordinal = 1
    group by m.mode, read_a.value, read_b.value`;
}

import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';

/** A slice as the GraphQL `Slice` type's parent carries it. */
export interface SliceRow {
  id: string;
  seriesId: string;
  position: number;
  windowCenter: number | null;
  windowWidth: number | null;
}

export async function sliceById(sql: Sql, id: string): Promise<SliceRow> {
  const [row] = await sql<SliceRow[]>`
    select id, series_id, position, window_center, window_width from slices where id = ${id}`;
  if (!row) throw new ConcordError(ErrorCode.SLICE_NOT_FOUND, 'That slice no longer exists.');
  return row;
}

export interface SeriesRow {
  id: string;
  description: string | null;
}

export async function seriesById(sql: Sql, id: string): Promise<SeriesRow | undefined> {
  const [row] = await sql<SeriesRow[]>`select id, description from series where id = ${id}`;
  return row;
}

export interface SeriesSliceRow {
  id: string;
  position: number;
}

/** The series' slices in order along the slice normal, for context scrolling. */
export async function slicesOfSeries(sql: Sql, seriesId: string): Promise<SeriesSliceRow[]> {
  return sql<SeriesSliceRow[]>`
    select id, position from slices where series_id = ${seriesId} order by position`;
}

import type { Sql } from '@concord/db';

export interface QueueItemRow {
  id: string;
  sliceId: string;
  openedAt: Date;
  readAValue: number;
  readBValue: number;
}

export async function openItemsFor(sql: Sql, projectId: string, adjudicatorId: string, allowOwnReads: boolean): Promise<QueueItemRow[]> {
  return sql<QueueItemRow[]>`
    select i.id, i.slice_id, i.opened_at, ra.value as read_a_value, rb.value as read_b_value
      from adjudication_items i
      join reads ra on ra.id = i.read_a_id
      join reads rb on rb.id = i.read_b_id
     where i.project_id = ${projectId}
       and not exists (select 1 from adjudications d where d.item_id = i.id)
       and (${allowOwnReads} or not exists (
             select 1 from reads r where r.slice_id = i.slice_id and r.user_id = ${adjudicatorId}))
     order by i.opened_at, i.id`;
}

export async function openItemCount(sql: Sql, projectId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from adjudication_items i
     where i.project_id = ${projectId} and not exists (select 1 from adjudications d where d.item_id = i.id)`;
  return row.n;
}

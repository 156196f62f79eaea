import type { TxSql } from '../db/sql.js';

export interface ReadRow {
  id: number; slice_id: string; user_id: string; value: number; is_repeat: boolean; client_request_id: string | null; created_at: Date;
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
  r: { projectId: string; sliceId: string; userId: string; assignmentId: string | null; value: number; isRepeat: boolean; clientRequestId: string | null; seconds?: number | null; screenSeconds?: number | null },
): Promise<ReadRow> {
  const [row] = await tx<ReadRow[]>`
    insert into reads (project_id, slice_id, user_id, assignment_id, value, is_repeat, client_request_id, seconds, screen_seconds)
    values (${r.projectId}, ${r.sliceId}, ${r.userId}, ${r.assignmentId}, ${r.value}, ${r.isRepeat}, ${r.clientRequestId}, ${r.seconds ?? null}, ${r.screenSeconds ?? null})
    returning *`;
  return row;
}

export async function independentReads(tx: TxSql, sliceId: string): Promise<ReadRow[]> {
  return tx<ReadRow[]>`select * from reads where slice_id = ${sliceId} and not is_repeat order by id`;
}

export async function closeAssignment(tx: TxSql, assignmentId: string, status: 'DONE' | 'SKIPPED'): Promise<void> {
  await tx`update assignments set status = ${status}, closed_at = now() where id = ${assignmentId}`;
}

export async function insertFinalLabel(tx: TxSql, projectId: string, sliceId: string, value: number, source: 'CONSENSUS' | 'ADJUDICATION' | 'SINGLE_READ'): Promise<void> {
  await tx`insert into final_labels (slice_id, project_id, value, source) values (${sliceId}, ${projectId}, ${value}, ${source})`;
}

export async function openAdjudicationItem(tx: TxSql, projectId: string, sliceId: string, readAId: number, readBId: number): Promise<void> {
  await tx`insert into adjudication_items (project_id, slice_id, read_a_id, read_b_id)
           values (${projectId}, ${sliceId}, ${readAId}, ${readBId})`;
}

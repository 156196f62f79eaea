import type { Sql } from '@concord/db';
import type { IngestBatchModel } from '../graphql/models.js';

export async function batchesFor(sql: Sql, projectId: string): Promise<IngestBatchModel[]> {
  return sql<IngestBatchModel[]>`
    select id, source, status, total, accepted, skipped, rejected, started_at, finished_at
      from ingest_batches where project_id = ${projectId} order by started_at desc`;
}

export async function batchById(sql: Sql, id: string): Promise<(IngestBatchModel & { project_id: string }) | undefined> {
  const [row] = await sql<(IngestBatchModel & { project_id: string })[]>`
    select id, project_id, source, status, total, accepted, skipped, rejected, started_at, finished_at
      from ingest_batches where id = ${id}`;
  return row;
}

export async function batchFiles(sql: Sql, batchId: string, status: string | null, limit: number, offset: number) {
  return sql<{ path: string; status: string; reason: string; detail: string | null }[]>`
    select path, status, reason, detail from ingest_files
     where batch_id = ${batchId} and (${status}::text is null or status = ${status})
     order by id limit ${limit} offset ${offset}`;
}

import type { Sql } from '@concord/db';
import type { FileStatus } from './outcome.js';

/** An ingest batch as the GraphQL `IngestBatch` type's parent carries it. */
export interface IngestBatchRow {
  id: string;
  source: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  total: number;
  accepted: number;
  skipped: number;
  rejected: number;
  startedAt: Date;
  finishedAt: Date | null;
}

export async function batchesFor(sql: Sql, projectId: string): Promise<IngestBatchRow[]> {
  return sql<IngestBatchRow[]>`
    select id, source, status, total, accepted, skipped, rejected, started_at, finished_at
      from ingest_batches where project_id = ${projectId} order by started_at desc`;
}

export async function batchById(sql: Sql, id: string): Promise<(IngestBatchRow & { projectId: string }) | undefined> {
  const [row] = await sql<(IngestBatchRow & { projectId: string })[]>`
    select id, project_id, source, status, total, accepted, skipped, rejected, started_at, finished_at
      from ingest_batches where id = ${id}`;
  return row;
}

export async function batchFiles(sql: Sql, batchId: string, status: string | null, limit: number, offset: number) {
  return sql<{ path: string; status: FileStatus; reason: string; detail: string | null }[]>`
    select path, status, reason, detail from ingest_files
     where batch_id = ${batchId} and (${status}::text is null or status = ${status})
     order by id limit ${limit} offset ${offset}`;
}

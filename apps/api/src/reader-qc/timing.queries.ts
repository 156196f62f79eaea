import type { TxSql } from '@concord/db';

/**
 * Seconds this read took [RQ11]: from the later of its lease and the reader's previous submit in
 * the project (a lease taken ahead starts counting only when the reader is free) to now.
 */
export async function readSeconds(tx: TxSql, assignmentId: string): Promise<number | null> {
  const [row] = await tx<{ seconds: number | null }[]>`
    select extract(epoch from now() - greatest(
             a.leased_at,
             (select max(r.created_at) from reads r where r.user_id = a.user_id and r.project_id = a.project_id),
             (select max(g.created_at) from gold_reads g where g.user_id = a.user_id and g.project_id = a.project_id)
           ))::float8 as seconds
      from assignments a where a.id = ${assignmentId}`;
  const s = row?.seconds;
  return s == null || !Number.isFinite(s) ? null : Math.max(0, s);
}

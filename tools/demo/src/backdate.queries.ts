import type { Sql } from '@concord/db';
import type { ClockSegment } from './timeline.js';

/** The append-only guards (0001_init.sql) lifted for the one transaction that backdates a seeded project. */
const APPEND_ONLY_TRIGGERS = [
  ['reads', 'reads_append_only'],
  ['skips', 'skips_append_only'],
  ['adjudications', 'adjudications_append_only'],
  ['final_labels', 'final_labels_append_only'],
  ['audit_log', 'audit_log_append_only'],
  ['selection_log', 'selection_log_append_only'],
] as const;

/** Tables with a project_id and the timestamps each step wrote. */
const PROJECT_STAMPS = [
  ['ingest_batches', 'started_at'],
  ['ingest_batches', 'finished_at'],
  ['patients', 'created_at'],
  ['studies', 'created_at'],
  ['series', 'created_at'],
  ['slices', 'created_at'],
  ['assignments', 'closed_at'],
  ['reads', 'created_at'],
  ['skips', 'created_at'],
  ['adjudication_items', 'opened_at'],
  ['final_labels', 'decided_at'],
  ['audit_log', 'created_at'],
  ['model_versions', 'created_at'],
  ['model_versions', 'promoted_at'],
  ['selection_log', 'created_at'],
] as const;

/**
 * Moves every timestamp of one freshly seeded project from the real seeding run into the past
 * windows the timeline recorded, each stretch linearly, so order within and between steps is
 * kept (DM3). Runs in one transaction: the append-only triggers are disabled only inside it, and
 * only rows of this project are touched. Needs the table owner (the demo's database user).
 */
export async function backdateProject(sql: Sql, projectId: string, segments: readonly ClockSegment[]): Promise<void> {
  if (!segments.length) return;
  const realFrom = segments.map((s) => s.realFrom.toISOString());
  const realTo = segments.map((s) => s.realTo.toISOString());
  const fakeFrom = segments.map((s) => s.fakeFrom.toISOString());
  const scale = segments.map((s) => (s.fakeTo.getTime() - s.fakeFrom.getTime()) / Math.max(1, s.realTo.getTime() - s.realFrom.getTime()));
  await sql.begin(async (tx) => {
    const clock = () =>
      tx`unnest(${realFrom}::timestamptz[], ${realTo}::timestamptz[], ${fakeFrom}::timestamptz[], ${scale}::float8[]) as m(real_from, real_to, fake_from, scale)`;
    const moved = (column: string) => tx`m.fake_from + (t.${tx(column)} - m.real_from) * m.scale`;
    const within = (column: string) => tx`t.${tx(column)} >= m.real_from and t.${tx(column)} < m.real_to`;
    for (const [table, trigger] of APPEND_ONLY_TRIGGERS) await tx`alter table ${tx(table)} disable trigger ${tx(trigger)}`;

    // A lease keeps its length: expiry moves with the lease, before leased_at itself moves.
    await tx`update assignments t set expires_at = t.expires_at + (${moved('leased_at')} - t.leased_at), leased_at = ${moved('leased_at')}
               from ${clock()} where t.project_id = ${projectId} and ${within('leased_at')}`;
    for (const [table, column] of PROJECT_STAMPS) {
      await tx`update ${tx(table)} t set ${tx(column)} = ${moved(column)} from ${clock()} where t.project_id = ${projectId} and ${within(column)}`;
    }
    await tx`update projects t set created_at = ${moved('created_at')} from ${clock()} where t.id = ${projectId} and ${within('created_at')}`;
    await tx`update ingest_files t set created_at = ${moved('created_at')} from ${clock()}
               where t.batch_id in (select id from ingest_batches where project_id = ${projectId}) and ${within('created_at')}`;
    await tx`update adjudications t set created_at = ${moved('created_at')} from ${clock()}
               where t.item_id in (select id from adjudication_items where project_id = ${projectId}) and ${within('created_at')}`;
    await tx`update embeddings t set created_at = ${moved('created_at')} from ${clock()}
               where t.slice_id in (select id from slices where project_id = ${projectId}) and ${within('created_at')}`;

    for (const [table, trigger] of APPEND_ONLY_TRIGGERS) await tx`alter table ${tx(table)} enable trigger ${tx(trigger)}`;
  });
}

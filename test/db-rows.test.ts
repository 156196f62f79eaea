/**
 * [DB2] The driver's column transform: rows in camelCase, json values as stored, helpers back to
 * snake_case. Removing the transform from createSql fails every assertion on keys here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnKey } from '@concord/db';
import { freshDatabase } from './helpers/db.js';

test('[DB2] rows come back with camelCase column names; keys inside json and jsonb values are not renamed', async () => {
  const { sql } = await freshDatabase('rows');
  const doc = { series_rules: { min_slices: 3 }, already_camel: [{ inner_key: 1 }], plain: true };
  const [row] = await sql`
    select 1 as reads_done, 2 as al_max_per_patient, 3 as plain, 4 as odd_,
           ${sql.json(doc as never)}::jsonb as stored_doc,
           '{"top_key": {"nested_key": 1}}'::json as stored_json,
           jsonb_build_object('project_id', 'p', 'queue_size', 4) as fn_result`;
  assert.deepEqual(Object.keys(row), ['readsDone', 'alMaxPerPatient', 'plain', 'odd_', 'storedDoc', 'storedJson', 'fnResult']);
  assert.deepEqual(row.storedDoc, doc, 'a stored document reads back with its own keys');
  assert.deepEqual(row.storedJson, { top_key: { nested_key: 1 } });
  assert.deepEqual(row.fnResult, { project_id: 'p', queue_size: 4 });

  // A real table, through `select *`: the schema's snake_case columns arrive camelCased.
  const [project] = await sql`insert into projects (name, reads_per_slice) values ('db2', 3) returning *`;
  assert.equal(project.readsPerSlice, 3);
  assert.equal('reads_per_slice' in project, false);
  assert.ok(project.createdAt instanceof Date);

  // Write helpers take camelCase keys (and column lists) and write the snake_case columns; a
  // snake_case key still names its column unchanged.
  await sql`create table db2_helper (slice_id int, window_center real, plain text, payload jsonb)`;
  await sql`insert into db2_helper ${sql({ sliceId: 1, windowCenter: 40.5, plain: 'a', payload: sql.json({ keep_me: 1 }) })}`;
  await sql`insert into db2_helper ${sql([{ sliceId: 2, windowCenter: 1, plain: 'b', payload: null }], 'sliceId', 'windowCenter', 'plain')}`;
  await sql`insert into db2_helper ${sql({ slice_id: 3, plain: 'c' })}`;
  await sql`update db2_helper set ${sql({ windowCenter: 7 }, 'windowCenter')} where ${sql('sliceId')} = 3`;
  const stored = await sql`select slice_id, window_center, plain, payload from db2_helper order by slice_id`;
  assert.deepEqual(
    stored.map((r) => [r.sliceId, r.windowCenter, r.plain, r.payload]),
    [
      [1, 40.5, 'a', { keep_me: 1 }],
      [2, 1, 'b', null],
      [3, 7, 'c', null],
    ],
  );
  // The export edge maps its published snake_case column names with the driver's own function.
  assert.deepEqual(['study_uid', 'p90_seconds', 'value', 'odd_'].map(columnKey), ['studyUid', 'p90Seconds', 'value', 'odd_']);
});

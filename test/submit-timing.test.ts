/**
 * [TM1] A labeler cannot tell from submitLabel's timing whether their read completed the slice
 * (i.e. that others have read it): the submit that completes a slice's reads sends exactly the
 * same statements as one that does not, in the same order; only the row the settle statement
 * inserts differs. Measured figures: bench/submit-timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshDatabase } from './helpers/db.js';
import { createSql } from '@concord/db';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { createUser } from '../apps/api/src/users/users.queries.js';
import { nextSlice } from '../apps/api/src/assignment/assignment.service.js';
import { submitLabel } from '../apps/api/src/labels/labels.service.js';

const { url, sql } = await freshDatabase('timing');
let recording: string[] | null = null;
const traced = createSql(url, {
  max: 1,
  appName: 'concord-test-traced',
  debug: (q) => {
    recording?.push(q.replace(/\s+/g, ' ').trim());
  },
});
// Its first query also loads array types; that is the connection's, not the submit's.
await traced`select 1`;
const project = await createProject(sql, { name: 'timing', readsPerSlice: 2 });
const users = await Promise.all(
  ['t1', 't2'].map((u) => createUser(sql, { username: u, password: 'password123', roles: ['LABELER'], projectIds: [project.id] })),
);
const [pat] = await sql`insert into patients (project_id, pseudonym) values (${project.id}, 'x') returning id`;
const [st] = await sql`insert into studies (project_id, patient_id, study_uid) values (${project.id}, ${pat.id}, '2.25.1') returning id`;
const [se] = await sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${project.id}, ${st.id}, '2.25.2', 8, 8) returning id`;
for (let i = 0; i < 4; i++) {
  await sql`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
            values (${project.id}, ${se.id}, ${'2.25.3.' + i}, ${i}, ${i}, ${'0'.repeat(64)}, 2)`;
}

async function statementsOf(userId: string, value: number): Promise<{ statements: string[]; outcome: string }> {
  const a = await nextSlice(sql, project.id, userId);
  assert.ok(a);
  recording = [];
  const r = await submitLabel(traced, { sliceId: a.sliceId, userId, value, clientRequestId: randomUUID() });
  const statements = recording;
  recording = null;
  return { statements, outcome: r.outcome };
}

test('[TM1] completing a slice (consensus or disagreement) sends the same statements as a read that does not', async () => {
  for (const [second, expected] of [
    [1, 'CONSENSUS'],
    [0, 'ADJUDICATION_OPENED'],
  ] as const) {
    const pending = await statementsOf(users[0].id, 1);
    const completing = await statementsOf(users[1].id, second);
    assert.equal(pending.outcome, 'PENDING');
    assert.equal(completing.outcome, expected);
    // The submit is one statement since migration 0012 (its count is [LB6]'s test): here, only that the recorder saw it.
    assert.ok(pending.statements.length >= 1, `recorded ${pending.statements.length} statements`);
    assert.deepEqual(completing.statements, pending.statements, 'same statements, same order');
  }
  const [{ finals }] = await sql`select count(*)::int as finals from final_labels where project_id = ${project.id}`;
  const [{ items }] = await sql`select count(*)::int as items from adjudication_items where project_id = ${project.id}`;
  assert.deepEqual({ finals, items }, { finals: 1, items: 1 }, 'the settle statement still settles');
  await traced.end();
});

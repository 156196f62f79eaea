/**
 * [LB8] A label's work in the database does not grow with the project (migration 0017): the
 * buffers concord_submit_label reads for one label and the next lease stay the same with thousands
 * of open slices ahead in the queue, hundreds of leases held by others, thousands of reads in the
 * table and by the labeler, as in a small project.
 *
 * The statement's plans are made once per connection, on the tables as they are at its first
 * label, and kept (force_generic_plan): on a fresh database that is near-empty tables, the case
 * where 0016's plans read whole tables once they had grown. So one connection labels a tiny
 * project first, then a small one (measured), then a large one is built and measured on the same
 * connection, with autovacuum off on the growing tables so no analyse re-plans in between. The
 * buffers are EXPLAIN (ANALYZE, BUFFERS)'s for the statement: the functions it calls and the
 * triggers they fire count in it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createSql } from '@concord/db';
import { freshDatabase } from './helpers/db.js';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { nextSlice } from '../apps/api/src/assignment/assignment.service.js';
import { submitLabel } from '../apps/api/src/labels/labels.service.js';

const { url, sql } = await freshDatabase('labelcost');
// No analyse between the first label and the measured ones: the plans stay those made small.
for (const t of ['reads', 'slices', 'assignments', 'labeler_counts', 'project_open_slices']) {
  await sql.unsafe(`alter table ${t} set (autovacuum_enabled = false)`);
}
const one = createSql(url, { max: 1, appName: 'concord-test-label-cost' });

/** A project of `slices` slices (two reads each, one series, queue order = position) and `users` labelers. */
async function seed(tag: string, slices: number, users: number) {
  const p = await createProject(sql, { name: `cost-${tag}` });
  await sql`update projects set gold_rate = 0, evaluation_share = 0 where id = ${p.id}`;
  const [pat] = await sql`insert into patients (project_id, pseudonym) values (${p.id}, ${tag}) returning id`;
  const [st] = await sql`insert into studies (project_id, patient_id, study_uid) values (${p.id}, ${pat.id}, ${'2.25.' + tag}) returning id`;
  const [se] = await sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${p.id}, ${st.id}, ${'2.25.9' + tag}, 8, 8) returning id`;
  await sql`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
            select ${p.id}, ${se.id}, ${'2.25.' + tag + '.'} || g, g, g, ${'0'.repeat(64)}, 2 from generate_series(1, ${slices}) g`;
  const us = await sql<{ id: string }[]>`
    insert into users (username, password_hash) select ${tag} || '_' || g, 'x' from generate_series(1, ${users}) g returning id`;
  await sql`insert into user_roles (user_id, role) select id, 'LABELER' from users where username like ${tag + '\\_%'}`;
  await sql`insert into project_members (project_id, user_id) select ${p.id}, id from users where username like ${tag + '\\_%'}`;
  return { projectId: p.id as string, users: us.map((u) => u.id) };
}

/** One label with the next lease, on the measuring connection: its buffers and the lease it got. */
async function measuredLabel(userId: string, sliceId: string, value: number) {
  const [row] = await one.unsafe(
    'explain (analyze, buffers, format json) select concord_submit_label($1::uuid, $2::uuid, $3::int, $4::text, null::real, false, 1)',
    [sliceId, userId, value, randomUUID()],
  );
  const plan = (row as Record<string, any>)['QUERY PLAN'][0].Plan;
  const buffers = Number(plan['Shared Hit Blocks']) + Number(plan['Shared Read Blocks']);
  const [read] = await sql`select id from reads where slice_id = ${sliceId} and user_id = ${userId} and not is_repeat`;
  assert.ok(read, 'the label was stored');
  const [next] = await sql<{ sliceId: string }[]>`select slice_id from assignments where user_id = ${userId} and status = 'OPEN'`;
  assert.ok(next, 'the next lease came with the label');
  return { buffers, next: next.sliceId };
}

/** `n` labels in a row by one labeler from a first lease; the most buffers any of them read. */
async function mostBuffers(projectId: string, userId: string, n: number): Promise<number> {
  const first = await nextSlice(sql, projectId, userId);
  assert.ok(first);
  let slice = first.sliceId;
  let most = 0;
  for (let k = 0; k < n; k++) {
    const r = await measuredLabel(userId, slice, k % 2);
    most = Math.max(most, r.buffers);
    slice = r.next;
  }
  return most;
}

test('[LB8] a label reads as many buffers with 3,000 open slices ahead, 300 leases held and 3,000 reads of the labeler as in a project of 60 slices, plans made on near-empty tables', async () => {
  // The connection's first labels: its plans are made here, on tables holding a few rows (as
  // bench/labeling's warm-up: 20 labelers, 3 labels each, every one holding a lease meanwhile).
  const tiny = await seed('tiny', 70, 20);
  const held = await Promise.all(tiny.users.map((u) => nextSlice(sql, tiny.projectId, u)));
  for (let k = 0; k < 3; k++) {
    for (const [i, u] of tiny.users.entries()) {
      const a = held[i];
      if (a) held[i] = (await submitLabel(one, { sliceId: a.sliceId, userId: u, value: 1, clientRequestId: randomUUID(), lease: 1 })).next?.[0] ?? null;
    }
  }
  // A labeler's history: 3,000 slices of another project, each read by them and by a second
  // labeler (so complete); the tables now hold 6,000 reads more than when the plans were made,
  // and their indexes have grown a level, for both measurements below. The history is another
  // project's so that the dead index entries it leaves (vacuum's business, not the plans') are
  // not in the queues walked.
  const history = await seed('history', 3000, 2);
  const [reader, other] = history.users;
  await sql`
    insert into reads (project_id, slice_id, user_id, value, seconds)
    select ${history.projectId}, s.id, u.id, 1, 1
      from slices s cross join (values (${reader}::uuid), (${other}::uuid)) u(id)
     where s.project_id = ${history.projectId}`;
  // Small: 60 slices, a labeler with no reads. Large: 3,000 open slices ahead in the queue, 300
  // other labelers each holding a lease on one, and the labeler with the 3,000 reads.
  const small = await seed('small', 60, 3);
  const smallMost = await mostBuffers(small.projectId, small.users[0], 4);
  const large = await seed('large', 3000, 300);
  await sql`insert into project_members (project_id, user_id) values (${large.projectId}, ${reader})`;
  await sql`
    insert into assignments (project_id, slice_id, user_id, expires_at)
    select ${large.projectId}, s.id, u.id, now() + interval '1 hour'
      from (select id, row_number() over (order by position) as k from slices where project_id = ${large.projectId}) s
      join (select id, row_number() over (order by id) as k from unnest(${large.users}::uuid[]) as x(id)) u on u.k = s.k`;
  const [shape] = await sql`
    select (select count(*)::int from reads where user_id = ${reader}) as mine,
           (select count(*)::int from slices where project_id = ${large.projectId} and reads_done < reads_required) as open,
           (select count(*)::int from assignments where project_id = ${large.projectId} and status = 'OPEN') as leases,
           (select count(*)::int from reads) as reads`;
  assert.deepEqual({ mine: shape.mine, open: shape.open, leases: shape.leases }, { mine: 3000, open: 3000, leases: 300 });
  assert.ok(shape.reads >= 6000, `${shape.reads} reads`);
  const largeMost = await mostBuffers(large.projectId, reader, 4);

  console.log(`# buffers per label: small project ${smallMost}, large ${largeMost}`);
  // A label reads and writes some hundred buffers: a figure near zero would mean nothing was counted.
  assert.ok(smallMost >= 50, `${smallMost} buffers for a label in the small project`);
  assert.ok(
    largeMost <= smallMost * 1.1 + 10,
    `a label read ${largeMost} buffers in the large project, ${smallMost} in the small one: something scans what grows`,
  );
  await one.end();
});

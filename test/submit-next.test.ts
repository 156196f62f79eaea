/**
 * The next lease that comes back with a label (concord_submit_label, migration 0012) follows the
 * same rules as nextSlice: it resumes an open lease first [AS1], never over-fills a slice under
 * concurrency [AS5], puts the evaluation set first on its share of leases [AS9], and gives a
 * paused reader nothing new [RQ10].
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { nextSlice, nextSlices } from '../apps/api/src/assignment/assignment.service.js';
import { submitLabel } from '../apps/api/src/labels/labels.service.js';
import { seedProject, startTestApi } from './helpers/api.js';

const t = await startTestApi('submitnext');

test('[AS1] the next lease after a label is the open lease the labeler already holds', async () => {
  const p = await seedProject(t, { slicesPerSeries: 6, users: { r1: ['LABELER'] } });
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  const u = p.users.r1.id;
  const [now, ahead] = await nextSlices(t.sql, p.projectId, u, 2);
  const r = await submitLabel(t.sql, { sliceId: now.sliceId, userId: u, value: 1, clientRequestId: randomUUID(), lease: 1 });
  assert.deepEqual(
    r.next?.map((a) => a.id),
    [ahead.id],
  );
  const r2 = await submitLabel(t.sql, { sliceId: ahead.sliceId, userId: u, value: 0, clientRequestId: randomUUID(), lease: 2 });
  assert.equal(r2.next?.length, 2, 'topped up to the lookahead asked for');
  assert.ok(r2.next!.every((a) => a.sliceId !== now.sliceId && a.sliceId !== ahead.sliceId));
  const [{ open }] = await t.sql`select count(*)::int as open from assignments where user_id = ${u} and status = 'OPEN'`;
  assert.equal(open, 2);
});

test('[AS5] labelers chaining label → next lease never over-read a slice, and each slice gets its reads', async () => {
  const names = Array.from({ length: 8 }, (_, i) => `c${i}`);
  const p = await seedProject(t, { slicesPerSeries: 10, reads: 3, users: Object.fromEntries(names.map((n) => [n, ['LABELER']])) });
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  await Promise.all(
    names.map(async (n) => {
      const u = p.users[n].id;
      let a = await nextSlice(t.sql, p.projectId, u);
      while (a) {
        const r = await submitLabel(t.sql, { sliceId: a.sliceId, userId: u, value: 1, clientRequestId: randomUUID(), lease: 1 });
        a = r.next?.[0] ?? null;
      }
    }),
  );
  const rows = await t.sql<{ n: number; readers: number }[]>`
    select count(r.id)::int as n, count(distinct r.user_id)::int as readers
      from slices s left join reads r on r.slice_id = s.id where s.project_id = ${p.projectId} group by s.id`;
  assert.equal(rows.length, 10);
  for (const r of rows) assert.deepEqual(r, { n: 3, readers: 3 });
  const [{ open }] = await t.sql`select count(*)::int as open from assignments where project_id = ${p.projectId} and status = 'OPEN'`;
  assert.equal(open, 0, 'no lease left behind once the queue is done');
});

test('[AS9] with evaluation_share 1 the next lease is an evaluation-set slice while one is open', async () => {
  const p = await seedProject(t, { slicesPerSeries: 4, series: 2, reads: 1, users: { e1: ['LABELER'] } });
  await t.sql`update projects set gold_rate = 0, evaluation_share = 1 where id = ${p.projectId}`;
  // The second series' patient is in the evaluation set; queue order puts the first series first.
  const testSeries = p.seriesIds[1];
  await t.sql`update patients set is_test = true where id = (
    select st.patient_id from series se join studies st on st.id = se.study_id where se.id = ${testSeries})`;
  const u = p.users.e1.id;
  const first = (
    await t.sql<{ sliceId: string }[]>`
    insert into assignments (project_id, slice_id, user_id, expires_at)
    select ${p.projectId}, s.id, ${u}, now() + interval '10 minutes' from slices s where s.series_id = ${p.seriesIds[0]} order by s.queue_order limit 1
    returning slice_id`
  )[0];
  const seen: string[] = [];
  let sliceId: string | undefined = first.sliceId;
  for (let k = 0; k < 4 && sliceId; k++) {
    const r = await submitLabel(t.sql, { sliceId, userId: u, value: 1, clientRequestId: randomUUID(), lease: 1 });
    sliceId = r.next?.[0]?.sliceId;
    if (sliceId) seen.push(sliceId);
  }
  const series = await t.sql<{ seriesId: string }[]>`select series_id from slices where id = any(${seen}::uuid[]) order by array_position(${seen}::uuid[], id)`;
  assert.deepEqual(
    series.map((s) => s.seriesId),
    [testSeries, testSeries, testSeries, testSeries],
  );
});

test('[RQ10] a paused reader gets no next lease with their label, and the label is stored', async () => {
  const p = await seedProject(t, { slicesPerSeries: 4, users: { q1: ['LABELER'] } });
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  const u = p.users.q1.id;
  const a = await nextSlice(t.sql, p.projectId, u);
  assert.ok(a);
  await t.sql`insert into reader_pause_events (project_id, user_id, action, reason) values (${p.projectId}, ${u}, 'PAUSE', 'test')`;
  const r = await submitLabel(t.sql, { sliceId: a.sliceId, userId: u, value: 1, clientRequestId: randomUUID(), lease: 1 });
  assert.equal(r.outcome, 'PENDING');
  assert.deepEqual(r.next, []);
  const [{ reads }] = await t.sql`select count(*)::int as reads from reads where user_id = ${u}`;
  assert.equal(reads, 1);
});

test('[AS10] gold leases come with labels at the gold rate too, and a read on one goes to gold_reads', async () => {
  const p = await seedProject(t, { slicesPerSeries: 20, series: 2, reads: 1, users: { g1: ['LABELER'], g2: ['LABELER'], g3: ['LABELER'] } });
  await t.sql`update projects set gold_rate = 0.5 where id = ${p.projectId}`;
  // Gold: the second series. Two other labelers can still finish each of its slices, so each may be served.
  await t.sql`insert into gold_slices (slice_id, project_id, value, source)
              select id, ${p.projectId}, 1, 'LEAD' from slices where series_id = ${p.seriesIds[1]} order by position limit 4`;
  const u = p.users.g1.id;
  const first = await nextSlice(t.sql, p.projectId, u);
  let a = first;
  let goldLeases = a?.isGold ? 1 : 0;
  for (let k = 0; k < 20 && a; k++) {
    const r = await submitLabel(t.sql, { sliceId: a.sliceId, userId: u, value: 1, clientRequestId: randomUUID(), lease: 1 });
    assert.equal(r.outcome, a.isGold ? 'GOLD' : 'CONSENSUS', 'one read per slice here: a plain read settles it');
    a = r.next?.[0] ?? null;
    if (a?.isGold) goldLeases++;
  }
  // 20 draws at rate 0.5: no gold lease at all has probability 2^-20.
  assert.ok(goldLeases - (first?.isGold ? 1 : 0) >= 1, 'some leases returned with a label were gold');
  const [{ gold, plain }] = await t.sql`
    select (select count(*)::int from gold_reads where user_id = ${u}) as gold,
           (select count(*)::int from reads r join gold_slices g on g.slice_id = r.slice_id where r.user_id = ${u}) as plain`;
  assert.equal(gold, goldLeases - (a?.isGold ? 1 : 0), 'every gold lease labelled is one gold read');
  assert.equal(plain, 0, 'a gold read never counts as an independent read');
});

/**
 * [AS11] slices.leases_open (migration 0015) is what the lease queue's index is built on: after
 * leases, labels with the next lease in the same statement, skips, expiry and a race of labelers,
 * it equals each slice's open regular leases, and a slice whose places are all leased is
 * not offered while one whose lease expired is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApi, seedProject, gql, gqlOk, NEXT_SLICE } from './helpers/api.js';

const t = await startTestApi('leasecount');
const SUBMIT_NEXT = `mutation($s:ID!,$v:Int!,$c:ID){ submitLabel(sliceId:$s,value:$v,clientRequestId:$c){ ok next { id slice { id } } } }`;
const SKIP = `mutation($s:ID!,$r:String!){ skipSlice(sliceId:$s, reason:$r) }`;

async function mismatches(projectId: string): Promise<string[]> {
  const rows = await t.sql<{ id: string; leasesOpen: number; n: number }[]>`
    select s.id, s.leases_open, (select count(*)::int from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and not a.is_gold and not a.is_calibration) as n
      from slices s where s.project_id = ${projectId}`;
  return rows.filter((r) => r.leasesOpen !== r.n).map((r) => `${r.id}: counter ${r.leasesOpen}, open leases ${r.n}`);
}

test('[AS11] the lease counter follows leases, labels, skips and expiry, and the queue honours it', async () => {
  const s = await seedProject(t, { slicesPerSeries: 2, users: { k1: ['LABELER'], k2: ['LABELER'], k3: ['LABELER'] } });
  // No gold: gold leases hold no place and are not counted, which this test does not exercise.
  await t.sql`update projects set gold_rate = 0 where id = ${s.projectId}`;
  const a = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.k1.token);
  const b = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.k2.token);
  assert.equal(b.nextSlice.slice.id, a.nextSlice.slice.id);
  const [first] = await t.sql`select leases_open from slices where id = ${a.nextSlice.slice.id}`;
  assert.equal(first.leasesOpen, 2, 'two leases on the first slice');
  const c = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.k3.token);
  assert.notEqual(c.nextSlice.slice.id, a.nextSlice.slice.id, 'a slice with both places leased is not offered');
  assert.deepEqual(await mismatches(s.projectId), []);

  // A label and the next lease in one statement: one lease closes, another opens.
  const next = await gqlOk(t.url, SUBMIT_NEXT, { s: a.nextSlice.slice.id, v: 1, c: randomUUID() }, s.users.k1.token);
  assert.ok(next.submitLabel.next, 'the next lease comes with the label');
  assert.deepEqual(await mismatches(s.projectId), []);
  const skip = await gql(t.url, SKIP, { s: next.submitLabel.next.slice.id, r: 'artefact' }, s.users.k1.token);
  assert.equal(skip.errors, undefined);
  assert.deepEqual(await mismatches(s.projectId), []);

  // Expiry: k2's lease lapses; the next lease marks it EXPIRED and the place is free again.
  await t.sql`update assignments set expires_at = now() - interval '1 second' where id = ${b.nextSlice.id}`;
  const [stale] = await t.sql`select leases_open from slices where id = ${a.nextSlice.slice.id}`;
  assert.equal(stale.leasesOpen, 1, 'a lease past its time counts until it is marked EXPIRED');
  await gqlOk(t.url, SUBMIT_NEXT, { s: c.nextSlice.slice.id, v: 0, c: randomUUID() }, s.users.k3.token);
  const [expired] = await t.sql`select status from assignments where id = ${b.nextSlice.id}`;
  assert.equal(expired.status, 'EXPIRED');
  assert.deepEqual(await mismatches(s.projectId), []);
});

test('[AS11][AS5] after a race of 12 labelers over 10 slices the counter equals the open leases, and no slice is over-read', async () => {
  const users: Record<string, ['LABELER']> = {};
  for (let i = 0; i < 12; i++) users[`lc${i}`] = ['LABELER'];
  const s = await seedProject(t, { slicesPerSeries: 5, series: 2, users });
  await t.sql`update projects set gold_rate = 0 where id = ${s.projectId}`;
  await Promise.all(
    Object.values(s.users).map(async (u) => {
      let sid: string | undefined = (await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, u.token)).nextSlice?.slice.id;
      while (sid) {
        const d = await gqlOk(t.url, SUBMIT_NEXT, { s: sid, v: Math.random() < 0.5 ? 1 : 0, c: randomUUID() }, u.token);
        sid = d.submitLabel.next?.slice.id;
      }
    }),
  );
  assert.deepEqual(await mismatches(s.projectId), []);
  const rows = await t.sql`select reads_done, leases_open from slices where project_id = ${s.projectId}`;
  for (const r of rows) {
    assert.equal(r.readsDone, 2, 'every slice got exactly its two reads');
    assert.equal(r.leasesOpen, 0);
  }
});

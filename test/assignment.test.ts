import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApi, seedProject, gql, gqlOk, errorCode, NEXT_SLICE, SUBMIT } from './helpers/api.js';

const t = await startTestApi('assign');

test('[AS1][AS2] a reload resumes the open lease; each labeler gets each slice at most once', async () => {
  const s = await seedProject(t, { slicesPerSeries: 3, users: { a1: ['LABELER'], b1: ['LABELER'], c1: ['LABELER'] } });
  const first = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a1.token);
  const again = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a1.token);
  assert.equal(again.nextSlice.id, first.nextSlice.id, 'same lease on reload');
  assert.equal(first.nextSlice.slice.position, 0, 'series order: the first slice first');
  assert.equal(first.nextSlice.slice.series.slices.length, 3, 'the series is there for context');
  const b = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.b1.token);
  assert.equal(b.nextSlice.slice.id, first.nextSlice.slice.id, 'a second reader may take the same slice');
  const c = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.c1.token);
  assert.notEqual(c.nextSlice.slice.id, first.nextSlice.slice.id, 'a third reader may not: two leases fill it');
});

test('[AS4] an expired lease returns the slice to the pool', async () => {
  const s = await seedProject(t, { slicesPerSeries: 1, users: { a2: ['LABELER'], b2: ['LABELER'], c2: ['LABELER'] } });
  const a = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a2.token);
  await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.b2.token);
  const full = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.c2.token);
  assert.equal(full.nextSlice, null);
  await t.sql`update assignments set expires_at = now() - interval '1 second' where id = ${a.nextSlice.id}`;
  const c = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.c2.token);
  assert.equal(c.nextSlice.slice.id, s.sliceIds[0]);
  const [old] = await t.sql`select status from assignments where id = ${a.nextSlice.id}`;
  assert.equal(old.status, 'EXPIRED');
});

test('[LB1][LB2][LB3] submit needs a lease, is idempotent by request id, and refuses a changed label', async () => {
  const s = await seedProject(t, { slicesPerSeries: 2, users: { a3: ['LABELER'] } });
  const other = s.sliceIds[1];
  assert.equal(errorCode(await gql(t.url, SUBMIT, { s: other, v: 1 }, s.users.a3.token)), 'NO_ASSIGNMENT');
  assert.equal(errorCode(await gql(t.url, SUBMIT, { s: randomUUID(), v: 1 }, s.users.a3.token)), 'NO_ASSIGNMENT');
  const n = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a3.token);
  const sid = n.nextSlice.slice.id;
  assert.equal(errorCode(await gql(t.url, SUBMIT, { s: sid, v: 2 }, s.users.a3.token)), 'BAD_INPUT');
  const r1 = await gqlOk(t.url, SUBMIT, { s: sid, v: 1, c: 'req-1' }, s.users.a3.token);
  assert.deepEqual(r1.submitLabel, { ok: true, sliceId: sid, value: 1, duplicate: false });
  const r2 = await gqlOk(t.url, SUBMIT, { s: sid, v: 1, c: 'req-1' }, s.users.a3.token);
  assert.equal(r2.submitLabel.duplicate, true);
  const r3 = await gql(t.url, SUBMIT, { s: sid, v: 0, c: 'req-2' }, s.users.a3.token);
  assert.equal(errorCode(r3), 'ALREADY_LABELLED');
  const [{ n: reads }] = await t.sql`select count(*)::int as n from reads where slice_id = ${sid}`;
  assert.equal(reads, 1, 'nothing extra written');
});

test('[LB4][AJ1][AJ2] agreeing reads give a consensus label, disagreeing reads open one item', async () => {
  const s = await seedProject(t, { slicesPerSeries: 2, users: { a4: ['LABELER'], b4: ['LABELER'] } });
  for (const [va, vb] of [
    [1, 1],
    [0, 1],
  ]) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a4.token);
    const b = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.b4.token);
    assert.equal(a.nextSlice.slice.id, b.nextSlice.slice.id);
    await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: va }, s.users.a4.token);
    await gqlOk(t.url, SUBMIT, { s: b.nextSlice.slice.id, v: vb }, s.users.b4.token);
  }
  const finals = await t.sql`select slice_id, value, source from final_labels where project_id = ${s.projectId}`;
  assert.equal(finals.length, 1);
  assert.equal(finals[0].source, 'CONSENSUS');
  assert.equal(finals[0].value, 1);
  const items = await t.sql`select slice_id from adjudication_items where project_id = ${s.projectId}`;
  assert.equal(items.length, 1);
  assert.equal(items[0].sliceId, s.sliceIds[1]);
  const done = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a4.token);
  assert.equal(done.nextSlice, null, 'nothing left for this labeler');
});

test('[LB5] a skipped slice is not offered to that labeler again', async () => {
  const s = await seedProject(t, { slicesPerSeries: 2, users: { a5: ['LABELER'] } });
  const n = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a5.token);
  assert.equal(errorCode(await gql(t.url, 'mutation($s:ID!){skipSlice(sliceId:$s,reason:"  ")}', { s: n.nextSlice.slice.id }, s.users.a5.token)), 'BAD_INPUT');
  await gqlOk(t.url, 'mutation($s:ID!){skipSlice(sliceId:$s,reason:"motion artefact")}', { s: n.nextSlice.slice.id }, s.users.a5.token);
  const next = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.a5.token);
  assert.notEqual(next.nextSlice.slice.id, n.nextSlice.slice.id);
});

test('[AS5] concurrency: 24 labelers racing over 20 slices never over-read or double-read', async () => {
  const users: Record<string, ['LABELER']> = {};
  for (let i = 0; i < 24; i++) users[`race${i}`] = ['LABELER'];
  const s = await seedProject(t, { slicesPerSeries: 10, series: 2, users });
  const held = new Map<string, string>();
  await Promise.all(
    Object.entries(s.users).map(async ([name, u]) => {
      for (;;) {
        const n = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, u.token);
        if (!n.nextSlice) return;
        const sid = n.nextSlice.slice.id;
        const key = `${name}:${sid}`;
        assert.ok(!held.has(key), 'never the same slice twice for one labeler');
        held.set(key, sid);
        const r = await gql(t.url, SUBMIT, { s: sid, v: Math.random() < 0.5 ? 1 : 0, c: randomUUID() }, u.token);
        if (r.errors) throw new Error(r.errors[0].message);
      }
    }),
  );
  const rows = await t.sql`select s.id, s.reads_done, (select count(*)::int from reads r where r.slice_id = s.id) as n
                             from slices s where project_id = ${s.projectId}`;
  for (const r of rows) {
    assert.equal(r.n, 2, 'every slice got exactly its two reads');
    assert.equal(r.readsDone, 2);
  }
  const [{ open }] = await t.sql`select count(*)::int as open from assignments where project_id = ${s.projectId} and status = 'OPEN'`;
  assert.equal(open, 0);
  const [{ settled }] = await t.sql`
    select (select count(*) from final_labels where project_id = ${s.projectId}) +
           (select count(*) from adjudication_items where project_id = ${s.projectId}) as settled`;
  assert.equal(Number(settled), 20, 'each slice either got a consensus label or an item');
});

test('[AS6] repeats are served after the washout and never count as an independent read', async () => {
  const s = await seedProject(t, { slicesPerSeries: 20, reads: 1, users: { rep: ['LABELER'] } });
  await t.sql`update projects set repeat_rate = 0.5, repeat_washout = 2 where id = ${s.projectId}`;
  let repeats = 0;
  // ~17 draws at rate 0.5 after the washout: no repeat at all has chance 2^-17.
  for (let i = 0; i < 80; i++) {
    const n = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.rep.token);
    if (!n.nextSlice) break;
    await gqlOk(t.url, SUBMIT, { s: n.nextSlice.slice.id, v: 1 }, s.users.rep.token);
  }
  const rows = await t.sql`select is_repeat, count(*)::int as n from reads where project_id = ${s.projectId} group by is_repeat`;
  const indep = rows.find((r) => !r.isRepeat)?.n ?? 0;
  repeats = rows.find((r) => r.isRepeat)?.n ?? 0;
  assert.equal(indep, 20);
  assert.ok(repeats >= 1, 'some repeats were served');
  const [{ over }] = await t.sql`select count(*)::int as over from slices where project_id = ${s.projectId} and reads_done > reads_required`;
  assert.equal(over, 0);
});

test('[AS7] nextSlices leases ahead: the oldest lease first, real leases, at most three', async () => {
  const s = await seedProject(t, { slicesPerSeries: 6, users: { la7: ['LABELER'], lb7: ['LABELER'], lc7: ['LABELER'] } });
  const Q = `query($p:ID!,$n:Int){ nextSlices(projectId:$p, count:$n){ id slice { id position } } }`;
  const two = await gqlOk(t.url, Q, { p: s.projectId, n: 2 }, s.users.la7.token);
  assert.deepEqual(
    two.nextSlices.map((a: any) => a.slice.position),
    [0, 1],
  );
  const one = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.la7.token);
  assert.equal(one.nextSlice.id, two.nextSlices[0].id, 'nextSlice is the oldest lease');
  await gqlOk(t.url, SUBMIT, { s: two.nextSlices[0].slice.id, v: 1 }, s.users.la7.token);
  const topped = await gqlOk(t.url, Q, { p: s.projectId, n: 2 }, s.users.la7.token);
  assert.deepEqual(
    topped.nextSlices.map((a: any) => a.slice.position),
    [1, 2],
  );
  const many = await gqlOk(t.url, Q, { p: s.projectId, n: 50 }, s.users.la7.token);
  assert.equal(many.nextSlices.length, 3);
  // Leases ahead hold real places: slice 0 has la7's read, lb7 leases its last place,
  // so lc7 never gets it; slices 1–3 have la7's lease ahead plus at most one more.
  const b = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.lb7.token);
  assert.equal(b.nextSlice.slice.position, 0);
  const c = await gqlOk(t.url, Q, { p: s.projectId, n: 3 }, s.users.lc7.token);
  assert.ok(c.nextSlices.every((a: any) => a.slice.position !== 0));
  const [{ over }] = await t.sql`select count(*)::int as over from (
      select slice_id from assignments where status = 'OPEN' and project_id = ${s.projectId}
      group by slice_id having count(*) + max((select reads_done from slices where id = slice_id)) > 2) x`;
  assert.equal(over, 0);
});

test("[AS3] the current model's ranked batch comes first, by rank; then series order and position; a candidate's ranks are not used", async () => {
  const s = await seedProject(t, { series: 2, slicesPerSeries: 3, users: { la3: ['LABELER'] } });
  // sliceIds: series 1 positions 0–2, then series 2 positions 0–2.
  const [s1p0, s1p1, s1p2, s2p0, s2p1, s2p2] = s.sliceIds;
  const version = async (status: string, round: number) =>
    (
      await t.sql<{ id: string }[]>`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${s.projectId}, ${round}, ${status}, 'tiny-random', 'wasm', 'entropy', 1, ${t.sql.json({ test: [], train: [], val: [] })}, ${t.sql.json({ auc: 0.5, threshold: 0.5 })})
    returning id`
    )[0].id;
  const ranks = (mv: string, ids: string[]) =>
    t.sql`insert into uncertainty_scores ${t.sql(ids.map((id, i) => ({ modelVersionId: mv, sliceId: id, strategy: 'entropy', score: 1, rank: i + 1 })))}`;
  const current = await version('CURRENT', 1);
  await ranks(current, [s2p2, s1p1]);
  // A candidate ranks another slice first: it is not the project's current model, so it is ignored.
  await ranks(await version('CANDIDATE', 2), [s2p1]);
  await t.sql`update projects set current_model_version_id = ${current} where id = ${s.projectId}`;
  const served: string[] = [];
  for (let i = 0; i < 7; i++) {
    const n = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.la3.token);
    if (!n.nextSlice) break;
    served.push(n.nextSlice.slice.id);
    await gqlOk(t.url, SUBMIT, { s: n.nextSlice.slice.id, v: 0 }, s.users.la3.token);
  }
  assert.deepEqual(served, [s2p2, s1p1, s1p0, s1p2, s2p0, s2p1]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, seedProject, gql, gqlOk, errorCode, NEXT_SLICE, SUBMIT, connectSocket } from './helpers/api.js';

const t = await startTestApi('adjrt');
const s = await seedProject(t, {
  slicesPerSeries: 4,
  users: { la: ['LABELER'], lb: ['LABELER'], adj: ['ADJUDICATOR'], both: ['LABELER', 'ADJUDICATOR'], lead: ['LEAD'] },
});
const QUEUE = `query($p:ID!){ adjudicationQueue(projectId:$p){ id openedAt reads { reader value } slice { id imageUrl } } }`;
const ADJ = `mutation($i:ID!,$v:Int!,$r:String!,$n:String){ adjudicate(itemId:$i,value:$v,reason:$r,note:$n){ id itemId value reason note } }`;

async function disagreeOn(a: string, b: string): Promise<string> {
  const na = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users[a].token);
  const nb = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users[b].token);
  assert.equal(na.nextSlice.slice.id, nb.nextSlice.slice.id);
  await gqlOk(t.url, SUBMIT, { s: na.nextSlice.slice.id, v: 1 }, s.users[a].token);
  await gqlOk(t.url, SUBMIT, { s: nb.nextSlice.slice.id, v: 0 }, s.users[b].token);
  return na.nextSlice.slice.id;
}

test('[AJ2][AJ3] a disagreement reaches the adjudicator live, as Reader A / Reader B without names', async () => {
  const adjSock = await connectSocket(t.url, s.users.adj.token, s.projectId);
  const leadSock = await connectSocket(t.url, s.users.lead.token, s.projectId);
  await adjSock.waitFor((e) => e.type === 'adjudication:queue' && e.size === 0);
  const sliceId = await disagreeOn('la', 'lb');
  await adjSock.waitFor((e) => e.type === 'adjudication:queue' && e.size === 1);
  await leadSock.waitFor((e) => e.type === 'progress' && e.openAdjudications === 1);
  const q = await gqlOk(t.url, QUEUE, { p: s.projectId }, s.users.adj.token);
  assert.equal(q.adjudicationQueue.length, 1);
  const item = q.adjudicationQueue[0];
  assert.equal(item.slice.id, sliceId);
  assert.deepEqual(
    item.reads.map((r: { reader: string }) => r.reader),
    ['A', 'B'],
  );
  assert.deepEqual(item.reads.map((r: { value: number }) => r.value).sort(), [0, 1]);
});

test('[AJ3] the A/B order is drawn at random per item', async () => {
  const { nextSlice } = await import('../apps/api/src/assignment/assignment.service.js');
  const { submitLabel } = await import('../apps/api/src/labels/labels.service.js');
  const o = await seedProject(t, { slicesPerSeries: 16, users: { oa: ['LABELER'], ob: ['LABELER'] } });
  for (let i = 0; i < 16; i++) {
    const a = (await nextSlice(t.sql, o.projectId, o.users.oa.id))!;
    const b = (await nextSlice(t.sql, o.projectId, o.users.ob.id))!;
    await submitLabel(t.sql, { sliceId: a.sliceId, userId: o.users.oa.id, value: 1, clientRequestId: null });
    await submitLabel(t.sql, { sliceId: b.sliceId, userId: o.users.ob.id, value: 0, clientRequestId: null });
  }
  const rows = await t.sql`select ra.user_id = ${o.users.oa.id} as oa_first from adjudication_items i
                             join reads ra on ra.id = i.read_a_id where i.project_id = ${o.projectId}`;
  assert.equal(rows.length, 16);
  const first = rows.filter((r) => r.oaFirst).length;
  // Both orders appear (a fixed order fails this with certainty; chance failure is 2/65536).
  assert.ok(first > 0 && first < 16, `oa was Reader A in ${first} of 16 items`);
});

test('[AJ4][AJ6] a decision needs a project reason code, writes the final label, and happens once', async () => {
  const q = await gqlOk(t.url, QUEUE, { p: s.projectId }, s.users.adj.token);
  const itemId = q.adjudicationQueue[0].id;
  assert.equal(errorCode(await gql(t.url, ADJ, { i: itemId, v: 1, r: 'BECAUSE' }, s.users.adj.token)), 'BAD_INPUT');
  assert.equal(errorCode(await gql(t.url, ADJ, { i: itemId, v: 1, r: 'CORD_DEFORMITY' }, s.users.la.token)), 'FORBIDDEN');
  const d = await gqlOk(t.url, ADJ, { i: itemId, v: 1, r: 'CORD_DEFORMITY', n: 'clear indentation' }, s.users.adj.token);
  assert.equal(d.adjudicate.value, 1);
  assert.equal(errorCode(await gql(t.url, ADJ, { i: itemId, v: 0, r: 'CSF_EFFACEMENT_ONLY' }, s.users.adj.token)), 'ALREADY_ADJUDICATED');
  const [f] = await t.sql`select value, source from final_labels fl join adjudication_items i on i.slice_id = fl.slice_id where i.id = ${itemId}`;
  assert.deepEqual({ ...f }, { value: 1, source: 'ADJUDICATION' });
  const after = await gqlOk(t.url, QUEUE, { p: s.projectId }, s.users.adj.token);
  assert.equal(after.adjudicationQueue.length, 0);
});

test('[AJ5] an adjudicator who read the slice does not see it and may not decide it', async () => {
  await disagreeOn('both', 'lb');
  const mine = await gqlOk(t.url, QUEUE, { p: s.projectId }, s.users.both.token);
  assert.equal(mine.adjudicationQueue.length, 0);
  const other = await gqlOk(t.url, QUEUE, { p: s.projectId }, s.users.adj.token);
  assert.equal(other.adjudicationQueue.length, 1);
  const r = await gql(t.url, ADJ, { i: other.adjudicationQueue[0].id, v: 1, r: 'CORD_DEFORMITY' }, s.users.both.token);
  assert.equal(errorCode(r), 'CONFLICT_OF_INTEREST');
});

test('[RT1] a socket handshake without a valid token is refused', async () => {
  await assert.rejects(connectSocket(t.url, 'not-a-token', s.projectId));
});

test('[RT2] joining a project you are not a member of is refused', async () => {
  const other = await seedProject(t, { users: { outsider: ['LEAD'] } });
  await assert.rejects(connectSocket(t.url, s.users.lead.token, other.projectId), /join refused/);
});

test('[XP1] leads export final labels, reads and adjudications as CSV and JSON; labelers cannot', async () => {
  const csv = await fetch(`${t.url}/export/${s.projectId}/reads.csv`, { headers: { authorization: `Bearer ${s.users.lead.token}` } });
  assert.equal(csv.status, 200);
  const text = await csv.text();
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'study_uid,series_uid,sop_uid,position,reader,value,is_repeat,created_at,seconds,screen_seconds');
  assert.equal(lines.length, 1 + 4);
  assert.ok(!/\b(la|lb|both)\b/.test(text), 'readers appear as pseudonyms');
  assert.match(lines[1], /,R-[0-9a-f]{10},/);
  const json = await fetch(`${t.url}/export/${s.projectId}/final-labels.json`, { headers: { authorization: `Bearer ${s.users.lead.token}` } });
  const rows = await json.json();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].source, 'ADJUDICATION');
  const adj = await (await fetch(`${t.url}/export/${s.projectId}/adjudications.csv`, { headers: { authorization: `Bearer ${s.users.lead.token}` } })).text();
  assert.match(adj, /CORD_DEFORMITY,clear indentation/);
  for (const who of ['la', 'adj']) {
    const r = await fetch(`${t.url}/export/${s.projectId}/reads.csv`, { headers: { authorization: `Bearer ${s.users[who].token}` } });
    assert.equal(r.status, 403);
  }
  const [{ n }] = await t.sql`select count(*)::int as n from audit_log where action = 'EXPORT'`;
  assert.equal(n, 3, 'every export is audited');
});

test('[AG] agreement is for leads only', async () => {
  const Q = `query($p:ID!){ agreement(projectId:$p){ pairs percentAgreement kappa readerPairs { readerA } } }`;
  const ok = await gqlOk(t.url, Q, { p: s.projectId }, s.users.lead.token);
  assert.equal(ok.agreement.pairs, 2);
  assert.equal(errorCode(await gql(t.url, Q, { p: s.projectId }, s.users.la.token)), 'FORBIDDEN');
  assert.equal(errorCode(await gql(t.url, Q, { p: s.projectId }, s.users.adj.token)), 'FORBIDDEN');
});

/**
 * [RT5] [RT6] A label's request that names its own socket (x-concord-socket) and reads `progress` in
 * its answer is not sent the same figures again as a `queue:size` event; the labeler's other
 * sockets still are. A name that is not one of the caller's sockets, or not a socket id at all,
 * holds nothing back. Real API, real HTTP, real Socket.io clients; no waiting for an event that
 * should not come: a later label's event, which every socket gets, shows what arrived before it.
 * [RT6] A socket's first figures on joining go to it alone, not again to the user's other sockets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SOCKET_HEADER, type ServerEvent } from '@concord/contracts';
import { connectSocket, gqlOk, seedProject, startTestApi } from './helpers/api.js';
const t = await startTestApi('socketanswered');

const NEXT = 'query($p:ID!){nextSlice(projectId:$p){slice{id}}}';
const SUBMIT = 'mutation($s:ID!,$v:Int!){submitLabel(sliceId:$s,value:$v){ok progress{readsDone queueSize}}}';
const SUBMIT_NO_PROGRESS = 'mutation($s:ID!,$v:Int!){submitLabel(sliceId:$s,value:$v){ok}}';

async function submit(token: string, projectId: string, query: string, socketHeader?: string) {
  const { nextSlice } = await gqlOk(t.url, NEXT, { p: projectId }, token);
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(socketHeader !== undefined ? { [SOCKET_HEADER]: socketHeader } : {}),
    },
    body: JSON.stringify({ query, variables: { s: nextSlice.slice.id, v: 1 } }),
  });
  const body = (await res.json()) as { data?: { submitLabel: { ok: boolean } }; errors?: unknown[] };
  assert.equal(body.errors, undefined);
  assert.equal(body.data?.submitLabel.ok, true);
}

const sizes = (events: ServerEvent[]) => events.flatMap((e) => (e.type === 'queue:size' ? [e.readsDone] : []));

test('[RT5] the socket a label names, with progress in its answer, skips the queue:size event; the labeler’s other sockets get it', async () => {
  const p = await seedProject(t, { slicesPerSeries: 8, reads: 2, users: { lab: ['LABELER'] } });
  const { token } = p.users.lab;
  const tab = await connectSocket(t.url, token, p.projectId);
  const other = await connectSocket(t.url, token, p.projectId);
  // Each socket's figures on joining come first.
  await tab.waitFor((e) => e.type === 'queue:size');
  await other.waitFor((e) => e.type === 'queue:size');
  tab.events.length = 0;
  other.events.length = 0;

  await submit(token, p.projectId, SUBMIT, tab.socket.id);
  await other.waitFor((e) => e.type === 'queue:size' && e.readsDone === 1);
  // Without progress in the answer, every socket is told.
  await submit(token, p.projectId, SUBMIT_NO_PROGRESS, tab.socket.id);
  await tab.waitFor((e) => e.type === 'queue:size' && e.readsDone === 2);
  await other.waitFor((e) => e.type === 'queue:size' && e.readsDone === 2);
  assert.deepEqual(sizes(tab.events), [2], 'the naming tab heard only the label whose answer lacked progress');
  assert.deepEqual(sizes(other.events), [1, 2], 'the other socket heard both');
});

test('[RT5] another user’s socket id, or a value that is no socket id, holds nothing back', async () => {
  const p = await seedProject(t, { slicesPerSeries: 8, reads: 2, users: { ann: ['LABELER'], bob: ['LABELER'] } });
  const mine = await connectSocket(t.url, p.users.ann.token, p.projectId);
  const theirs = await connectSocket(t.url, p.users.bob.token, p.projectId);
  await mine.waitFor((e) => e.type === 'queue:size');
  await theirs.waitFor((e) => e.type === 'queue:size');
  mine.events.length = 0;

  for (const [i, header] of [theirs.socket.id!, '../x', 'x'.repeat(300), ''].entries()) {
    await submit(p.users.ann.token, p.projectId, SUBMIT, header);
    await mine.waitFor((e) => e.type === 'queue:size' && e.readsDone === i + 1);
  }
  assert.deepEqual(sizes(mine.events), [1, 2, 3, 4]);
  assert.equal(sizes(theirs.events).length, 1, 'bob heard only his own figures on joining');
});

test('[RT6] a socket that joins gets its first figures itself; the same user’s sockets already open are not sent them again', async () => {
  const p = await seedProject(t, { slicesPerSeries: 8, reads: 2, users: { cal: ['LABELER'] } });
  const { token } = p.users.cal;
  const first = await connectSocket(t.url, token, p.projectId);
  await first.waitFor((e) => e.type === 'queue:size');
  const second = await connectSocket(t.url, token, p.projectId);
  await second.waitFor((e) => e.type === 'queue:size' && e.readsDone === 0);
  // A label every socket hears: whatever the second join sent the first socket arrived before it.
  await submit(token, p.projectId, SUBMIT_NO_PROGRESS);
  await first.waitFor((e) => e.type === 'queue:size' && e.readsDone === 1);
  assert.deepEqual(sizes(first.events), [0, 1], 'the first socket: its own figures on joining, then the label, and no copy of the second’s');
  assert.deepEqual(sizes(second.events).slice(0, 1), [0]);
});

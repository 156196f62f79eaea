import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { freshDatabase } from './helpers/db.js';
import { startApiServer, type RunningApi } from '../apps/api/src/server/start.js';
import { createUser } from '../apps/api/src/users/users.queries.js';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { gql, errorCode, login, NEXT_SLICE } from './helpers/api.js';
import { eventually } from './helpers/eventually.js';

// Two API nodes on one database, each with its own session cache; a short TTL so the bound
// on changes that send no notification can be seen.
const TTL_SECONDS = 1;
const { url: dbUrl, sql, onBeforeDrop } = await freshDatabase('sesscache');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-sess-'));
const start = () =>
  startApiServer({ databaseUrl: dbUrl, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', config: { sessionCacheSeconds: TTL_SECONDS } });
const nodes: RunningApi[] = [await start(), await start()];
onBeforeDrop(async () => {
  for (const n of nodes) await n.close();
});
const [a, b] = nodes;

const project = await createProject(sql, { name: 'sessions' });
for (const u of ['s1', 's2', 's3', 's4', 's5']) await createUser(sql, { username: u, password: 'password123', roles: ['LABELER'], projectIds: [project.id] });
await createUser(sql, { username: 'sadmin', password: 'password123', roles: ['ADMIN'] });
const ME = '{ me { id roles } }';

/** Polls until `check` passes, at most `ms`; returns how long that took. */
async function within(ms: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const t0 = Date.now();
  await eventually(check, { timeoutMs: ms, intervalMs: 20, what });
  return Date.now() - t0;
}

async function handshake(url: string, token: string): Promise<'ok' | 'refused'> {
  const s = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    return await new Promise((resolve) => {
      s.once('connect', () => resolve('ok'));
      s.once('connect_error', () => resolve('refused'));
    });
  } finally {
    s.disconnect();
  }
}

test('a logged-out token is refused at once on the same node, on every path', async () => {
  const token = await login(a.url, 's1');
  // Warm the cache on every path that authenticates.
  for (let i = 0; i < 3; i++) assert.equal((await gql(a.url, ME, {}, token)).data?.me.roles[0], 'LABELER');
  assert.equal(await handshake(a.url, token), 'ok');
  await gql(a.url, 'mutation{logout}', {}, token);
  assert.equal(errorCode(await gql(a.url, ME, {}, token)), 'UNAUTHENTICATED');
  assert.equal(errorCode(await gql(a.url, NEXT_SLICE, { p: project.id }, token)), 'UNAUTHENTICATED');
  assert.equal(await handshake(a.url, token), 'refused');
  const img = await fetch(`${a.url}/images/00000000-0000-0000-0000-000000000000`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(img.status, 401);
});

test("a logout on one node reaches the other node's cache through NOTIFY, well inside the TTL", async () => {
  const token = await login(a.url, 's2');
  for (const n of nodes) assert.ok((await gql(n.url, ME, {}, token)).data?.me, 'cached on both nodes');
  await gql(a.url, 'mutation{logout}', {}, token);
  const took = await within(
    TTL_SECONDS * 1000,
    async () => errorCode(await gql(b.url, ME, {}, token)) === 'UNAUTHENTICATED',
    'the other node to refuse the ended session',
  );
  assert.ok(took < 500, `refused on node B after ${took} ms`);
});

test('a role change takes effect at once on the node that made it and promptly on the other', async () => {
  const adminToken = await login(a.url, 'sadmin');
  const token = await login(a.url, 's3');
  for (const n of nodes) assert.ok((await gql(n.url, NEXT_SLICE, { p: project.id }, token)).data, 'labeler may lease on both nodes');
  const [u] = await sql`select id from users where username = 's3'`;
  const r = await gql(a.url, 'mutation($u:ID!){setUserRoles(userId:$u,roles:[ADJUDICATOR]){roles}}', { u: u.id }, adminToken);
  assert.deepEqual(r.data?.setUserRoles.roles, ['ADJUDICATOR']);
  assert.equal(errorCode(await gql(a.url, NEXT_SLICE, { p: project.id }, token)), 'FORBIDDEN');
  const took = await within(
    TTL_SECONDS * 1000,
    async () => errorCode(await gql(b.url, NEXT_SLICE, { p: project.id }, token)) === 'FORBIDDEN',
    'the other node to apply the role change',
  );
  assert.ok(took < 500, `demoted on node B after ${took} ms`);
});

test('a change that sends no notification (a row edited by hand) is bounded by the TTL', async () => {
  const token = await login(a.url, 's4');
  for (const n of nodes) assert.ok((await gql(n.url, ME, {}, token)).data?.me);
  await sql`update users set disabled = true where username = 's4'`;
  for (const n of nodes) {
    await within(
      TTL_SECONDS * 1000 + 500,
      async () => errorCode(await gql(n.url, ME, {}, token)) === 'UNAUTHENTICATED',
      `${n.url} to refuse the disabled user`,
    );
  }
});

test('a cached session ends when the session does, even inside the TTL', async () => {
  assert.equal(errorCode(await gql(a.url, ME, {}, 'not-a-token')), 'UNAUTHENTICATED');
  const token = await login(a.url, 's5');
  await sql`update sessions s set expires_at = now() + interval '400 milliseconds' from users u where u.id = s.user_id and u.username = 's5'`;
  assert.ok((await gql(a.url, ME, {}, token)).data?.me);
  // Waits out the 400 ms expiry set above: the expiry is the thing under test [TW1].
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(errorCode(await gql(a.url, ME, {}, token)), 'UNAUTHENTICATED');
});

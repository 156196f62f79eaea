/**
 * [SS1][SS2][SS3] Sockets end with their session, on every node: a socket opened on node B is
 * disconnected when its session logs out on node A, or when an admin on node B removes the
 * user's roles while the socket is on node A; a session revoked without any notification
 * cannot join. Two real API processes over one database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { freshDatabase } from './helpers/db.js';
import { spawnApi } from './helpers/api-process.js';
import { gqlOk, login } from './helpers/api.js';
import { within } from './helpers/eventually.js';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { createUser } from '../apps/api/src/users/users.queries.js';
import { hashToken } from '../apps/api/src/auth/sessions.queries.js';

const { url: dbUrl, sql } = await freshDatabase('sockrevoke');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-sockrevoke-'));
const [nodeA, nodeB] = await Promise.all([spawnApi(dbUrl, dataDir), spawnApi(dbUrl, dataDir)]);
const project = await createProject(sql, { name: 'revoke' });
const users: Record<string, string> = {};
for (const [name, roles] of [
  ['rl', ['LABELER']],
  ['rlead', ['LEAD']],
  ['rlab2', ['LABELER']],
  ['radmin', ['ADMIN']],
] as const) {
  users[name] = (await createUser(sql, { username: name, password: 'password123', roles: [...roles], projectIds: [project.id] })).id;
}

async function joined(url: string, token: string): Promise<{ socket: Socket; ended: Promise<string> }> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  const ended = new Promise<string>((r) => socket.once('disconnect', (reason) => r(reason)));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(5000).emitWithAck('join', { projectId: project.id });
  assert.deepEqual(ack, { ok: true });
  return { socket, ended };
}

async function handshakeRefused(url: string, token: string): Promise<boolean> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    return await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(false));
      socket.once('connect_error', () => resolve(true));
    });
  } finally {
    socket.disconnect();
  }
}

test("[SS1] logout on node A disconnects the session's socket on node B; the token opens no new one", async () => {
  const token = await login(nodeA.url, 'rl');
  const { socket, ended } = await joined(nodeB.url, token);
  // Another session of someone else on the same node stays.
  const bystander = await joined(nodeB.url, await login(nodeB.url, 'rlab2'));
  await gqlOk(nodeA.url, 'mutation{ logout }', {}, token);
  assert.equal(await within(ended, 5000, 'socket on node B'), 'io server disconnect');
  assert.equal(socket.connected, false);
  assert.equal(await handshakeRefused(nodeB.url, token), true);
  assert.equal(await handshakeRefused(nodeA.url, token), true);
  assert.equal(bystander.socket.connected, true, 'only that session ended');
  assert.deepEqual(await bystander.socket.timeout(5000).emitWithAck('join', { projectId: project.id }), { ok: true });
  bystander.socket.disconnect();
});

test("[SS2] removing a lead's roles on node B disconnects their socket on node A; rejoining is refused", async () => {
  const leadToken = await login(nodeA.url, 'rlead');
  const { ended } = await joined(nodeA.url, leadToken);
  const adminToken = await login(nodeB.url, 'radmin');
  await gqlOk(nodeB.url, 'mutation($u:ID!){ setUserRoles(userId:$u, roles: []){ id } }', { u: users.rlead }, adminToken);
  assert.equal(await within(ended, 5000, 'lead socket on node A'), 'io server disconnect');
  // The session itself lives on, but with no role it joins nothing and hears no lead event.
  const again = io(nodeA.url, { auth: { token: leadToken }, transports: ['websocket'], forceNew: true, reconnection: false });
  const heard: unknown[] = [];
  again.on('event', (e) => heard.push(e));
  await new Promise<void>((resolve, reject) => {
    again.once('connect', () => resolve());
    again.once('connect_error', reject);
  });
  const ack = await again.timeout(5000).emitWithAck('join', { projectId: project.id });
  assert.equal(ack.ok, false);
  assert.equal(ack.error.code, 'FORBIDDEN');
  assert.deepEqual(heard, []);
  again.disconnect();
});

test("[SS3] join re-reads the session: a session revoked behind the API's back (no NOTIFY) joins nothing", async () => {
  const token = await login(nodeB.url, 'rlab2');
  const { socket, ended } = await joined(nodeB.url, token);
  // A hand edit sends no notification; the node's cache still holds the session.
  await sql`update sessions set revoked_at = now() where token_hash = ${hashToken(token)}`;
  const ack = await socket.timeout(5000).emitWithAck('join', { projectId: project.id });
  assert.equal(ack.ok, false);
  assert.equal(ack.error.code, 'UNAUTHENTICATED');
  assert.equal(await within(ended, 5000, 'revoked socket'), 'io server disconnect');
  for (const node of [nodeA, nodeB]) assert.equal((await fetch(`${node.url}/health`)).status, 200);
});

/**
 * [RT3] One format between processes: a versioned envelope around a ServerEvent. Messages that
 * are not envelopes of this version, or name an event type outside the union, are refused by
 * reason and never reach a socket.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { decodeEnvelope, encodeEnvelope, REALTIME_PROTOCOL_VERSION } from '@concord/contracts';
import { freshDatabase } from './helpers/db.js';
import { spawnApi } from './helpers/api-process.js';
import { login } from './helpers/api.js';
import { within } from './helpers/eventually.js';
import { EVENTS_CHANNEL, type ServerEvent } from '@concord/contracts';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { createUser } from '../apps/api/src/users/users.queries.js';

const progress = (projectId: string, jobId: string): ServerEvent => ({ type: 'training:progress', projectId, jobId, stage: 'training', done: 1, total: 2 });

test('[RT3] envelopes round-trip; every other message is refused with its reason', () => {
  const e = progress('p1', 'j1');
  assert.deepEqual(decodeEnvelope(encodeEnvelope(e)), { ok: true, envelope: { v: REALTIME_PROTOCOL_VERSION, event: e } });
  assert.deepEqual(decodeEnvelope(encodeEnvelope(e, 'u1')), { ok: true, envelope: { v: REALTIME_PROTOCOL_VERSION, event: e, userId: 'u1' } });
  const refusal = (payload: string) => {
    const d = decodeEnvelope(payload);
    return d.ok ? 'delivered' : d.refusal;
  };
  assert.equal(refusal('{not json'), 'not-json');
  assert.equal(refusal('null'), 'not-an-envelope');
  assert.equal(refusal(JSON.stringify(e)), 'not-an-envelope', 'a bare event (the old trainer format) is not an envelope');
  assert.equal(refusal(JSON.stringify({ v: REALTIME_PROTOCOL_VERSION + 1, event: e })), 'other-version');
  assert.equal(refusal(JSON.stringify({ v: REALTIME_PROTOCOL_VERSION, event: { ...e, type: 'toString' } })), 'unknown-event');
  assert.equal(refusal(JSON.stringify({ v: REALTIME_PROTOCOL_VERSION, event: { type: 'progress' } })), 'unknown-event', 'no project, no audience');
  assert.equal(refusal(JSON.stringify({ v: REALTIME_PROTOCOL_VERSION, event: e, userId: 7 })), 'not-an-envelope');
});

test("[RT3] over NOTIFY, only envelopes of this version reach the sockets of the event's audience", async () => {
  const { url: dbUrl, sql } = await freshDatabase('rtproto');
  const api = await spawnApi(dbUrl, fs.mkdtempSync(path.join(os.tmpdir(), 'concord-rtproto-')));
  try {
    const project = await createProject(sql, { name: 'protocol' });
    await createUser(sql, { username: 'plead', password: 'password123', roles: ['LEAD'], projectIds: [project.id] });
    const socket = io(api.url, { auth: { token: await login(api.url, 'plead') }, transports: ['websocket'], forceNew: true, reconnection: false });
    const heard: string[] = [];
    const okArrived = new Promise<void>((resolve) =>
      socket.on('event', (e: ServerEvent) => {
        if (e.type !== 'training:progress') return;
        heard.push(e.jobId);
        if (e.jobId === 'enveloped') resolve();
      }),
    );
    await within(new Promise((r) => socket.once('connect', () => r(null))), 10_000, 'the socket to connect');
    assert.deepEqual(await socket.timeout(5000).emitWithAck('join', { projectId: project.id }), { ok: true });
    // Committed one after another: NOTIFY delivers them in this order, and the node emits in order.
    await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(progress(project.id, 'bare'))})`;
    await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ v: REALTIME_PROTOCOL_VERSION + 1, event: progress(project.id, 'future') })})`;
    await sql`select pg_notify(${EVENTS_CHANNEL}, ${encodeEnvelope(progress(project.id, 'enveloped'))})`;
    await within(okArrived, 10_000, 'the enveloped event on the lead socket');
    assert.deepEqual(heard, ['enveloped'], 'the bare and the other-version messages were refused');
    socket.close();
  } finally {
    await api.kill();
  }
});

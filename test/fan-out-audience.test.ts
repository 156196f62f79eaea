/**
 * [RT4] The fan-out does not query figures nobody would hear: on a node alone in its cluster, a
 * `progress` or `adjudication:queue` broadcast with no socket of the event's audience in the
 * project sends no statement; once one has joined, the figures are read and delivered. Built from
 * the real transport (SocketServer on its own HTTP server, a real Socket.io client) and the real
 * database; "alone" is trusted at once here (peersKnownAfterMs: 0) instead of after 10 s.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSql } from '@concord/db';
import { SessionCache } from '../apps/api/src/auth/session-cache.js';
import { SocketServer } from '../apps/api/src/realtime/socket-server.js';
import { ProjectFanOut } from '../apps/api/src/realtime/fan-out.js';
import { connectSocket, seedProject, startTestApi } from './helpers/api.js';

const t = await startTestApi('fanoutaud');
const statements: string[] = [];
const traced = createSql(t.dbUrl, { max: 2, appName: 'concord-test-fanout', debug: (q) => statements.push(q) });
const sessions = new SessionCache(traced, 0);
const server = http.createServer();
const sockets = new SocketServer(traced, sessions, server, {
  corsOrigins: [],
  log: (e) => {
    throw e;
  },
  onJoined: () => {},
  onLeft: () => {},
  peersKnownAfterMs: 0,
});
const fanOut = new ProjectFanOut(traced, sockets, (e) => {
  throw e;
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(async () => {
  fanOut.close();
  await sockets.close();
  await traced.end();
});

test('[RT4] no progress or adjudication-queue query while no socket of their audience is connected; read and sent once one is', async () => {
  const p = await seedProject(t, { slicesPerSeries: 4, reads: 2, users: { lab: ['LABELER'], lead: ['LEAD'], adj: ['ADJUDICATOR'] } });
  // A labeler is in neither audience: its socket changes nothing.
  const labeler = await connectSocket(url, p.users.lab.token, p.projectId);
  statements.length = 0;
  // Each call resolves once its coalesced run has run (or been skipped).
  await Promise.all([fanOut.broadcastProgress(p.projectId), fanOut.broadcastAdjudicationQueue(p.projectId)]);
  assert.deepEqual(statements, [], 'no statement for figures nobody hears');

  const lead = await connectSocket(url, p.users.lead.token, p.projectId);
  statements.length = 0;
  await fanOut.broadcastProgress(p.projectId);
  assert.equal(statements.length, 1, `one read of the project's figures: ${statements.join(' | ')}`);
  const progress = await lead.waitFor((e) => e.type === 'progress');
  assert.equal(progress.type === 'progress' && progress.slices, 4);

  const adjudicator = await connectSocket(url, p.users.adj.token, p.projectId);
  statements.length = 0;
  await fanOut.broadcastAdjudicationQueue(p.projectId);
  assert.equal(statements.length, 1, `one count of the open items: ${statements.join(' | ')}`);
  await adjudicator.waitFor((e) => e.type === 'adjudication:queue');
  assert.ok(!labeler.events.some((e) => e.type === 'progress' || e.type === 'adjudication:queue'), 'the labeler heard neither');
});

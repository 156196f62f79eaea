/**
 * The API's close() (what SIGTERM runs) always ends [PS4]: a request that never completes and a
 * Socket.io adapter connection that arrives while the server closes cannot hold it open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { eventually, within } from './helpers/eventually.js';
import { pgHoldProxy } from './helpers/pg-hold-proxy.js';
import { startApiServer } from '../apps/api/src/server/start.js';

const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'concord-close-'));

/** Resolves once `port` refuses new connections: the HTTP server has stopped listening. */
function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('[PS4] a request still in flight after the grace period has its connection cut, and close() ends', async () => {
  const { url: dbUrl } = await freshDatabase('closeslow');
  const api = await startApiServer({ databaseUrl: dbUrl, dataDir: dataDir(), port: 0, host: '127.0.0.1', logLevel: 'silent', closeGraceMs: 300 });
  // Headers sent, body promised and never sent: the request is in flight until the server gives up on it.
  const slow = net.connect(api.port, '127.0.0.1');
  let answer = '';
  slow.on('data', (d) => {
    answer += d.toString();
  });
  const closed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
  slow.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n{');
  await eventually(() => answer.includes('100 Continue'), { what: 'the server to take the request (100 Continue)' });
  const started = Date.now();
  // Without the cut this waits for Node's request timeout (300 s).
  await within(api.close(), 15_000, 'close() with a request in flight');
  await within(closed, 5_000, "the slow client's connection to be closed");
  assert.ok(Date.now() - started >= 250, 'requests in flight get their grace period');
});

test('[PS4] the Socket.io adapter connection that completes while the server closes is released, and close() ends', async () => {
  const { url: dbUrl, sql } = await freshDatabase('closeadapter');
  const proxy = await pgHoldProxy(dbUrl, 'concord-socketio');
  try {
    const api = await startApiServer({ databaseUrl: proxy.url, dataDir: dataDir(), port: 0, host: '127.0.0.1', logLevel: 'silent' });
    await eventually(() => proxy.held() > 0, { what: "the adapter's LISTEN connection to reach the proxy" });
    const closing = api.close();
    // The adapter has closed by the time the HTTP server stops listening (socket.io closes it
    // first); only then does its connection get through.
    await eventually(() => refuses(api.port), { what: 'the API to stop listening' });
    proxy.release();
    await within(closing, 15_000, 'close() with the adapter connecting');
    await eventually(
      async () => {
        const rows = await sql`select 1 from pg_stat_activity where datname = current_database() and application_name = 'concord-socketio'`;
        return rows.length === 0;
      },
      { what: 'no adapter connection left in pg_stat_activity' },
    );
  } finally {
    await proxy.close();
  }
});

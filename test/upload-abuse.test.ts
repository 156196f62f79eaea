/**
 * [UP3]–[UP6] Malformed and abusive multipart uploads from the attacker's side: a body that
 * never closes, a client that aborts mid-body, uploads past the per-request and per-file caps,
 * broken boundaries and part headers, hostile file names. Each gets a clear 400 (or nothing, when
 * the client is gone), leaves no partial file behind, and the API stays up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { freshDatabase } from './helpers/db.js';
import { addUsers } from './helpers/api.js';
import { eventually } from './helpers/eventually.js';
import { patientFiles } from './helpers/dicom-fixtures.js';
import { startApiServer } from '../apps/api/src/server/start.js';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { ConfigError, loadConfig } from '../apps/api/src/config/config.js';

const MAX = 256 * 1024;
const MAX_FILE = 128 * 1024;
const { url: dbUrl, sql, onBeforeDrop } = await freshDatabase('upabuse');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-upabuse-'));
const api = await startApiServer({
  databaseUrl: dbUrl,
  dataDir,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  config: { uploadMaxBytes: MAX, uploadMaxFileBytes: MAX_FILE },
});
onBeforeDrop(() => api.close());
const project = await createProject(sql, { name: 'uploads' });
const { boss } = await addUsers({ api, sql, url: api.url, dbUrl, dataDir }, project.id, { boss: ['ADMIN'] });
const uploads = path.join(dataDir, 'tmp', 'uploads');
const target = `/upload?projectId=${project.id}`;

/** Sends raw bytes as an HTTP request and reads whatever comes back until the server closes. */
function rawRequest(head: string, body: Buffer | string, opts: { abortAfter?: boolean } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(api.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', () => {
      /* the server may reset a refused body; what it sent is kept */
    });
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    sock.once('connect', () => {
      sock.write(head);
      sock.write(typeof body === 'string' ? Buffer.from(body, 'latin1') : body, () => {
        if (opts.abortAfter) setTimeout(() => sock.destroy(), 50);
      });
    });
    setTimeout(() => {
      sock.destroy();
      reject(new Error('no answer in 15 s'));
    }, 15_000).unref();
  });
}

function head(contentType: string, length: number | 'chunked', extra = ''): string {
  const len = length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`;
  return `POST ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${boss.token}\r\nContent-Type: ${contentType}\r\n${len}\r\nConnection: close\r\n${extra}\r\n`;
}

function part(name: string, bytes: Buffer | string, boundary = 'zzz'): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${bytes}\r\n`;
}

async function stillUpAndClean(): Promise<void> {
  assert.equal((await fetch(`${api.url}/health`)).status, 200);
  // The request's folder goes once its request is over: wait for it rather than sleep.
  await eventually(
    () => {
      const left = fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
      assert.deepEqual(left, [], `partial upload left behind: ${left.join(', ')}`);
      return true;
    },
    { timeoutMs: 5000, intervalMs: 25, what: 'every partial upload to be removed' },
  );
}

function assertBadInput(r: { status: number; body: string }, pattern: RegExp, what: string): void {
  assert.equal(r.status, 400, `${what}: ${r.body.slice(0, 200)}`);
  const body = JSON.parse(r.body);
  assert.equal(body.code, 'BAD_INPUT', what);
  assert.match(body.message, pattern, what);
}

test('[UP3] a multipart body without its closing boundary gets 400, and the API stays up', async () => {
  const body = '--zzz\r\nContent-Disposition: form-data; name="f"; filename="a.dcm"\r\n\r\nabc';
  assertBadInput(await rawRequest(head('multipart/form-data; boundary=zzz', Buffer.byteLength(body)), body), /closing boundary|well-formed/, 'unterminated');
  const body2 = '--zzz\r\nContent-Disposition: form-data; name="f"; filename="a.dcm"\r\n\r\n' + 'x'.repeat(50_000);
  assertBadInput(
    await rawRequest(head('multipart/form-data; boundary=zzz', 'chunked'), `${body2.length.toString(16)}\r\n${body2}\r\n0\r\n\r\n`),
    /closing boundary|well-formed/,
    'unterminated, chunked',
  );
  await stillUpAndClean();
});

test('[UP4] a client that aborts mid-body leaves nothing behind and does not hang the server', async () => {
  for (const chunked of [false, true]) {
    const start = part('a.dcm', 'y'.repeat(40_000));
    const payload = chunked ? `${start.length.toString(16)}\r\n${start}\r\n` : start;
    const r = await rawRequest(head('multipart/form-data; boundary=zzz', chunked ? 'chunked' : 100_000), payload, { abortAfter: true });
    assert.equal(r.status, 0, 'nobody to answer');
    await stillUpAndClean();
  }
});

test('[UP5] uploads past the per-request or per-file cap get 400 naming the cap', async () => {
  const three = ['a', 'b', 'c'].map((n) => part(`${n}.dcm`, 'z'.repeat(100 * 1024))).join('') + '--zzz--\r\n';
  assertBadInput(await rawRequest(head('multipart/form-data; boundary=zzz', three.length), three), /per request.*CONCORD_UPLOAD_MAX_MIB/, 'request cap');
  await stillUpAndClean();
  const big = part('big.dcm', 'z'.repeat(MAX_FILE + 1)) + '--zzz--\r\n';
  assertBadInput(await rawRequest(head('multipart/form-data; boundary=zzz', big.length), big), /per file.*CONCORD_UPLOAD_MAX_FILE_MIB/, 'file cap');
  await stillUpAndClean();
  // Far past the cap, streamed: refused while it arrives, not after buffering it.
  const res = await fetch(`${api.url}${target}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${boss.token}`, 'content-type': 'multipart/form-data; boundary=zzz' },
    body: new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(part('huge.dcm', '').slice(0, -2)));
      },
      pull(c) {
        c.enqueue(new Uint8Array(64 * 1024));
      },
    }),
    duplex: 'half',
  } as RequestInit).catch((e: Error) => e);
  if (!(res instanceof Error)) {
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, 'BAD_INPUT');
  }
  await stillUpAndClean();
});

test('[UP6] broken boundaries, garbage part headers and hostile file names', async () => {
  const ok = '--zzz--\r\n';
  const cases: [string, string, RegExp][] = [
    ['multipart/form-data', ok, /boundary/],
    ['multipart/form-data; boundary=', ok, /boundary/],
    ['multipart/form-data; boundary="unterminated', ok, /boundary|No files|well-formed/],
    ['multipart/form-data; boundary=zzz', '--zzz\r\n\u0000\u00ff garbage without a colon\r\n\r\nabc\r\n--zzz--\r\n', /No files|well-formed/],
    ['multipart/form-data; boundary=zzz', '--zzz\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--zzz--\r\n', /No files/],
    ['multipart/form-data; boundary=zzz', `--zzz\r\n${'X-Junk: y\r\n'.repeat(5000)}\r\nabc\r\n--zzz--\r\n`, /No files|well-formed|parts|fields/],
    ['multipart/form-data; boundary=zzz', 'not multipart at all', /No files|well-formed/],
  ];
  for (const [ct, body, pattern] of cases) {
    assertBadInput(
      await rawRequest(head(ct, Buffer.byteLength(body, 'latin1')), Buffer.from(body, 'latin1')),
      pattern,
      `${ct} / ${JSON.stringify(body.slice(0, 40))}`,
    );
    await stillUpAndClean();
  }
  // Path traversal in names stays inside the upload's folder; the files are ingested (and refused as not DICOM).
  const names = ['../../escape.dcm', '..', '.', '/etc/passwd', 'C:\\Windows\\x.dcm', 'a%00b.dcm', 'a.dcm', 'a.dcm'];
  const body = names.map((n) => part(n, 'not dicom')).join('') + '--zzz--\r\n';
  const r = await rawRequest(head('multipart/form-data; boundary=zzz', Buffer.byteLength(body, 'latin1')), Buffer.from(body, 'latin1'));
  assert.equal(r.status, 200, r.body.slice(0, 300));
  assert.equal(JSON.parse(r.body).total, names.length, 'every part became its own file');
  assert.ok(!fs.existsSync(path.join(dataDir, 'tmp', 'escape.dcm')) && !fs.existsSync(path.join(dataDir, 'escape.dcm')));
  await stillUpAndClean();
  // And a real upload still works after all that.
  const form = new FormData();
  for (const f of patientFiles('ABUSEPAT', 2)) form.append('files', new Blob([Buffer.from(f.bytes)]), f.name);
  const good = await fetch(`${api.url}${target}`, { method: 'POST', headers: { authorization: `Bearer ${boss.token}` }, body: form });
  assert.equal(good.status, 200);
  assert.equal((await good.json()).accepted, 2);
  await stillUpAndClean();
});

test("[UP4] a large upload streams to disk: the API's memory grows by far less than the body", async () => {
  const big = await startApiServer({ databaseUrl: dbUrl, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' });
  onBeforeDrop(() => big.close());
  const BODY = 128 * 1024 * 1024;
  const CHUNK = new Uint8Array(256 * 1024).fill(7);
  let sent = 0;
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const enc = new TextEncoder();
  // Named .zip so ingest opens it from disk (and finds it corrupt) instead of reading it whole.
  const res = await fetch(`${big.url}${target}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${boss.token}`, 'content-type': 'multipart/form-data; boundary=zzz' },
    body: new ReadableStream({
      start(c) {
        c.enqueue(enc.encode(part('study.zip', '').slice(0, -2)));
      },
      pull(c) {
        if (sent >= BODY) {
          c.enqueue(enc.encode('\r\n--zzz--\r\n'));
          c.close();
          return;
        }
        c.enqueue(CHUNK);
        sent += CHUNK.length;
      },
    }),
    duplex: 'half',
  } as RequestInit);
  clearInterval(sampler);
  assert.equal(res.status, 200, await res.clone().text());
  const summary = await res.json();
  assert.equal(summary.total, 1);
  const grewMiB = (peak - before) / 2 ** 20;
  console.log(`# rss grew ${grewMiB.toFixed(1)} MiB while a ${BODY / 2 ** 20} MiB upload streamed through`);
  assert.ok(grewMiB < BODY / 2 ** 20 / 2, `memory grew ${grewMiB.toFixed(1)} MiB for a ${BODY / 2 ** 20} MiB body`);
  await stillUpAndClean();
});

test('[UP5] the caps are configured in MiB and a bad value stops the start with its name', () => {
  const c = loadConfig({ CONCORD_UPLOAD_MAX_MIB: '3', CONCORD_UPLOAD_MAX_FILE_MIB: '2' });
  assert.equal(c.uploadMaxBytes, 3 * 1024 * 1024);
  assert.equal(c.uploadMaxFileBytes, 2 * 1024 * 1024);
  assert.equal(loadConfig({}).uploadMaxBytes, 2 * 1024 ** 3, 'default 2 GiB per request');
  for (const [name, value] of [
    ['CONCORD_UPLOAD_MAX_MIB', '0'],
    ['CONCORD_UPLOAD_MAX_MIB', 'lots'],
    ['CONCORD_UPLOAD_MAX_FILE_MIB', '-1'],
  ]) {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (e: Error) => e instanceof ConfigError && e.message.includes(name),
      `${name}=${value}`,
    );
  }
});

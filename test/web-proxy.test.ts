/**
 * The web app as a proxy, from the attacker's side: what reaches the API through it as the
 * client's address (apps/api/src/auth/SPEC.md LL2) and whether its forwarded REST requests
 * carry what the cross-site check needs (apps/api/src/server/SPEC.md XS4). The real built app
 * (server.mjs + proxy.ts) in front of a real API, as `npm run demo` runs them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestApi, seedProject } from './helpers/api.js';
import { freePort, startWebServer } from './helpers/web-server.js';
import { patientFiles } from './helpers/dicom-fixtures.js';

const webPort = await freePort();
const WEB = `http://127.0.0.1:${webPort}`;
// As in the demo: the API trusts loopback, where its web app runs.
const t = await startTestApi('webproxy', { webOrigins: [WEB], config: { trustProxy: ['loopback'] } });
const s = await seedProject(t, { slicesPerSeries: 0, users: { boss: ['ADMIN'], lab: ['LABELER'] } });
const web = await startWebServer({ apiUrl: t.url, port: webPort });

/** A request to the web app from the local address `from` (any 127.x is this machine's loopback). */
function requestFrom(
  from: string,
  pathName: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: webPort, path: pathName, method: init.method, headers: init.headers, localAddress: from }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

test('[LL2] a spoofed X-Forwarded-For sent through the web app is replaced by the real peer', async () => {
  for (const spoofed of ['203.0.113.5', '203.0.113.6, 198.51.100.1', '127.0.0.9']) {
    const username = `spoof-${Math.random().toString(36).slice(2, 8)}`;
    const r = await requestFrom('127.0.0.2', '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': spoofed, 'x-real-ip': '203.0.113.7', forwarded: 'for=203.0.113.8' },
      body: JSON.stringify({ query: `mutation{login(username:"${username}",password:"wrong-wrong"){token}}` }),
    });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).errors[0].extensions.code, 'UNAUTHENTICATED');
    const [row] = await t.sql<{ ip: string }[]>`select ip from login_attempts where username = ${username}`;
    assert.equal(row.ip, '127.0.0.2', `sent ${spoofed}`);
  }
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
  assert.equal((await fetch(`${web.url}/login`)).status, 200);
});

test('[XS3] a client cannot claim HTTPS through the web app: its X-Forwarded-Proto is replaced by the real scheme', async () => {
  const res = await fetch(`${WEB}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
    body: JSON.stringify({ query: 'mutation{login(username:"lab",password:"password123"){token}}' }),
  });
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^concord_session=/);
  assert.doesNotMatch(cookie, /;\s*Secure/i, 'plain HTTP: no Secure flag, whatever the client claimed');
});

test("[XS4] the web app's upload passes the API's cross-site check; a foreign page's upload through it does not", async () => {
  const login = await fetch(`${WEB}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation{login(username:"boss",password:"password123"){token}}' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  assert.match(cookie, /^concord_session=/);
  const form = () => {
    const f = new FormData();
    for (const x of patientFiles('WEBPROXY', 1)) f.append('files', new Blob([Buffer.from(x.bytes)]), x.name);
    return f;
  };
  const upload = `${WEB}/upload?projectId=${s.projectId}`;
  // What the admin page sends (same-origin fetch: the browser adds Origin on POST; the page adds the header).
  const own = await fetch(upload, { method: 'POST', headers: { cookie, origin: WEB, 'x-concord-request': '1' }, body: form() });
  assert.ok(own.ok, `own upload: ${own.status}`);
  const evil = await fetch(upload, { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, body: form() });
  assert.equal(evil.status, 403);
  assert.equal((await evil.json()).code, 'FORBIDDEN');
  const [{ n }] = await t.sql<{ n: number }[]>`select count(*)::int as n from ingest_batches where project_id = ${s.projectId}`;
  assert.equal(n, 1);
  // The lead page's export link is a same-origin navigation.
  const exp = await fetch(`${WEB}/export/${s.projectId}/reads.csv`, { headers: { cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' } });
  assert.equal(exp.status, 200);
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
});

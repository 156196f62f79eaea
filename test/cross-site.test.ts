/**
 * Cross-site requests from the attacker's side (apps/api/src/server/SPEC.md, XS*): a page on
 * another site drives the logged-in admin's browser at the REST routes and opens sockets with
 * their cookie. Every test ends by checking the API still answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { startTestApi, seedProject, login } from './helpers/api.js';
import { patientFiles } from './helpers/dicom-fixtures.js';

const WEB = 'http://web.concord.test';
const EVIL = 'http://evil.example';
const t = await startTestApi('crosssite', { webOrigins: [WEB], config: { trustProxy: ['loopback'] } });
const s = await seedProject(t, { slicesPerSeries: 1, users: { boss: ['ADMIN', 'LEAD'], lab: ['LABELER'] } });
const cookie = (token: string) => `concord_session=${encodeURIComponent(token)}`;

async function assertUp() {
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
}

function dicomForm(): FormData {
  const f = new FormData();
  for (const x of patientFiles('XSPAT', 2)) f.append('files', new Blob([Buffer.from(x.bytes)]), x.name);
  return f;
}

const batches = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from ingest_batches where project_id = ${s.projectId}`)[0].n;

test("[XS1] POST /upload with the admin's cookie from a foreign page is refused before any ingest", async () => {
  const before = await batches();
  const attempts: Record<string, string>[] = [
    { origin: EVIL },
    { origin: 'null' },
    { origin: EVIL, 'sec-fetch-site': 'cross-site' },
    // A form post from an old browser that sends neither Origin nor fetch metadata.
    {},
    // Browsers set Sec-Fetch-Site themselves; a sibling subdomain is same-site, not same-origin.
    { 'sec-fetch-site': 'same-site' },
    // The custom header does not excuse a foreign Origin (a preflight would have refused it).
    { origin: EVIL, 'x-concord-request': '1' },
  ];
  for (const h of attempts) {
    const res = await fetch(`${t.url}/upload?projectId=${s.projectId}`, {
      method: 'POST',
      headers: { cookie: cookie(s.users.boss.token), ...h },
      body: dicomForm(),
    });
    assert.equal(res.status, 403, JSON.stringify(h));
    const body = await res.json();
    assert.equal(body.code, 'FORBIDDEN');
    assert.ok(!/at .*\.ts/.test(JSON.stringify(body)), 'no stack');
  }
  assert.equal(await batches(), before, 'no ingest ran');
  await assertUp();
});

test('[XS1] the web origin, same-origin fetch metadata, the custom header and bearer tokens pass the check', async () => {
  const passes: Record<string, string>[] = [
    { origin: WEB, cookie: cookie(s.users.boss.token) },
    { 'sec-fetch-site': 'same-origin', cookie: cookie(s.users.boss.token) },
    { 'x-concord-request': '1', cookie: cookie(s.users.boss.token) },
    { authorization: `Bearer ${s.users.boss.token}` },
  ];
  for (const h of passes) {
    // A JSON body: past the check, the route itself refuses it (400), proving the check let it through.
    const res = await fetch(`${t.url}/upload?projectId=${s.projectId}`, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 400, JSON.stringify(Object.keys(h)));
    assert.equal((await res.json()).code, 'BAD_INPUT');
  }
  // No cookie, no token: nothing to ride on, so the route's own authentication answers.
  const anonymous = await fetch(`${t.url}/upload?projectId=${s.projectId}`, { method: 'POST', body: dicomForm() });
  assert.equal(anonymous.status, 401);
  const before = await batches();
  const real = await fetch(`${t.url}/upload?projectId=${s.projectId}`, {
    method: 'POST',
    headers: { origin: WEB, cookie: cookie(s.users.boss.token) },
    body: dicomForm(),
  });
  assert.ok(real.ok, `upload from the web origin: ${real.status}`);
  assert.equal(await batches(), before + 1);
  await assertUp();
});

test("[XS1] exports and images: a cross-site link or fetch with the cookie gets 403; the app's own link and fetch work", async () => {
  const exportUrl = `${t.url}/export/${s.projectId}/reads.csv`;
  const asLead = { cookie: cookie(s.users.boss.token) };
  for (const h of [{ 'sec-fetch-site': 'cross-site' }, { origin: EVIL }, {}] as Record<string, string>[]) {
    const r = await fetch(exportUrl, { headers: { ...asLead, ...h } });
    assert.equal(r.status, 403, JSON.stringify(h));
  }
  const exportsBefore = (await t.sql`select 1 from audit_log where action = 'EXPORT'`).length;
  assert.equal(exportsBefore, 0, 'refused exports were never run (nor audited)');
  // A click on the lead page's link: a same-origin navigation.
  const own = await fetch(exportUrl, { headers: { ...asLead, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' } });
  assert.equal(own.status, 200);
  assert.match(await own.text(), /^[a-z_]+(,[a-z_]+)*\n/);

  const imageUrl = `${t.url}/images/${s.sliceIds[0]}`;
  const labCookie = { cookie: cookie(s.users.lab.token) };
  assert.equal((await fetch(imageUrl, { headers: { ...labCookie, 'sec-fetch-site': 'cross-site' } })).status, 403);
  assert.equal((await fetch(imageUrl, { headers: { ...labCookie, origin: EVIL } })).status, 403);
  // Past the check the route decides (404: this labeler holds no assignment in the series).
  assert.equal((await fetch(imageUrl, { headers: { ...labCookie, 'x-concord-request': '1' } })).status, 404);
  await assertUp();
});

function handshake(opts: { origin?: string; transport: 'websocket' | 'polling'; token?: string; cookie?: string }): Promise<'connected' | string> {
  const headers: Record<string, string> = {};
  if (opts.origin) headers.origin = opts.origin;
  if (opts.cookie) headers.cookie = opts.cookie;
  const socket = io(t.url, {
    transports: [opts.transport],
    forceNew: true,
    reconnection: false,
    timeout: 5000,
    auth: opts.token ? { token: opts.token } : {},
    extraHeaders: headers,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (e) => {
      socket.disconnect();
      resolve(e.message);
    });
  });
}

test("[XS2] a socket opened from a foreign page with the user's cookie is refused; the web origin and non-browser clients connect", async () => {
  const c = cookie(s.users.boss.token);
  for (const transport of ['websocket', 'polling'] as const) {
    assert.notEqual(await handshake({ origin: EVIL, transport, cookie: c }), 'connected', `${transport} from ${EVIL}`);
    assert.notEqual(await handshake({ origin: 'null', transport, cookie: c }), 'connected');
    assert.equal(await handshake({ origin: WEB, transport, cookie: c }), 'connected', `${transport} from the web origin`);
  }
  assert.equal(await handshake({ transport: 'websocket', token: s.users.lab.token }), 'connected', 'no Origin: a script with a session');
  assert.notEqual(await handshake({ transport: 'websocket' }), 'connected', 'no Origin and no session');
  // A burst of refused handshakes leaves the server serving.
  await Promise.all(Array.from({ length: 50 }, () => handshake({ origin: EVIL, transport: 'polling', cookie: c })));
  assert.equal(await handshake({ origin: WEB, transport: 'websocket', cookie: c }), 'connected');
  await assertUp();
});

test('[XS3] the session cookie is Secure when the login came over HTTPS (as a trusted proxy reports it) or when configured', async () => {
  const loginCookie = async (url: string, headers: Record<string, string>) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: 'mutation{login(username:"lab",password:"password123"){token}}' }),
    });
    return res.headers.get('set-cookie') ?? '';
  };
  assert.doesNotMatch(await loginCookie(t.url, {}), /;\s*Secure/i);
  assert.match(await loginCookie(t.url, { 'x-forwarded-proto': 'https' }), /;\s*Secure/i);
  const forced = await startTestApi('crosssitesecure', { config: { cookieSecure: true } });
  await seedProject(forced, { users: { lab: ['LABELER'] } });
  assert.match(await loginCookie(forced.url, {}), /;\s*Secure/i);
  // Untrusted peer (nothing trusted): a forged X-Forwarded-Proto changes nothing either way.
  const plain = await startTestApi('crosssiteplain', { config: { cookieSecure: 'auto', trustProxy: false } });
  await seedProject(plain, { users: { lab: ['LABELER'] } });
  assert.doesNotMatch(await loginCookie(plain.url, { 'x-forwarded-proto': 'https' }), /;\s*Secure/i);
  await login(t.url, 'lab');
  await assertUp();
});

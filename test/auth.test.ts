import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, seedProject, gql, errorCode, login } from './helpers/api.js';

const t = await startTestApi('auth');
const seed = await seedProject(t, { users: { alice: ['LABELER'], root: ['ADMIN'] } });

test('[AU1] login returns a token usable as a bearer and sets an httpOnly cookie', async () => {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation{login(username:"alice",password:"password123"){token user{username roles}}}' }),
  });
  const body = await res.json();
  assert.equal(body.data.login.user.username, 'alice');
  assert.deepEqual(body.data.login.user.roles, ['LABELER']);
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /concord_session=/);
  assert.match(cookie, /HttpOnly/);
  const me = await gql(t.url, '{ me { username } }', {}, body.data.login.token);
  assert.equal((me.data as any).me.username, 'alice');
  const viaCookie = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookie.split(';')[0] },
    body: JSON.stringify({ query: '{ me { username } }' }),
  });
  assert.equal((await viaCookie.json()).data.me.username, 'alice');
});

test('[AU2] wrong password and unknown user give the same error', async () => {
  const a = await gql(t.url, 'mutation{login(username:"alice",password:"nope-nope"){token}}');
  const b = await gql(t.url, 'mutation{login(username:"nobody",password:"nope-nope"){token}}');
  assert.equal(errorCode(a), 'UNAUTHENTICATED');
  assert.equal(errorCode(b), 'UNAUTHENTICATED');
  assert.equal(a.errors![0].message, b.errors![0].message);
});

test('[AU3] failed logins are rate-limited per username (delays: test/login-limits.test.ts)', async () => {
  await seedProject(t, { users: { target: ['LABELER'] } });
  const tries = await Promise.all(Array.from({ length: 8 }, () => gql(t.url, 'mutation{login(username:"target",password:"wrong-wrong"){token}}')));
  assert.ok(tries.some((r) => errorCode(r) === 'RATE_LIMITED'));
});

test('[AU4] no token, a bad token and a revoked token are all refused', async () => {
  assert.equal(errorCode(await gql(t.url, '{ me { id } }')), 'UNAUTHENTICATED');
  assert.equal(errorCode(await gql(t.url, '{ me { id } }', {}, 'garbage')), 'UNAUTHENTICATED');
  const token = await login(t.url, 'alice');
  await gql(t.url, 'mutation{logout}', {}, token);
  assert.equal(errorCode(await gql(t.url, '{ me { id } }', {}, token)), 'UNAUTHENTICATED');
});

test('[AU5] roles are checked on the server: a labeler cannot create users or projects', async () => {
  const r1 = await gql(t.url, 'mutation{createUser(username:"x1",password:"password123",roles:[ADMIN]){id}}', {}, seed.users.alice.token);
  assert.equal(errorCode(r1), 'FORBIDDEN');
  const r2 = await gql(t.url, 'mutation{createProject(name:"x"){id}}', {}, seed.users.alice.token);
  assert.equal(errorCode(r2), 'FORBIDDEN');
  const r3 = await gql(t.url, 'mutation{createUser(username:"newlab",password:"password123",roles:[LABELER]){id roles}}', {}, seed.users.root.token);
  assert.deepEqual((r3.data as any).createUser.roles, ['LABELER']);
});

test('[AU6] role changes are audited append-only', async () => {
  const [u] = await t.sql`select id from users where username = 'newlab'`;
  const r = await gql(t.url, 'mutation($u:ID!){setUserRoles(userId:$u,roles:[LABELER,ADJUDICATOR]){roles}}', { u: u.id }, seed.users.root.token);
  assert.deepEqual((r.data as any).setUserRoles.roles, ['ADJUDICATOR', 'LABELER']);
  const audit = await t.sql`select role, action, actor_id from role_audit where user_id = ${u.id} order by id`;
  assert.deepEqual(
    audit.map((a) => `${a.action}:${a.role}`),
    ['GRANT:LABELER', 'GRANT:ADJUDICATOR'],
  );
  assert.equal(audit[1].actorId, seed.users.root.id);
});

test('[AU7] malformed GraphQL input gets BAD_INPUT, not a crash', async () => {
  const r = await gql(t.url, 'mutation{submitLabel(sliceId:"x", value:"one"){ok}}', {}, seed.users.alice.token);
  assert.equal(errorCode(r), 'BAD_INPUT');
  const r2 = await gql(t.url, '{ nope }', {}, seed.users.alice.token);
  assert.equal(errorCode(r2), 'BAD_INPUT');
});

test('[OP1] health, readiness and Prometheus metrics are served; metrics carry no ids', async () => {
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
  assert.deepEqual(await (await fetch(`${t.url}/ready`)).json(), { ready: true });
  const m = await (await fetch(`${t.url}/metrics`)).text();
  assert.match(m, /concord_http_request_duration_seconds_bucket/);
  assert.match(m, /concord_graphql_operation_duration_seconds/);
  assert.match(m, /concord_sockets 0/);
  assert.match(m, /concord_labels_total/);
  assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(m), 'no uuids in metric labels');
});

test('[HP4] a /graphql POST read without Express still gets CORS headers for an allowed origin only, and counts in the HTTP latency metric', async () => {
  const count = async () => {
    const m = await (await fetch(`${t.url}/metrics`)).text();
    return Number(/concord_http_request_duration_seconds_count\{route="\/graphql",method="POST",status="200"\} (\d+)/.exec(m)?.[1] ?? 0);
  };
  const before = await count();
  const post = (origin: string) =>
    fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ query: '{ me { id } }' }) });
  const allowed = `http://localhost:${process.env.WEB_PORT ?? 3000}`;
  const ours = await post(allowed);
  assert.equal(ours.status, 200);
  assert.equal(ours.headers.get('access-control-allow-origin'), allowed);
  assert.equal(ours.headers.get('access-control-allow-credentials'), 'true');
  const foreign = await post('https://evil.example');
  assert.equal(foreign.headers.get('access-control-allow-origin'), null, 'no CORS grant for a foreign origin');
  assert.equal(await count(), before + 2, 'both POSTs are in the latency histogram under route /graphql');
});

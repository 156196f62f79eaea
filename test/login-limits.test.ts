/**
 * Client addresses and login limits from the attacker's side (apps/api/src/auth/SPEC.md, LL*):
 * spoofed X-Forwarded-For sprays, guessing one password, failing on purpose to lock someone
 * else out, and the admin unlock. Every test ends by checking the API still answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApi, seedProject, gql, errorCode, type GqlResult } from './helpers/api.js';
import { MAX_FAILURES_PER_IP } from '../apps/api/src/auth/rate-limit.js';
import { loadConfig } from '../apps/api/src/config/config.js';
import { createUser } from '../apps/api/src/users/users.queries.js';

// Trusts nobody: every request comes straight from the test's loopback address.
const direct = await startTestApi('loginlimits');
// Behind a proxy on loopback: the test plays that proxy and names the client in X-Forwarded-For.
const proxied = await startTestApi('loginproxied', { config: { trustProxy: ['loopback'] } });
const seedDirect = await seedProject(direct, { users: { victim: ['LABELER'], root: ['ADMIN'] } });
const seedProxied = await seedProject(proxied, { users: { owner: ['LABELER'], chief: ['ADMIN'], plain: ['LABELER'] } });

const LOGIN = 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}';

async function loginAs(url: string, username: string, password: string, headers: Record<string, string> = {}): Promise<GqlResult> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: LOGIN, variables: { u: username, p: password } }),
  });
  return (await res.json()) as GqlResult;
}

/** The wait the server asks for, read from its message ("Try again in 4 seconds"). */
function retryAfterSeconds(r: GqlResult): number {
  const m = /Try again in (\d+) (seconds|minutes)/.exec(r.errors?.[0]?.message ?? '');
  assert.ok(m, `expected a wait in: ${r.errors?.[0]?.message}`);
  return Number(m[1]) * (m[2] === 'minutes' ? 60 : 1);
}

async function waitOut(r: GqlResult): Promise<void> {
  // The server names the wait; sleeping exactly that long (plus a margin) is the behaviour under test.
  await new Promise((res) => setTimeout(res, retryAfterSeconds(r) * 1000 + 250));
}

async function assertUp(url: string) {
  const res = await fetch(`${url}/health`);
  assert.equal(res.status, 200);
}

const spoof = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

test('[LL1] a direct client spraying passwords under fresh spoofed X-Forwarded-For addresses is still one address', async () => {
  const codes: string[] = [];
  for (let i = 0; i < MAX_FAILURES_PER_IP + 5; i++) {
    // A fresh username each time: only the per-address limit can stop this spray.
    const r = await loginAs(direct.url, `spray-${i}-${randomUUID().slice(0, 6)}`, 'guess-guess', { 'x-forwarded-for': `${spoof()}, ${spoof()}` });
    codes.push(errorCode(r)!);
  }
  assert.deepEqual(codes.slice(0, MAX_FAILURES_PER_IP), Array(MAX_FAILURES_PER_IP).fill('UNAUTHENTICATED'));
  assert.deepEqual(codes.slice(MAX_FAILURES_PER_IP), Array(5).fill('RATE_LIMITED'));
  const ips = await direct.sql<{ ip: string }[]>`select distinct ip from login_attempts where username like 'spray-%'`;
  assert.deepEqual(
    ips.map((r) => r.ip),
    ['127.0.0.1'],
    'the recorded address is the peer, never the header',
  );
  await assertUp(direct.url);
});

test('[LL1] behind a trusted proxy the client is the address that proxy added, not what the client wrote before it', async () => {
  const name = `hop-${randomUUID().slice(0, 6)}`;
  await loginAs(proxied.url, name, 'wrong-wrong', { 'x-forwarded-for': '198.51.100.7, 192.0.2.44' });
  const [row] = await proxied.sql<{ ip: string }[]>`select ip from login_attempts where username = ${name}`;
  // One trusted hop (loopback, the test): the entry it appended is the client; the left one is the client's own claim.
  assert.equal(row.ip, '192.0.2.44');
  await assertUp(proxied.url);
});

/** Sends `n` tries at once; the server serialises them per account and address. */
function burst(n: number, username: string, password: string, headers: Record<string, string>): Promise<GqlResult[]> {
  return Promise.all(Array.from({ length: n }, () => loginAs(proxied.url, username, password, headers)));
}

const codesOf = (rs: GqlResult[]) => rs.map((r) => errorCode(r)).sort();

/** Failure history written straight into the table, for tests about what follows it. */
async function pastFailures(username: string, ips: string[], secondsAgo = 0) {
  for (const ip of ips) {
    await proxied.sql`insert into login_attempts (username, ip, success, created_at) values (${username}, ${ip}, false, now() - make_interval(secs => ${secondsAgo}))`;
  }
}

test('[LL4] guessing one account from one address meets doubling delays, even sent in parallel; the right password waits too; a success resets', async () => {
  const from = { 'x-forwarded-for': '192.0.2.10' };
  // 10 guesses at once: 3 are checked, the rest refused unchecked (check and count are serialised).
  const first = await burst(10, 'owner', 'wrong-wrong', from);
  // 3, or 4 when the burst outlasted the first 1 s delay on a loaded machine.
  const checked = first.filter((r) => errorCode(r) === 'UNAUTHENTICATED').length;
  assert.ok(checked === 3 || checked === 4, `${checked} of 10 parallel guesses were checked`);
  let last = first.find((r) => errorCode(r) === 'RATE_LIMITED')!;
  const waits = [retryAfterSeconds(last)];
  assert.equal(waits[0], 2 ** (checked - 3));
  for (let round = 0; round < 3; round++) {
    await waitOut(last);
    const next = await burst(5, 'owner', 'wrong-wrong', from);
    assert.deepEqual(codesOf(next), ['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'UNAUTHENTICATED'], 'one guess per delay');
    last = next.find((r) => errorCode(r) === 'RATE_LIMITED')!;
    waits.push(retryAfterSeconds(last));
  }
  assert.deepEqual(waits, [waits[0], waits[0] * 2, waits[0] * 4, waits[0] * 8], 'the delay doubles with each failure');
  const early = await loginAs(proxied.url, 'owner', 'password123', from);
  assert.equal(errorCode(early), 'RATE_LIMITED', 'during the delay even the right password is refused unchecked');
  const [{ n }] = await proxied.sql<{ n: number }[]>`select count(*)::int as n from login_attempts where username = 'owner' and not success`;
  assert.equal(n, checked + 3, 'refused tries are not counted, so hammering does not lengthen the delay');
  await waitOut(early);
  assert.ok((await loginAs(proxied.url, 'owner', 'password123', from)).data, 'the owner gets in once the delay has passed');
  assert.equal(errorCode(await loginAs(proxied.url, 'owner', 'wrong-wrong', from)), 'UNAUTHENTICATED', 'a success starts the count again');
  await assertUp(proxied.url);
});

test("[LL5] failing on purpose against someone else's account does not lock them out", async () => {
  const victim = { 'x-forwarded-for': '192.0.2.77' };
  // One attacker address, as fast as it can: its own delays stop it after 3 failures.
  const answers = await burst(40, 'plain', 'wrong-wrong', { 'x-forwarded-for': '198.51.100.66' });
  // 3 free, then one per delay (1 s, 2 s …) while the burst lasts: a loaded machine may let a 4th or 5th through.
  assert.ok(answers.filter((r) => errorCode(r) === 'RATE_LIMITED').length >= 35, 'the attacker is throttled');
  assert.ok((await loginAs(proxied.url, 'plain', 'password123', victim)).data, 'the owner, elsewhere, logs in at once');

  // Many attacker addresses (a botnet; the proxy vouches for each): the account-wide delay caps at a minute.
  await pastFailures(
    'plain',
    Array.from({ length: 30 }, (_, i) => `198.51.100.${100 + i}`),
  );
  const delayed = await loginAs(proxied.url, 'plain', 'password123', victim);
  assert.equal(errorCode(delayed), 'RATE_LIMITED');
  assert.ok(retryAfterSeconds(delayed) <= 60, `the owner waits at most a minute, not ${retryAfterSeconds(delayed)} s`);
  assert.match(delayed.errors![0].message, /ask an admin to unlock/);
  await assertUp(proxied.url);
});

test('[LL7] an admin unlocks an account at once; the unlock is audited; others may not unlock', async () => {
  const from = { 'x-forwarded-for': '192.0.2.99' };
  await pastFailures('chief', Array(8).fill('192.0.2.99'));
  const locked = await loginAs(proxied.url, 'chief', 'password123', from);
  assert.equal(errorCode(locked), 'RATE_LIMITED', 'admins meet the same delays');
  assert.ok(retryAfterSeconds(locked) >= 30);

  const UNLOCK = 'mutation($u:ID!){unlockUser(userId:$u)}';
  const chief = seedProxied.users.chief;
  assert.equal(errorCode(await gql(proxied.url, UNLOCK, { u: chief.id }, seedProxied.users.plain.token)), 'FORBIDDEN');
  assert.equal(errorCode(await gql(proxied.url, UNLOCK, { u: chief.id })), 'UNAUTHENTICATED');
  assert.equal(errorCode(await gql(proxied.url, UNLOCK, { u: randomUUID() }, chief.token)), 'NOT_FOUND');
  assert.equal(errorCode(await gql(proxied.url, UNLOCK, { u: 'not-an-id' }, chief.token)), 'NOT_FOUND');
  // An admin session made before the delays still works (in practice another admin unlocks).
  assert.equal((await gql(proxied.url, UNLOCK, { u: chief.id }, chief.token)).data?.unlockUser, true);
  assert.ok((await loginAs(proxied.url, 'chief', 'password123', from)).data, 'logs in at once after the unlock');
  const audit = await proxied.sql`select actor_id, entity_id from audit_log where action = 'LOGIN_UNLOCK'`;
  assert.deepEqual(
    audit.map((a) => [a.actorId, a.entityId]),
    [[chief.id, chief.id]],
  );
  await assertUp(proxied.url);
});

test('[LL3] the per-address limit names its wait and the victim on another address is unaffected', async () => {
  const sprayer = { 'x-forwarded-for': '198.51.100.200' };
  for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await loginAs(proxied.url, `nobody-${i}`, 'guess-guess', sprayer);
  const blocked = await loginAs(proxied.url, 'owner', 'password123', sprayer);
  assert.equal(errorCode(blocked), 'RATE_LIMITED');
  assert.match(blocked.errors![0].message, /network address/);
  assert.ok(retryAfterSeconds(blocked) > 60 && retryAfterSeconds(blocked) <= 15 * 60);
  assert.ok((await loginAs(proxied.url, 'owner', 'password123', { 'x-forwarded-for': '192.0.2.150' })).data);
  void seedDirect;
  await assertUp(proxied.url);
});

test('[LL1] CONCORD_TRUST_PROXY, CONCORD_WEB_ORIGINS and CONCORD_COOKIE_SECURE are checked at start', () => {
  assert.equal(loadConfig({}).trustProxy, false, 'nobody is trusted unless configured');
  assert.equal(loadConfig({ CONCORD_TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ CONCORD_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, ['loopback', '10.0.0.0/8']);
  assert.throws(() => loadConfig({ CONCORD_TRUST_PROXY: 'everyone' }), /CONCORD_TRUST_PROXY/);
  assert.deepEqual(loadConfig({ CONCORD_WEB_ORIGINS: 'https://concord.example.org,http://localhost:8080' }).webOrigins, [
    'https://concord.example.org',
    'http://localhost:8080',
  ]);
  assert.throws(() => loadConfig({ CONCORD_WEB_ORIGINS: 'https://concord.example.org/app' }), /CONCORD_WEB_ORIGINS/);
  assert.equal(loadConfig({}).cookieSecure, 'auto');
  assert.equal(loadConfig({ CONCORD_COOKIE_SECURE: 'true' }).cookieSecure, true);
  assert.throws(() => loadConfig({ CONCORD_COOKIE_SECURE: 'sometimes' }), /CONCORD_COOKIE_SECURE/);
});

test('[LL3] an IPv6 client rotating through its /64 is one address; an IPv4-mapped address is its IPv4 address', async () => {
  const codes: string[] = [];
  for (let i = 0; i < MAX_FAILURES_PER_IP + 2; i++) {
    const r = await loginAs(proxied.url, `v6-${i}`, 'guess-guess', { 'x-forwarded-for': `2001:db8:77:1:${(i + 1).toString(16)}::${i + 7}` });
    codes.push(errorCode(r)!);
  }
  assert.deepEqual(codes.slice(MAX_FAILURES_PER_IP), ['RATE_LIMITED', 'RATE_LIMITED']);
  const keys = await proxied.sql<{ ip: string }[]>`select distinct ip from login_attempts where username like 'v6-%'`;
  assert.deepEqual(
    keys.map((k) => k.ip),
    ['2001:db8:77:1::/64'],
  );
  assert.ok((await loginAs(proxied.url, 'owner', 'password123', { 'x-forwarded-for': '2001:db8:77:2::1' })).data, 'the next /64 is someone else');
  const mapped = `mapped-${randomUUID().slice(0, 6)}`;
  await loginAs(proxied.url, mapped, 'guess-guess', { 'x-forwarded-for': '::ffff:192.0.2.55' });
  const [row] = await proxied.sql<{ ip: string }[]>`select ip from login_attempts where username = ${mapped}`;
  assert.equal(row.ip, '192.0.2.55');
  await assertUp(proxied.url);
});

test('[LL6] failures older than a day, or before the last successful login, no longer count', async () => {
  // Made without logging in (seedProject logs each user in, and that success would reset the count).
  for (const username of ['dayold', 'recent', 'succeeded']) {
    await createUser(proxied.sql, { username, password: 'password123', roles: ['LABELER'], projectIds: [seedProxied.projectId] });
  }
  const HOUR = 3600;
  // 20 failures: inside the window they make the next failure cost the full 15-minute pair delay.
  await pastFailures('dayold', Array(20).fill('192.0.2.61'), 25 * HOUR);
  await pastFailures('recent', Array(20).fill('192.0.2.62'), 23 * HOUR);
  await pastFailures('succeeded', Array(20).fill('192.0.2.63'), 2 * HOUR);
  await proxied.sql`insert into login_attempts (username, ip, success, created_at) values ('succeeded', '192.0.2.63', true, now() - interval '1 hour')`;
  for (const [user, ip] of [
    ['dayold', '192.0.2.61'],
    ['recent', '192.0.2.62'],
    ['succeeded', '192.0.2.63'],
  ]) {
    assert.equal(
      errorCode(await loginAs(proxied.url, user, 'wrong-wrong', { 'x-forwarded-for': ip })),
      'UNAUTHENTICATED',
      `${user}: the old delays have run out`,
    );
  }
  assert.ok((await loginAs(proxied.url, 'dayold', 'password123', { 'x-forwarded-for': '192.0.2.61' })).data, 'failures 25 h old are forgotten');
  assert.ok((await loginAs(proxied.url, 'succeeded', 'password123', { 'x-forwarded-for': '192.0.2.63' })).data, 'failures before a success are forgotten');
  const recent = await loginAs(proxied.url, 'recent', 'password123', { 'x-forwarded-for': '192.0.2.62' });
  assert.equal(errorCode(recent), 'RATE_LIMITED', 'failures 23 h old still count');
  assert.ok(retryAfterSeconds(recent) > 10 * 60, `21 failures in the day: a long wait (${retryAfterSeconds(recent)} s)`);
  await assertUp(proxied.url);
});

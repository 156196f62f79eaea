/**
 * Query cost from the attacker's side (apps/api/src/server/SPEC.md, QC*): alias floods, login
 * floods, deep and wide operations, introspection in production. Every test ends by checking
 * the API still answers. The 5,000-alias timing against the unlimited server is in
 * bench/query-cost (it takes seconds by design).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate, specifiedRules } from 'graphql';
import { startTestApi, seedProject, gql, errorCode } from './helpers/api.js';
import { loadConfig, REPO_ROOT } from '../apps/api/src/config/config.js';
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from '../apps/api/src/graphql/query-limits.js';
import * as webQueries from '../apps/web/lib/queries.js';

const t = await startTestApi('querycost');
const s = await seedProject(t, { users: { lead: ['LEAD'], lab: ['LABELER'] } });
const lead = s.users.lead.token;

async function assertUp() {
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
  assert.equal(errorCode(await gql(t.url, '{ me { id } }', {}, lead)), undefined);
}

const sessions = async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from sessions`)[0].n;

test('[QC1] 5,000 aliases of agreement are refused at once, before any resolver runs', async () => {
  const flood = `query($p:ID!){ ${Array.from({ length: 5000 }, (_, i) => `a${i}: agreement(projectId:$p){ pairs }`).join(' ')} }`;
  const t0 = performance.now();
  const r = await gql(t.url, flood, { p: s.projectId }, lead);
  const ms = performance.now() - t0;
  assert.equal(errorCode(r), 'BAD_INPUT');
  assert.equal(r.data, undefined);
  console.log(`# 5,000 aliases of agreement refused in ${ms.toFixed(0)} ms`);
  assert.ok(ms < 3000, `refused in ${ms.toFixed(0)} ms`);
  // Short enough for the token limit, too many aliases all the same.
  const wide = `query($p:ID!){ ${Array.from({ length: 25 }, (_, i) => `a${i}: agreement(projectId:$p){ pairs }`).join(' ')} }`;
  const r2 = await gql(t.url, wide, { p: s.projectId }, lead);
  assert.equal(errorCode(r2), 'BAD_INPUT');
  assert.match(r2.errors![0].message, /at most 20 aliases; this one uses 25/);
  await assertUp();
});

test('[QC1] aliases hidden in fragments, deep nesting and wide operations are refused', async () => {
  const frag = `fragment F on Query { ${Array.from({ length: 12 }, (_, i) => `f${i}: me { id }`).join(' ')} }`;
  const viaFragments = await gql(t.url, `query { ...F ...G } ${frag} ${frag.replace('fragment F', 'fragment G').replace(/f(\d+):/g, 'g$1:')}`, {}, lead);
  assert.match(viaFragments.errors?.[0]?.message ?? '', /aliases/);
  let deep = 'name';
  for (let i = 0; i < 12; i++) deep = `ofType { ${deep} }`;
  const deepR = await gql(t.url, `{ __type(name:"Query") { fields { type { ${deep} } } } }`, {}, lead);
  assert.equal(errorCode(deepR), 'BAD_INPUT');
  assert.match(deepR.errors![0].message, /at most 10 levels/);
  const wideR = await gql(t.url, `{ ${Array.from({ length: 16 }, (_, i) => `m${i}: me { id }`).join(' ')} }`, {}, lead);
  assert.equal(errorCode(wideR), 'BAD_INPUT');
  assert.match(wideR.errors![0].message, /at most 15 top-level fields/);
  await assertUp();
});

test('[QC2] one operation with 100 logins makes no session; two logins are refused too; one works', async () => {
  const before = await sessions();
  const hundred = `mutation { ${Array.from({ length: 100 }, (_, i) => `l${i}: login(username:"lab", password:"password123"){ token }`).join(' ')} }`;
  const r = await gql(t.url, hundred);
  assert.equal(errorCode(r), 'BAD_INPUT');
  const two = await gql(t.url, 'mutation { a: login(username:"lab", password:"password123"){ token } b: login(username:"lab", password:"x-x-x-x"){ token } }');
  assert.equal(errorCode(two), 'BAD_INPUT');
  assert.match(two.errors![0].message, /one login per request/);
  // Through fragments, with no alias in sight of the operation itself.
  const frags = await gql(
    t.url,
    'mutation { ...A ...B } fragment A on Mutation { a: login(username:"lab", password:"p"){ token } } fragment B on Mutation { b: login(username:"lab", password:"q"){ token } }',
  );
  assert.equal(errorCode(frags), 'BAD_INPUT');
  assert.equal(await sessions(), before, 'no session was made');
  const [{ n: attempts }] = await t.sql<{ n: number }[]>`select count(*)::int as n from login_attempts where username = 'lab'`;
  assert.equal(attempts, 1, 'only the seed login reached the password check');
  // A batch of 100 operations in one HTTP request: batching is off, so none runs.
  const batch = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Array.from({ length: 100 }, () => ({ query: 'mutation { login(username:"lab", password:"password123"){ token } }' }))),
  });
  assert.equal(batch.status, 400);
  assert.equal(await sessions(), before, 'no session was made');
  const one = await gql(t.url, 'mutation { login(username:"lab", password:"password123"){ token } }');
  assert.ok((one.data as any).login.token);
  assert.equal(await sessions(), before + 1);
  await assertUp();
});

test('[QC3] introspection: on in test mode, off under NODE_ENV=production unless asked for, off when turned off', async () => {
  const on = await gql(t.url, '{ __schema { queryType { name } } }', {}, lead);
  assert.equal((on.data as any).__schema.queryType.name, 'Query');
  assert.equal(loadConfig({ NODE_ENV: 'production' }).introspection, false);
  assert.equal(loadConfig({ NODE_ENV: 'production', CONCORD_GRAPHQL_INTROSPECTION: 'true' }).introspection, true);
  assert.equal(loadConfig({ CONCORD_GRAPHQL_INTROSPECTION: 'false' }).introspection, false);
  assert.throws(() => loadConfig({ CONCORD_GRAPHQL_INTROSPECTION: 'maybe' }), /CONCORD_GRAPHQL_INTROSPECTION/);
  const prod = await startTestApi('querycostprod', { config: { introspection: false } });
  const off = await gql(prod.url, '{ __schema { types { name } } }');
  assert.equal(errorCode(off), 'BAD_INPUT');
  assert.equal(off.data, undefined);
  const typeProbe = await gql(prod.url, '{ __type(name:"Mutation") { fields { name } } }');
  assert.equal(errorCode(typeProbe), 'BAD_INPUT');
  assert.equal((await fetch(`${prod.url}/health`)).status, 200);
  await assertUp();
});

test('[QC4] every operation the web app sends fits the limits', () => {
  const schema = buildSchema(fs.readFileSync(path.join(REPO_ROOT, 'schema.graphql'), 'utf8'));
  // Typed documents (String objects from codegen) carry the fragments they spread, so each validates alone.
  const docs = Object.entries(webQueries)
    .map(([name, v]) => [name, String(v)] as [string, string])
    .filter(([, v]) => /^\s*(query|mutation)\b/.test(v));
  assert.ok(docs.length >= 18, `found ${docs.length} web operations`);
  for (const [name, doc] of docs) {
    const errors = validate(schema, parse(doc, { maxTokens: DEFAULT_QUERY_LIMITS.tokens }), [...specifiedRules, ...queryLimitRules(DEFAULT_QUERY_LIMITS)]);
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
      name,
    );
  }
});

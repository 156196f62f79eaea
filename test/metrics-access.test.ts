/**
 * Metrics from the attacker's side (apps/api/src/server/SPEC.md, MX*): growing the series count
 * with invented operation names, and reading /metrics from outside. Every test ends by checking
 * the API still answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startTestApi, seedProject, gql } from './helpers/api.js';
import { loadConfig, REPO_ROOT } from '../apps/api/src/config/config.js';
import { KNOWN_OPERATIONS } from '../apps/api/src/metrics/operations.js';

const t = await startTestApi('metricsaccess');
const s = await seedProject(t, { users: { lab: ['LABELER'] } });

const operationSeries = (text: string) =>
  new Set([...text.matchAll(/concord_graphql_operation_duration_seconds_count\{operation="([^"]*)"\}/g)].map((m) => m[1]));

test('[MX1] hundreds of invented operation names add no series', async () => {
  const before = operationSeries(await (await fetch(`${t.url}/metrics`)).text());
  // Anonymous visitors (no token) and a logged-in user, valid and invalid documents alike.
  await Promise.all(
    Array.from({ length: 300 }, (_, i) => gql(t.url, `query Q${randomUUID().replace(/-/g, '')} { me { id } }`, {}, i % 2 ? s.users.lab.token : undefined)),
  );
  await Promise.all(Array.from({ length: 50 }, () => gql(t.url, `query Broken${randomUUID().replace(/-/g, '')} { nope }`)));
  await gql(t.url, 'query Me { me { id } }', {}, s.users.lab.token);
  const after = operationSeries(await (await fetch(`${t.url}/metrics`)).text());
  for (const label of after) assert.ok(label === 'other' || (KNOWN_OPERATIONS as readonly string[]).includes(label), `unexpected label ${label}`);
  assert.ok(after.has('other') && after.has('Me'));
  assert.ok(after.size <= before.size + 2, `${after.size} series after, ${before.size} before`);
  assert.ok(after.size <= KNOWN_OPERATIONS.length + 1);
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
});

test("[MX1] the list of known operations is exactly the web app's operation names", () => {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.next')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(e.name))
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/`\s*(?:query|mutation|subscription) ([A-Z]\w*)/g)) names.add(m[1]);
    }
  };
  walk(path.join(REPO_ROOT, 'apps/web'));
  assert.deepEqual([...names].sort(), [...KNOWN_OPERATIONS].sort());
});

test('[MX2] /metrics answers configured addresses and the token holder only', async () => {
  const token = 'metrics-token-' + randomUUID();
  const guarded = await startTestApi('metricsguarded', { config: { metricsAllow: ['192.0.2.10'], metricsToken: token, trustProxy: ['loopback'] } });
  const get = (headers: Record<string, string> = {}) => fetch(`${guarded.url}/metrics`, { headers });
  const refused = await get();
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).code, 'FORBIDDEN');
  assert.equal((await get({ authorization: 'Bearer wrong-token-wrong-token' })).status, 403);
  assert.equal((await get({ authorization: `Bearer ${token}x` })).status, 403);
  const withToken = await get({ authorization: `Bearer ${token}` });
  assert.equal(withToken.status, 200);
  assert.match(await withToken.text(), /concord_labels_total/);
  // The allowed address, as a trusted proxy (loopback: the test) reports it.
  assert.equal((await get({ 'x-forwarded-for': '192.0.2.10' })).status, 200);
  assert.equal((await get({ 'x-forwarded-for': '192.0.2.11' })).status, 403);
  // A direct client's own claim to be the allowed address is worth nothing.
  const direct = await startTestApi('metricsdirect', { config: { metricsAllow: ['192.0.2.10'], trustProxy: false } });
  assert.equal((await fetch(`${direct.url}/metrics`, { headers: { 'x-forwarded-for': '192.0.2.10' } })).status, 403);
  // Default: loopback only (the test runner is loopback).
  assert.equal((await fetch(`${t.url}/metrics`)).status, 200);
  assert.deepEqual(loadConfig({}).metricsAllow, ['loopback']);
  assert.throws(() => loadConfig({ CONCORD_METRICS_TOKEN: 'short' }), /CONCORD_METRICS_TOKEN/);
  assert.throws(() => loadConfig({ CONCORD_METRICS_ALLOW: 'not-an-address' }), /CONCORD_METRICS_ALLOW/);
  assert.equal((await fetch(`${guarded.url}/health`)).status, 200);
});

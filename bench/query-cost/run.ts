/**
 * bench/query-cost: what an alias flood costs the API. One lead sends one operation with N
 * aliases of `agreement` (and one with 100 `login`s) to two servers on the same database in the
 * same run: one with the default limits (apps/api/src/graphql/query-limits.ts), one with the
 * limits lifted (the baseline: the API before them). Prints wall time and sessions made.
 *
 *   npx tsx bench/query-cost/run.ts [--aliases 5000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDatabase } from '../helpers/bench-db.js';
import { startApiServer } from '@concord/api/server/start';
import { createProject } from '@concord/api/projects/projects.queries';
import { createUser } from '@concord/api/users/users.queries';

const i = process.argv.indexOf('--aliases');
const ALIASES = i > 0 ? Number(process.argv[i + 1]) : 5000;
const UNLIMITED = { aliases: 1e9, depth: 1e9, rootFields: 1e9, tokens: 1e9, logins: 1e9 };

async function post(url: string, query: string, variables: object, token?: string) {
  const t0 = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { ms: performance.now() - t0, code: body.errors?.[0]?.extensions?.code ?? 'ok' };
}

async function main() {
  const db = await benchDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-qc-'));
  const project = await createProject(db.sql, { name: 'bench-query-cost' });
  await createUser(db.sql, { username: 'lead', password: 'password123', roles: ['LEAD'], projectIds: [project.id] });
  await createUser(db.sql, { username: 'lab', password: 'password123', roles: ['LABELER'], projectIds: [project.id] });
  const common = { databaseUrl: db.url, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' };
  const limited = await startApiServer(common);
  const open = await startApiServer({ ...common, config: { queryLimits: UNLIMITED } });
  const LOGIN = 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}';
  const token = (
    (await (
      await fetch(`${limited.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: LOGIN, variables: { u: 'lead', p: 'password123' } }),
      })
    ).json()) as any
  ).data.login.token as string;

  const flood = `query($p:ID!){ ${Array.from({ length: ALIASES }, (_, k) => `a${k}: agreement(projectId:$p){ pairs kappa }`).join(' ')} }`;
  const logins = `mutation { ${Array.from({ length: 100 }, (_, k) => `l${k}: login(username:"lab", password:"password123"){ token }`).join(' ')} }`;
  const sessions = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from sessions`)[0].n;

  for (const [name, api] of [
    ['limits (default)', limited],
    ['no limits (baseline)', open],
  ] as const) {
    const a = await post(api.url, flood, { p: project.id }, token);
    const before = await sessions();
    const l = await post(api.url, logins, {});
    const made = (await sessions()) - before;
    console.log(
      `${name.padEnd(22)} ${ALIASES} aliases of agreement: ${a.ms.toFixed(0)} ms (${a.code}); 100 logins in one operation: ${l.ms.toFixed(0)} ms, ${made} sessions (${l.code})`,
    );
  }
  await limited.close();
  await open.close();
  await db.done();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

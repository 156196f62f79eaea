/**
 * bench/submit-timing [TM1]: can a labeler tell, by timing their own submitLabel over HTTP, that
 * it completed a slice's reads? Times N pending submits (first read of a slice) and N completing
 * ones (second read), interleaved and alternating who reads first, beside the same-run noise
 * floor: the difference between two halves of the pending samples. Prints medians and the
 * Mann–Whitney z of completing vs pending (|z| < 2: no difference detectable at this n).
 *
 *   npx tsx bench/submit-timing/run.ts [--pairs 400]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { benchDatabase, percentile } from '../helpers/bench-db.js';
import { startApiServer } from '@concord/api/server/start';
import { createProject } from '@concord/api/projects/projects.queries';
import { createUser } from '@concord/api/users/users.queries';

const i = process.argv.indexOf('--pairs');
const PAIRS = i > 0 ? Number(process.argv[i + 1]) : 400;

function mannWhitneyZ(x: number[], y: number[]): number {
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  let rankX = 0;
  all.forEach((e, k) => {
    if (e.g === 0) rankX += k + 1;
  });
  const n1 = x.length,
    n2 = y.length;
  const u = rankX - (n1 * (n1 + 1)) / 2;
  return (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
}

const db = await benchDatabase();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-timing-'));
const api = await startApiServer({ databaseUrl: db.url, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' });
const p = await createProject(db.sql, { name: 'timing', readsPerSlice: 2 });
const [pat] = await db.sql`insert into patients (project_id, pseudonym) values (${p.id}, 'x') returning id`;
const [st] = await db.sql`insert into studies (project_id, patient_id, study_uid) values (${p.id}, ${pat.id}, '2.25.1') returning id`;
const [se] = await db.sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${p.id}, ${st.id}, '2.25.2', 8, 8) returning id`;
await db.sql`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
             select ${p.id}, ${se.id}, '2.25.3.' || g, g, g, ${'0'.repeat(64)}, 2 from generate_series(1, ${PAIRS + 10}) g`;
const tokens: string[] = [];
for (const u of ['ta', 'tb']) {
  await createUser(db.sql, { username: u, password: 'password123', roles: ['LABELER'], projectIds: [p.id] });
  const r = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation{login(username:"${u}",password:"password123"){token}}` }),
  });
  tokens.push(((await r.json()) as { data: { login: { token: string } } }).data.login.token);
}
async function gql(token: string, query: string, variables: Record<string, unknown>) {
  const r = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await r.json()) as { data: any };
}
const NEXT = 'query($p:ID!){ nextSlice(projectId:$p){ slice { id } } }';
const SUBMIT = 'mutation($s:ID!,$v:Int!,$c:ID){ submitLabel(sliceId:$s,value:$v,clientRequestId:$c){ ok } }';
const pending: number[] = [];
const completing: number[] = [];
for (let k = 0; k < PAIRS; k++) {
  const [first, second] = k % 2 ? [tokens[1], tokens[0]] : [tokens[0], tokens[1]];
  const a = (await gql(first, NEXT, { p: p.id })).data.nextSlice.slice.id;
  const b = (await gql(second, NEXT, { p: p.id })).data.nextSlice.slice.id;
  if (a !== b) throw new Error('both labelers should hold the same slice');
  let t0 = performance.now();
  await gql(first, SUBMIT, { s: a, v: 1, c: randomUUID() });
  pending.push(performance.now() - t0);
  t0 = performance.now();
  // Half agree (consensus), half disagree (adjudication opens).
  await gql(second, SUBMIT, { s: b, v: k % 4 < 2 ? 1 : 0, c: randomUUID() });
  completing.push(performance.now() - t0);
}
const med = (x: number[]) =>
  percentile(
    [...x].sort((l, r) => l - r),
    50,
  );
const evenPending = pending.filter((_, k) => k % 2 === 0);
const oddPending = pending.filter((_, k) => k % 2 === 1);
console.log(`submitLabel over HTTP, ${PAIRS} pairs`);
console.log(`  pending (first read)     median ${med(pending).toFixed(3)} ms`);
console.log(`  completing (second read) median ${med(completing).toFixed(3)} ms`);
console.log(`  completing − pending: ${(med(completing) - med(pending)).toFixed(3)} ms, Mann–Whitney z = ${mannWhitneyZ(completing, pending).toFixed(2)}`);
console.log(
  `  baseline (noise floor, pending halves): ${(med(oddPending) - med(evenPending)).toFixed(3)} ms, z = ${mannWhitneyZ(oddPending, evenPending).toFixed(2)}`,
);
await api.close();
await db.done();

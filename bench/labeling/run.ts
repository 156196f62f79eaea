/**
 * bench/labeling: N simulated labelers over real HTTP GraphQL + Socket.io doing
 * nextSlice → submitLabel, beside the raw floor: the same service transactions called on
 * `postgres` directly, with no HTTP, GraphQL or sockets in between.
 *
 *   npx tsx bench/labeling/run.ts [--labelers 200] [--labels-each 10]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { benchDatabase, percentile } from '../helpers/bench-db.js';
import { startApiServer } from '../../apps/api/src/server/start.js';
import { createProject } from '../../apps/api/src/projects/projects.queries.js';
import { nextSlice } from '../../apps/api/src/assignment/assignment.service.js';
import { submitLabel } from '../../apps/api/src/labels/labels.service.js';
import { hashPassword } from '../../apps/api/src/auth/passwords.js';
import type { Sql } from '../../apps/api/src/db/sql.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const LABELERS = arg('labelers', 200);
const EACH = arg('labels-each', 10);

async function seed(sql: Sql, tag: string) {
  const p = await createProject(sql, { name: `bench-${tag}` });
  const slices = Math.ceil((LABELERS * EACH) / 2) + LABELERS;
  const [pat] = await sql`insert into patients (project_id, pseudonym) values (${p.id}, ${tag}) returning id`;
  const [st] = await sql`insert into studies (project_id, patient_id, study_uid) values (${p.id}, ${pat.id}, ${'2.25.' + tag}) returning id`;
  const [se] = await sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${p.id}, ${st.id}, ${'2.25.9' + tag}, 8, 8) returning id`;
  await sql`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
            select ${p.id}, ${se.id}, ${'2.25.' + tag + '.'} || g, g, g, ${'0'.repeat(64)}, 2 from generate_series(1, ${slices}) g`;
  // One hash for everyone: argon2 is deliberately slow and is not what this measures.
  const hash = await hashPassword('password123');
  const users = await sql<{ id: string; username: string }[]>`
    insert into users (username, password_hash) select ${tag} || '_' || g, ${hash} from generate_series(1, ${LABELERS}) g returning id, username`;
  await sql`insert into user_roles (user_id, role) select id, 'LABELER' from users where username like ${tag + '_%'}`;
  await sql`insert into project_members (project_id, user_id) select ${p.id}, id from users where username like ${tag + '_%'}`;
  return { projectId: p.id, users };
}

async function run(label: string, work: (i: number) => Promise<number[]>) {
  const t0 = performance.now();
  const lat = (await Promise.all(Array.from({ length: LABELERS }, (_, i) => work(i)))).flat().sort((a, b) => a - b);
  const secs = (performance.now() - t0) / 1000;
  return { label, labels: lat.length, perSec: lat.length / secs, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

async function main() {
  const db = await benchDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-'));
  const api = await startApiServer({ databaseUrl: db.url, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent' });
  try {
    // Untimed warm-up, so neither timed path pays for a cold database and JIT (the first path
    // measured used to look up to 1.5x slower than the second, whichever it was).
    const warm = await seed(db.sql, 'warm');
    await Promise.all(warm.users.slice(0, 20).map(async (u) => {
      for (let k = 0; k < 3; k++) {
        const a = await nextSlice(db.sql, warm.projectId, u.id);
        if (a) await submitLabel(db.sql, { sliceId: a.slice_id, userId: u.id, value: k % 2, clientRequestId: randomUUID() });
      }
    }));
    // Floor: the same transactions straight on postgres.
    const floorSeed = await seed(db.sql, 'floor');
    const floor = await run('raw SQL floor (service transactions, no HTTP)', async (i) => {
      const u = floorSeed.users[i];
      const lat: number[] = [];
      for (let k = 0; k < EACH; k++) {
        const t = performance.now();
        const a = await nextSlice(db.sql, floorSeed.projectId, u.id);
        if (!a) break;
        await submitLabel(db.sql, { sliceId: a.slice_id, userId: u.id, value: k % 2, clientRequestId: randomUUID() });
        lat.push(performance.now() - t);
      }
      return lat;
    });

    const httpSeed = await seed(db.sql, 'http');
    const tokens: string[] = [];
    for (const u of httpSeed.users) {
      const r = await fetch(`${api.url}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($u:String!){login(username:$u,password:"password123"){token}}', variables: { u: u.username } }),
      });
      tokens.push(((await r.json()) as any).data.login.token);
    }
    const sockets = await Promise.all(tokens.map(async (token) => {
      const s = io(api.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((res, rej) => { s.once('connect', () => res()); s.once('connect_error', rej); });
      await s.emitWithAck('join', { projectId: httpSeed.projectId });
      return s;
    }));
    let events = 0;
    for (const s of sockets) s.on('event', () => { events++; });
    const gql = async (token: string, query: string, variables: Record<string, unknown>) => {
      const r = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      return ((await r.json()) as any).data;
    };
    const http = await run(`HTTP GraphQL + Socket.io (${LABELERS} labelers)`, async (i) => {
      const lat: number[] = [];
      for (let k = 0; k < EACH; k++) {
        const t = performance.now();
        const d = await gql(tokens[i], 'query($p:ID!){nextSlice(projectId:$p){id slice{id}}}', { p: httpSeed.projectId });
        if (!d?.nextSlice) break;
        await gql(tokens[i], 'mutation($s:ID!,$v:Int!,$c:ID){submitLabel(sliceId:$s,value:$v,clientRequestId:$c){ok}}', { s: d.nextSlice.slice.id, v: k % 2, c: randomUUID() });
        lat.push(performance.now() - t);
      }
      return lat;
    });
    for (const s of sockets) s.disconnect();
    console.log(`bench/labeling — ${LABELERS} labelers × ${EACH} labels, ${os.cpus().length} cores, one API process`);
    console.log('path'.padEnd(52), 'labels'.padStart(7), 'labels/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8));
    for (const r of [floor, http]) {
      console.log(r.label.padEnd(52), String(r.labels).padStart(7), r.perSec.toFixed(1).padStart(9), r.p50.toFixed(1).padStart(8), r.p99.toFixed(1).padStart(8));
    }
    console.log(`HTTP/floor throughput ratio: ${(http.perSec / floor.perSec).toFixed(2)}; socket events delivered: ${events}`);
  } finally {
    await api.close();
    await db.done();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });

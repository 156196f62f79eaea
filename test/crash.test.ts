/**
 * [CR1] SIGKILL the API during a storm of submits, restart it, and check that every
 * acknowledged label is stored exactly once, no slice is over its read count, and the leases
 * that died with the process come back to the pool once they expire.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { freshDatabase } from './helpers/db.js';
import { spawnApi } from './helpers/api-process.js';
import { gql, login, NEXT_SLICE, SUBMIT } from './helpers/api.js';
import { eventually } from './helpers/eventually.js';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { createUser } from '../apps/api/src/users/users.queries.js';

const { url: dbUrl, sql } = await freshDatabase('crash');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-crash-'));
const project = await createProject(sql, { name: 'crash' });
const LABELERS = 8;
for (let i = 0; i < LABELERS; i++) await createUser(sql, { username: `c${i}`, password: 'password123', roles: ['LABELER'], projectIds: [project.id] });
const [pat] = await sql`insert into patients (project_id, pseudonym) values (${project.id}, 'x') returning id`;
const [st] = await sql`insert into studies (project_id, patient_id, study_uid) values (${project.id}, ${pat.id}, '2.25.1') returning id`;
const [se] = await sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${project.id}, ${st.id}, '2.25.2', 8, 8) returning id`;
const SLICES = 100;
for (let i = 0; i < SLICES; i++) {
  await sql`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
            values (${project.id}, ${se.id}, ${'2.25.3.' + i}, ${i}, ${i}, ${'0'.repeat(64)}, 2)`;
}

interface Sent {
  user: string;
  sliceId: string;
  value: number;
  crid: string;
}

async function storm(url: string, tokens: string[], acked: Sent[], unacked: Sent[], stopAfter: number) {
  await Promise.all(
    tokens.map(async (token, i) => {
      for (;;) {
        if (acked.length >= stopAfter) return;
        let next: Awaited<ReturnType<typeof gql>>;
        try {
          next = await gql(url, NEXT_SLICE, { p: project.id }, token);
        } catch {
          return;
        }
        const a = (next.data as any)?.nextSlice;
        if (!a) return;
        const sent: Sent = { user: `c${i}`, sliceId: a.slice.id, value: (i + a.slice.position) % 2, crid: randomUUID() };
        try {
          const r = await gql(url, SUBMIT, { s: sent.sliceId, v: sent.value, c: sent.crid }, token);
          if ((r.data as any)?.submitLabel?.ok) acked.push(sent);
          else unacked.push(sent);
        } catch {
          unacked.push(sent);
          return;
        }
      }
    }),
  );
}

test('[CR1] acknowledged labels survive SIGKILL exactly once; nothing over-read; dead leases recover', async () => {
  const api = await spawnApi(dbUrl, dataDir);
  const tokens = await Promise.all(Array.from({ length: LABELERS }, (_, i) => login(api.url, `c${i}`)));
  const acked: Sent[] = [];
  const unacked: Sent[] = [];
  const running = storm(api.url, tokens, acked, unacked, Number.POSITIVE_INFINITY);
  // Kill mid-storm, once a fair number of labels are in.
  await eventually(() => acked.length >= 40, { timeoutMs: 60_000, intervalMs: 20, what: '40 acknowledged labels before the kill' });
  await api.kill('SIGKILL');
  await running;
  assert.ok(acked.length >= 40);

  const api2 = await spawnApi(dbUrl, dataDir);
  for (const s of acked) {
    const rows = await sql`select value from reads where client_request_id = ${s.crid}`;
    assert.equal(rows.length, 1, 'an acknowledged label is stored exactly once');
    assert.equal(rows[0].value, s.value);
  }
  // Clients retry what they never heard back about: stored once either way.
  for (const s of unacked) {
    const token = await login(api2.url, s.user);
    const r = await gql(api2.url, SUBMIT, { s: s.sliceId, v: s.value, c: s.crid }, token);
    const [{ n }] = await sql`select count(*)::int as n from reads where client_request_id = ${s.crid}`;
    assert.ok(n <= 1);
    if ((r.data as any)?.submitLabel?.ok) assert.equal(n, 1);
  }
  const [{ over }] = await sql`select count(*)::int as over from slices where project_id = ${project.id}
                                 and reads_done <> (select count(*) from reads r where r.slice_id = slices.id and not r.is_repeat)
                                  or reads_done > reads_required`;
  assert.equal(over, 0, 'read counts are exact and within the limit');

  // Leases held by the dead process: let them lapse, then everyone finishes the project.
  await sql`update assignments set expires_at = now() - interval '1 second' where status = 'OPEN'`;
  const tokens2 = await Promise.all(Array.from({ length: LABELERS }, (_, i) => login(api2.url, `c${i}`)));
  await storm(api2.url, tokens2, [], [], Number.POSITIVE_INFINITY);
  const [{ incomplete }] = await sql`select count(*)::int as incomplete from slices where project_id = ${project.id} and reads_done < reads_required`;
  assert.equal(incomplete, 0, 'every slice got its reads after recovery');
  const [{ dup }] = await sql`select count(*)::int as dup from (select slice_id, user_id from reads where not is_repeat group by 1, 2 having count(*) > 1) d`;
  assert.equal(dup, 0);
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { startTestApi, seedProject, gqlOk, connectSocket, NEXT_SLICE, SUBMIT } from './helpers/api.js';
import { withDatabase } from './helpers/db.js';
import { listMigrations, migrate, createSql, type Sql } from '@concord/db';
import { nextSlice } from '../apps/api/src/assignment/assignment.service.js';
import { labelerProgress } from '../apps/api/src/assignment/assignment.queries.js';
import { skipSlice, submitLabel } from '../apps/api/src/labels/labels.service.js';
import type { ServerEvent } from '@concord/contracts';

const t = await startTestApi('queuesize');

/** The definition, counted the slow way: open slices this labeler has neither read nor skipped. */
async function definition(sql: Sql, projectId: string, userId: string): Promise<{ queueSize: number; readsDone: number }> {
  const [r] = await sql<{ q: number; d: number }[]>`
    select (select count(*)::int from slices s
             where s.project_id = ${projectId} and s.reads_done < s.reads_required
               and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = ${userId} and not r.is_repeat)
               and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = ${userId})) as q,
           (select count(*)::int from reads where project_id = ${projectId} and user_id = ${userId}) as d`;
  return { queueSize: r.q, readsDone: r.d };
}

/** An empty database (freshDatabase migrates to the latest, and this test needs 0003). */
async function unmigratedDatabase(): Promise<Sql> {
  const base = process.env.DATABASE_URL!;
  const name = `concord_t_qsmig_${randomBytes(4).toString('hex')}`;
  const admin = createSql(base, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const sql = createSql(withDatabase(base, name), { max: 2 });
  after(async () => {
    await sql.end({ timeout: 5 });
    const a = createSql(base, { max: 1 });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  return sql;
}

const MY_PROGRESS = 'query($p:ID!){ myProgress(projectId:$p){ queueSize readsDone } }';
const SKIP = 'mutation($s:ID!,$r:String!){ skipSlice(sliceId:$s, reason:$r) }';

test("[BL1] queue:size and myProgress are exact after each of the labeler's own reads and skips", async () => {
  const s = await seedProject(t, { slicesPerSeries: 6, series: 2, users: { qa: ['LABELER'], qb: ['LABELER'], qc: ['LABELER'] } });
  const names = ['qa', 'qb', 'qc'] as const;
  const socks = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await connectSocket(t.url, s.users[n].token, s.projectId)] as const)));
  let step = 0;
  for (let round = 0; round < 6; round++) {
    for (const n of names) {
      const u = s.users[n];
      const held = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, u.token);
      if (!held.nextSlice) continue;
      const sock = socks[n];
      const before = sock.events.length;
      // Every fourth action is a skip, so both terms of the count move.
      if (step++ % 4 === 3) await gqlOk(t.url, SKIP, { s: held.nextSlice.slice.id, r: 'artefact' }, u.token);
      else await gqlOk(t.url, SUBMIT, { s: held.nextSlice.slice.id, v: step % 2, c: randomUUID() }, u.token);
      const e = (await sock.waitFor((x) => x.type === 'queue:size' && sock.events.indexOf(x) >= before)) as Extract<ServerEvent, { type: 'queue:size' }>;
      const want = await definition(t.sql, s.projectId, u.id);
      assert.deepEqual({ queueSize: e.size, readsDone: e.readsDone }, want, `${n}, step ${step}: event`);
      assert.deepEqual((await gqlOk(t.url, MY_PROGRESS, { p: s.projectId }, u.token)).myProgress, want, `${n}, step ${step}: myProgress`);
    }
  }
  for (const n of names) assert.deepEqual(await labelerProgress(t.sql, s.projectId, s.users[n].id), await definition(t.sql, s.projectId, s.users[n].id));
});

test('counts stay exact under concurrent reads, skips and repeats, with three reads per slice', async () => {
  const names = Array.from({ length: 8 }, (_, i) => `cq${i}`);
  const s = await seedProject(t, { slicesPerSeries: 10, series: 3, reads: 3, users: Object.fromEntries(names.map((n) => [n, ['LABELER']])) });
  await t.sql`update projects set repeat_rate = 0.2, repeat_washout = 1 where id = ${s.projectId}`;
  await Promise.all(
    names.map(async (n, i) => {
      const userId = s.users[n].id;
      for (let k = 0; ; k++) {
        const a = await nextSlice(t.sql, s.projectId, userId);
        if (!a) return;
        if ((k + i) % 5 === 4) await skipSlice(t.sql, { sliceId: a.sliceId, userId, reason: 'artefact' });
        else await submitLabel(t.sql, { sliceId: a.sliceId, userId, value: (k + i) % 2, clientRequestId: randomUUID() });
      }
    }),
  );
  const [{ repeats }] = await t.sql`select count(*)::int as repeats from reads where project_id = ${s.projectId} and is_repeat`;
  assert.ok(repeats > 0, 'repeats were served');
  for (const n of names) {
    assert.deepEqual(await labelerProgress(t.sql, s.projectId, s.users[n].id), await definition(t.sql, s.projectId, s.users[n].id), n);
  }
  const [{ open }] = await t.sql`select count(*)::int as open from slices where project_id = ${s.projectId} and reads_done < reads_required`;
  const [{ counted }] = await t.sql`select coalesce(sum(n), 0)::int as counted from project_open_slices where project_id = ${s.projectId}`;
  assert.equal(counted, open);
});

test('a change of reads_required that reopens or closes slices moves the counts', async () => {
  const s = await seedProject(t, { slicesPerSeries: 4, reads: 2, users: { ra: ['LABELER'], rb: ['LABELER'] } });
  for (const n of ['ra', 'rb']) {
    for (let k = 0; k < 2; k++) {
      const a = await nextSlice(t.sql, s.projectId, s.users[n].id);
      await submitLabel(t.sql, { sliceId: a!.sliceId, userId: s.users[n].id, value: 1, clientRequestId: randomUUID() });
    }
  }
  for (const required of [3, 1, 2]) {
    // Behind the settings guard (which refuses once reads exist): the triggers must still hold.
    await t.sql`update slices set reads_required = ${required} where project_id = ${s.projectId} and reads_done <= ${required}`;
    for (const n of ['ra', 'rb']) {
      assert.deepEqual(await labelerProgress(t.sql, s.projectId, s.users[n].id), await definition(t.sql, s.projectId, s.users[n].id), `${n} at ${required}`);
    }
  }
});

test('migration 0004 counts what is already in the database', async () => {
  const sql = await unmigratedDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-qs-'));
  for (const m of listMigrations().filter((x) => x.version < 4)) fs.copyFileSync(m.file, path.join(dir, path.basename(m.file)));
  await migrate(sql, dir);
  const [p] = await sql`insert into projects (name) values ('before counters') returning id`;
  const [pat] = await sql`insert into patients (project_id, pseudonym) values (${p.id}, 'x') returning id`;
  const [st] = await sql`insert into studies (project_id, patient_id, study_uid) values (${p.id}, ${pat.id}, '2.25.7') returning id`;
  const [se] = await sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${p.id}, ${st.id}, '2.25.8', 8, 8) returning id`;
  const slices = await sql<{ id: string }[]>`
    insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
    select ${p.id}, ${se.id}, '2.25.9.' || g, g, g, ${'0'.repeat(64)}, 2 from generate_series(1, 6) g returning id`;
  const users = await sql<{ id: string }[]>`insert into users (username, password_hash) values ('m1', 'x'), ('m2', 'x') returning id`;
  // Slice 0 read by both (closed), slice 1 by one, slice 2 skipped by one, slice 3 a repeat.
  await sql`insert into reads (project_id, slice_id, user_id, value) values
    (${p.id}, ${slices[0].id}, ${users[0].id}, 1), (${p.id}, ${slices[0].id}, ${users[1].id}, 0), (${p.id}, ${slices[1].id}, ${users[0].id}, 1)`;
  await sql`insert into reads (project_id, slice_id, user_id, value, is_repeat) values (${p.id}, ${slices[0].id}, ${users[0].id}, 1, true)`;
  await sql`insert into skips (project_id, slice_id, user_id, reason) values (${p.id}, ${slices[2].id}, ${users[1].id}, 'x')`;
  await migrate(sql);
  for (const u of users) assert.deepEqual(await labelerProgress(sql, p.id, u.id), await definition(sql, p.id, u.id));
});

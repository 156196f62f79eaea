import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { listMigrations, migrate, MigrationError } from '@concord/db';

test('[MG1] migrations apply once and record what ran', async () => {
  const { sql } = await freshDatabase('mig');
  const rows = await sql`select version from schema_migrations order by version`;
  assert.deepEqual(
    rows.map((r) => r.version),
    listMigrations().map((m) => m.version),
  );
  const again = await migrate(sql);
  assert.deepEqual(again.applied, []);
});

test('[MG2] a gap in the numbering is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
  fs.writeFileSync(path.join(dir, '0001_a.sql'), 'select 1;');
  fs.writeFileSync(path.join(dir, '0003_c.sql'), 'select 1;');
  assert.throws(
    () => listMigrations(dir),
    (e: unknown) => e instanceof MigrationError && /without gaps/.test((e as Error).message),
  );
});

test('[MG3] a failing migration leaves nothing applied', async () => {
  const { sql } = await freshDatabase('migfail');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
  for (const m of listMigrations()) fs.copyFileSync(m.file, path.join(dir, path.basename(m.file)));
  const n = listMigrations().length;
  const next = String(n + 1).padStart(4, '0');
  fs.writeFileSync(path.join(dir, `${next}_broken.sql`), 'create table ok_table (x int); select * from no_such_table;');
  await assert.rejects(migrate(sql, dir));
  const [{ exists }] = await sql`select to_regclass('ok_table') is not null as exists`;
  assert.equal(exists, false);
});

test('[MG4] append-only tables refuse updates and deletes', async () => {
  const { sql } = await freshDatabase('append');
  const [u] = await sql`insert into users (username, password_hash) values ('aa', 'x') returning id`;
  await sql`insert into role_audit (user_id, role, action) values (${u.id}, 'LABELER', 'GRANT')`;
  await assert.rejects(sql`update role_audit set role = 'ADMIN'`, /append-only/);
  await assert.rejects(sql`delete from role_audit`, /append-only/);
});

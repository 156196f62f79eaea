import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '@concord/db';
import { createSql, type Sql } from '@concord/db';
import { listMigrations, migrate } from '@concord/db';

/**
 * The repository's migrations up to `version` in a directory of their own: a benchmark runs the
 * schema before a change beside the current one, in the same run.
 */
export function migrationsUpTo(version: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-migrations-'));
  for (const m of listMigrations()) if (m.version <= version) fs.copyFileSync(m.file, path.join(dir, path.basename(m.file)));
  return dir;
}

/**
 * A fresh migrated database for one benchmark run: on DATABASE_URL, or an embedded server.
 * `migrationsDir` picks the schema (migrationsUpTo); the repository's by default.
 */
export async function benchDatabase(opts: { migrationsDir?: string } = {}): Promise<{ url: string; sql: Sql; done(): Promise<void> }> {
  let base = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!base) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-pg-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres(path.join(dir, 'data'));
    base = pg.url;
    stop = async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `concord_bench_${randomBytes(4).toString('hex')}`;
  const admin = createSql(base, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = '/' + name;
  const sql = createSql(u.toString(), { max: 20, appName: 'concord-bench' });
  await migrate(sql, opts.migrationsDir);
  return {
    url: u.toString(),
    sql,
    async done() {
      await sql.end();
      const a = createSql(base!, { max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
      await stop();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

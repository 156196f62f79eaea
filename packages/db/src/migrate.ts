import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './sql.js';

/** The repository's `migrations/` folder, found from this package's place in the checkout. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

export interface MigrationFile {
  version: number;
  name: string;
  file: string;
}

export class MigrationError extends Error {}

/** Reads `NNNN_name.sql` files and refuses gaps or duplicates in the numbering. */
export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const out: MigrationFile[] = [];
  for (const f of files) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(f);
    if (!m) throw new MigrationError(`migration file "${f}" must be named NNNN_name.sql`);
    out.push({ version: Number(m[1]), name: m[2], file: path.join(dir, f) });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migrations must be numbered 1..n without gaps: expected ${String(i + 1).padStart(4, '0')}, found ${path.basename(m.file)}`);
    }
  });
  return out;
}

/**
 * Applies pending migrations in one transaction; an advisory lock keeps two processes
 * starting at once (two API nodes, API and trainer) from racing.
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<{ applied: number[] }> {
  const all = listMigrations(dir);
  const applied: number[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(4242001)`;
    await tx`create table if not exists schema_migrations (
      version int primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version));
    const maxDone = Math.max(0, ...done);
    if (maxDone > all.length) {
      throw new MigrationError(`database is at migration ${maxDone} but only ${all.length} migration files exist: this code is older than the database`);
    }
    for (const m of all) {
      if (done.has(m.version)) continue;
      await tx.unsafe(fs.readFileSync(m.file, 'utf8'));
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
      applied.push(m.version);
    }
  });
  return { applied };
}

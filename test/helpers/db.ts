import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { createSql, type Sql, migrate } from '@concord/db';

function requireUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('tests run through `npm test`, which provides DATABASE_URL (embedded PostgreSQL when unset)');
  return url;
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

/**
 * A fresh, migrated database for one test file, dropped when the file ends.
 * Returns its URL (for child processes) and a client.
 */
export async function freshDatabase(
  label = 'db',
  opts: { beforeDrop?: () => Promise<void> } = {},
): Promise<{ url: string; sql: Sql; onBeforeDrop(fn: () => Promise<void>): void }> {
  const base = requireUrl();
  const name = `concord_t_${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const admin = createSql(base, { max: 1, appName: 'concord-test-admin' });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(base, name);
  const sql = createSql(url, { max: 10, appName: 'concord-test' });
  await migrate(sql);
  // Things using the database (API servers, child processes) stop before it is dropped.
  const beforeDrop: (() => Promise<void>)[] = opts.beforeDrop ? [opts.beforeDrop] : [];
  after(async () => {
    for (const fn of beforeDrop.reverse()) await fn().catch(() => {});
    await sql.end({ timeout: 5 });
    const a = createSql(base, { max: 1, appName: 'concord-test-admin' });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  return {
    url,
    sql,
    onBeforeDrop: (fn) => {
      beforeDrop.push(fn);
    },
  };
}

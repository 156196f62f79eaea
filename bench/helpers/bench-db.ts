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
export async function benchDatabase(opts: { migrationsDir?: string; settings?: Record<string, string> } = {}): Promise<{
  url: string;
  sql: Sql;
  done(): Promise<void>;
  /** CPU seconds of this database's server so far (postgresCpuSeconds). */
  cpuSeconds(): number;
  /** This database's server counters so far, once every backend has reported them (settledServerCounters). */
  counters(): Promise<ServerCounters>;
  /** The embedded server's data directory (where a disk probe measures its disk); none on DATABASE_URL. */
  dataDir?: string;
}> {
  let base = process.env.DATABASE_URL;
  if (base && opts.settings && Object.keys(opts.settings).length) throw new Error('server settings need the embedded server: unset DATABASE_URL');
  let stop = async () => {};
  let pgDataDir: string | undefined;
  if (!base) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-pg-'));
    fs.chmodSync(dir, 0o755);
    pgDataDir = path.join(dir, 'data');
    const pg = await startEmbeddedPostgres(pgDataDir);
    base = pg.url;
    // The server is this run's own: time its WAL flushes (pg_stat_wal.wal_sync_time).
    const a = createSql(base, { max: 1 });
    await a`alter system set track_wal_io_timing = on`;
    // A side's own server settings (bench/labeling --pg-side), tried against the defaults in one run.
    for (const [k, v] of Object.entries(opts.settings ?? {})) {
      if (!/^[a-z_]+$/.test(k)) throw new Error(`not a server setting's name: ${k}`);
      await a.unsafe(`alter system set ${k} = '${v.replace(/'/g, "''")}'`);
    }
    await a`select pg_reload_conf()`;
    const pending = await a<{ name: string }[]>`select name from pg_settings where pending_restart`;
    if (pending.length) throw new Error(`${pending.map((p) => p.name).join(', ')}: takes a server restart; the bench applies reloadable settings only`);
    await a.end();
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
    cpuSeconds: () => postgresCpuSeconds(pgDataDir),
    counters: () => settledServerCounters(sql),
    dataDir: pgDataDir,
    async done() {
      await sql.end();
      const a = createSql(base!, { max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
      await stop();
    },
  };
}

/** What bench/labeling reads off the server around each phase (pg_stat_wal, pg_stat_database). */
export interface ServerCounters {
  /** WAL flushes (fsync/fdatasync) and their total time, ms. */
  syncs: number;
  /** Null where the server does not time them (track_wal_io_timing off: a DATABASE_URL server). */
  ms: number | null;
  /** Full-page images written to WAL (a page's first change after a checkpoint), and all WAL bytes. */
  fpi: number;
  bytes: number;
  /** Deadlocks PostgreSQL detected in this database: each cost a transaction deadlock_timeout (1 s) of waiting, then a retry. */
  deadlocks: number;
}

/**
 * The server's WAL counters so far (pg_stat_wal) and this database's deadlocks: a commit waits
 * for its flush, so flushes that slow down (the disk busy with checkpoint or other writes) show in
 * every label's latency, whatever the CPU columns say.
 */
export async function serverCounters(sql: Sql): Promise<ServerCounters> {
  const [r] = await sql<{ syncs: string; ms: number; timed: boolean; fpi: string; bytes: string; deadlocks: string }[]>`
    select wal_sync as syncs, wal_sync_time as ms, current_setting('track_wal_io_timing')::bool as timed,
           wal_fpi as fpi, wal_bytes as bytes,
           (select deadlocks from pg_stat_database where datname = current_database()) as deadlocks
      from pg_stat_wal`;
  return { syncs: Number(r.syncs), ms: r.timed ? r.ms : null, fpi: Number(r.fpi), bytes: Number(r.bytes), deadlocks: Number(r.deadlocks) };
}

/**
 * serverCounters after the backends' late reports: a backend hands its counters to pg_stat_wal
 * and pg_stat_database when it goes idle, at most once a second, so a read right after a phase
 * missed up to a second of its flushes (a 0.5 s phase read as none at all). Reads until two reads
 * 1.1 s apart agree. Not exact: a backend that had reported less than a second before going idle
 * reports again only after PGSTAT_IDLE_INTERVAL (10 s), so some of a phase's flushes, full-page
 * images and deadlocks can land in the next phase's figures; totals over a run are right.
 */
export async function settledServerCounters(sql: Sql): Promise<ServerCounters> {
  let last = await serverCounters(sql);
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 1_100));
    const next = await serverCounters(sql);
    if (next.syncs === last.syncs && next.bytes === last.bytes && next.deadlocks === last.deadlocks) return next;
    last = next;
  }
  return last;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * CPU seconds PostgreSQL's processes have used so far (user + system, from /proc): the
 * postmaster of `dataDir` and its children (backends, WAL writer, checkpointer), or, for a server
 * named by DATABASE_URL, every process called `postgres` on the machine. A backend that exits
 * takes its time with it: read it around a phase whose pool stays connected.
 */
export function postgresCpuSeconds(dataDir?: string): number {
  const tick = 100; // USER_HZ on Linux
  let postmaster: number | undefined;
  if (dataDir) postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // comm may hold spaces: the fields after it start past the last ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(f[1]);
    const ours = postmaster ? pid === postmaster || ppid === postmaster : comm === 'postgres';
    if (ours) total += (Number(f[11]) + Number(f[12])) / tick;
  }
  return total;
}

/**
 * bench/labeling: simulated labelers over real HTTP GraphQL + Socket.io, beside the raw floor:
 * the same service calls on `postgres` directly, with no HTTP, GraphQL or sockets in between.
 *
 * A third row, the stepwise service path (statement by statement, as before issue #14), is the
 * same-run baseline for the floor. Every floor and HTTP row also runs on the schema before the
 * label path's last migration (`--baseline-migration 17`: before 0018; its own database and API
 * process), in the same run.
 *
 * Saturated mode: every labeler labels as fast as the server answers (throughput, p50/p99 of
 * label → next assignment). Think-time mode (`--think-ms 1000-3000`): each connected labeler
 * waits a random 1–3 s between labels, as a person does, at each size in `--think-labelers`;
 * it reports p50/p95/p99 of label → next assignment and the API process's RSS (the API runs in a
 * child process, api-child.ts, so its memory and event loop are its own).
 *
 * CPU per label, by process: the API's (its own child process), PostgreSQL's (every process of its
 * server, from /proc) and the simulated labelers' (this process). On a 2-core machine the three
 * share the cores, so saturated throughput is at most 2,000 / (their sum in ms) labels/s: the
 * columns say which one to cut. The labelers post with node:http keep-alive (helpers/http-client),
 * not fetch, whose web streams cost this process more CPU per label than the API spent.
 *
 * Statements per label are counted with the driver's statement hook (`onStatement`, no stack
 * capture per query): on the floor, every statement the floor's client sends; over HTTP, every
 * statement the API's own pool sends while the labelers work (session lookups, role checks, the
 * label, the lease, socket fan-out queries), divided by the labels stored. `pg_stat_statements`
 * is not loaded on these machines.
 *
 *   npx tsx bench/labeling/run.ts [--labelers 200] [--labels-each 10]
 *                                 [--think-ms 1000-3000] [--think-labelers 200,1000] [--think-labels-each 5]
 *                                 [--think-start steady|synchronized] [--think-lead-in 2000] [--think-last-first]
 *                                 [--baseline-migration 17]
 *                                 [--only floor,stepwise,http,think] [--no-baseline] [--compare-api DIR] [--repeat 1]
 *                                 [--warm-labels 4000] [--api-tsx] [--pg-side name=value[,…]]… [--disk-probe] [--timeline]
 *   npx tsx bench/labeling/run.ts --quick      # 100 × 5 saturated, think time at 200 and 1,000, both schemas, after a 4,000-label warm-up each: a few minutes
 *
 * Iterating faster: `--only` runs just the named paths (floor = raw floor, stepwise = the
 * pre-#14 service path, http = saturated HTTP, think = think-time sizes); `--no-baseline` skips
 * the schema before 0015. `--compare-api DIR` adds a side whose API process is another checkout's
 * (DIR/apps/api/src/server/start.ts built as this checkout's API is, with this checkout's
 * packages, e.g. a worktree of the commit before a change, driven by this api-child.ts), on a
 * database of this checkout's schema: the API code before a change, measured in the same run as
 * after it. Its statements are not counted when its API has no `onStatement`. `--repeat N` runs
 * the floor and the saturated HTTP phase N times per side, one beside the other, alternating the
 * sides' order and which of the two goes first (the ratio is of the means; each round's is
 * printed too). The API CPU column is the API process's CPU time per label (user + system). Other load
 * on a shared machine disturbs it less than labels/s, but not little: at load averages of 10–15
 * on 2 cores one API's figure varied from 1.6 to 3.3 ms across rounds of one run, so compare the
 * sides' means over several rounds. BENCH_API_NODE_ARGS="--flag …" passes node flags to the API
 * process only (V8 GC flags were tried that way).
 *
 * Warm, as a server is: every side's API first answers `--warm-labels` labels over HTTP (a
 * printed row, outside the ratio), as the floor runs after a warm-up in this process. The API
 * runs with NODE_ENV=production, as its image sets, and built to JavaScript as its image runs it
 * (apps/api/build.ts; `--api-tsx` runs it from the sources under tsx instead).
 *
 * Profiling the API: BENCH_API_CPU_PROF=dir writes one V8 CPU profile per phase and API process
 * (reset → stats, so start-up and seeding stay out); BENCH_API_HEAP_SNAPSHOT=dir a heap snapshot
 * at the end of each phase (see api-child.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { benchDatabase, migrationsUpTo, percentile, type ServerCounters } from '../helpers/bench-db.js';
import { jsonClient, TransportError } from '../helpers/http-client.js';
import { loopDelay } from '../helpers/loop-delay.js';
import { diskProbe } from '../helpers/disk-probe.js';
import { SOCKET_HEADER } from '@concord/contracts';
import { fork, type ChildProcess } from 'node:child_process';
import { createProject } from '@concord/api/projects/projects.queries';
import { nextSlice } from '@concord/api/assignment/assignment.service';
import { submitLabel, submitLabelStepwise } from '@concord/api/labels/labels.service';
import { hashPassword } from '@concord/api/auth/passwords';
import { createSession } from '@concord/api/auth/sessions.queries';
import { createSql, listMigrations, type Sql } from '@concord/db';
import { bundleForNode } from '@concord/api/build';

const quick = process.argv.includes('--quick');
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : fallback;
}
const LABELERS = Number(arg('labelers', quick ? '100' : '200'));
const EACH = Number(arg('labels-each', quick ? '5' : '10'));
const thinkGiven = quick || process.argv.includes('--think-ms');
const [THINK_MIN, THINK_MAX] = arg('think-ms', '1000-3000').split('-').map(Number);
const THINK_SIZES = arg('think-labelers', '200,1000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const THINK_EACH = Number(arg('think-labels-each', quick ? '3' : '5'));
/** How a timed think phase starts: `steady` (each labeler mid-session, see residualThinkMs) or `synchronized` (everyone starts a full think at once). */
const THINK_START = arg('think-start', 'steady');
if (THINK_START !== 'steady' && THINK_START !== 'synchronized') throw new Error(`--think-start takes steady or synchronized; got ${THINK_START}`);
/**
 * The bare disk's flush latency beside each timed phase (helpers/disk-probe.ts). Off unless asked
 * for: its 50 writes and flushes a second share the disk and the cores with the phase it watches.
 */
const DISK_PROBE = process.argv.includes('--disk-probe');
/** Think phases also print, per second of the phase, the labels sent in it and their p50/p99/max. */
const TIMELINE = process.argv.includes('--timeline');
/** The sides' think phases in the opposite order (the side that runs later has shown the longer tail): code told from order. */
const THINK_LAST_FIRST = process.argv.includes('--think-last-first');
/**
 * A think phase's first ms are a lead-in: labelers label as in the rest of the phase, but their
 * labels stay out of the row's latencies (printed beside them). Mid-session (--think-start
 * steady) is about the labelers; without a lead-in the server was not: it came from a second of
 * idle (the checkpoint and the counters' read), and the first 0.5–1.5 s after that idle made
 * the phase's p99 (stop 30, --timeline: p50 58–113 ms in the first 250–500 ms, 8–23 ms from
 * 1.5 s on).
 */
const THINK_LEAD_IN_MS = Number(arg('think-lead-in', '2000'));
if (!(THINK_LEAD_IN_MS >= 0)) throw new Error(`--think-lead-in takes milliseconds (0 for none); got ${arg('think-lead-in', '')}`);
/**
 * The same-run baseline's schema: migrations up to this one (0017: before 0018). Not below 0015:
 * the service code the floor's warm-up and first leases use reads slices.leases_open (0015).
 */
const BASELINE_MIGRATION = Number(arg('baseline-migration', '17'));
const PATHS = ['floor', 'stepwise', 'http', 'think'] as const;
const ONLY = new Set(arg('only', PATHS.join(',')).split(','));
for (const p of ONLY) if (!(PATHS as readonly string[]).includes(p)) throw new Error(`--only takes ${PATHS.join(', ')}; got ${p}`);
const BASELINE = !process.argv.includes('--no-baseline');
/** Saturated HTTP rounds per side, sides alternating order each round (ABBA), so load drift on a shared machine falls on both. */
const REPEAT = Number(arg('repeat', '1'));
/** This checkout's API from its TypeScript sources under tsx, instead of built as its image runs it. */
const API_TSX = process.argv.includes('--api-tsx');
/** Untimed labels over HTTP before any timed HTTP phase, per side (the API process's warm-up). */
const WARM_LABELS = Number(arg('warm-labels', '4000'));
const COMPARE_API = arg('compare-api', '');
/**
 * `--pg-side name=value[,name=value]` (repeatable): another side of this checkout whose embedded
 * server runs with those settings (reloadable ones), e.g. wal_compression=lz4: a server setting
 * measured against the defaults in the same run.
 */
const PG_SIDES = process.argv
  .flatMap((a, i) => (a === '--pg-side' && process.argv[i + 1] ? [process.argv[i + 1]] : []))
  .map((spec) =>
    Object.fromEntries(
      spec.split(',').map((kv) => {
        const [k, ...v] = kv.split('=');
        if (!k || !v.length) throw new Error(`--pg-side takes name=value[,name=value]; got ${spec}`);
        return [k.trim(), v.join('=').trim()];
      }),
    ),
  );
if (COMPARE_API && !fs.existsSync(path.join(COMPARE_API, 'apps/api/src/server/start.ts'))) {
  throw new Error(`--compare-api ${COMPARE_API}: no bench/labeling/api-child.ts there; name a Concord checkout with node_modules`);
}
if (BASELINE_MIGRATION < 15)
  throw new Error(`--baseline-migration ${BASELINE_MIGRATION}: 15 or later (this checkout's lease code reads slices.leases_open, added by 0015)`);
for (const [k, v] of Object.entries({ LABELERS, EACH, THINK_MIN, THINK_MAX, THINK_EACH, BASELINE_MIGRATION, REPEAT, WARM_LABELS })) {
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad ${k}: ${v}; see the usage at the top of bench/labeling/run.ts`);
}

async function seed(sql: Sql, tag: string, labelers: number, each: number) {
  const p = await createProject(sql, { name: `bench-${tag}` });
  const slices = Math.ceil((labelers * each) / 2) + labelers * 2;
  const [pat] = await sql`insert into patients (project_id, pseudonym) values (${p.id}, ${tag}) returning id`;
  const [st] = await sql`insert into studies (project_id, patient_id, study_uid) values (${p.id}, ${pat.id}, ${'2.25.' + tag}) returning id`;
  const [se] = await sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${p.id}, ${st.id}, ${'2.25.9' + tag}, 8, 8) returning id`;
  await sql`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
            select ${p.id}, ${se.id}, ${'2.25.' + tag + '.'} || g, g, g, ${'0'.repeat(64)}, 2 from generate_series(1, ${slices}) g`;
  // One hash for everyone: argon2 is deliberately slow and is not what this measures.
  const hash = await hashPassword('password123');
  const users = await sql<{ id: string; username: string }[]>`
    insert into users (username, password_hash) select ${tag} || '_' || g, ${hash} from generate_series(1, ${labelers}) g returning id, username`;
  await sql`insert into user_roles (user_id, role) select id, 'LABELER' from users where username like ${tag + '_%'}`;
  await sql`insert into project_members (project_id, user_id) select ${p.id}, id from users where username like ${tag + '_%'}`;
  return { projectId: p.id, users };
}

interface Result {
  label: string;
  labels: number;
  /** Labels stored per second over the phase, a think phase's lead-in included. */
  perSec: number;
  p50: number;
  p95: number;
  p99: number;
  statements?: number;
  rssMb?: number;
  /** The API process's CPU time per label (user + system), ms. */
  cpuMs?: number;
  /** PostgreSQL's CPU time per label (every process of its server), ms. */
  pgCpuMs?: number;
  /** This process's CPU time per label (the simulated labelers: HTTP and socket clients, or the floor's driver), ms. */
  benchCpuMs?: number;
  /** The API process's event-loop delay over the phase, p99 and max, ms (GC pauses and long tasks show here). */
  loopMs?: [number, number];
  /** This process's event-loop delay over the phase, p99 and max, ms: a late labeler inflates the latencies it measures. */
  benchLoopMs?: [number, number];
  /** PostgreSQL's WAL flushes over the phase: how many per label, and their mean duration, ms. */
  /** meanMs is null where the server does not time its flushes (a DATABASE_URL server). */
  wal?: { perLabel: number; meanMs: number | null };
  /** WAL full-page images and kB per label over the phase (pages first changed since the last checkpoint). */
  walVolume?: { fpiPerLabel: number; kbPerLabel: number };
  /** The bare disk's 8 KB write + fdatasync latency over the phase (diskProbe), ms. */
  disk?: { n: number; p99: number; max: number };
  /** Deadlocks PostgreSQL detected over the phase (each: a label waited deadlock_timeout, 1 s, and ran again). */
  deadlocks?: number;
  /** p99 of the labels sent in the first and in the second half of the phase, ms. */
  halves?: [number, number];
  /** Every label stored in the phase, timed or not (per-label CPU, WAL and statements divide by it). */
  stored: number;
  /** A think phase's lead-in (`--think-lead-in`): labels sent in it, and their p99, ms; not in the row's latencies. */
  leadIn?: [number, number];
  /** Labels sent over a new connection and over a reused one: how many, and their p99, ms. */
  byConnection?: { fresh: [number, number]; reused: [number, number] };
  failed?: number;
  /** Why those labelers' requests failed: the transport error codes, counted. */
  failures?: string;
}

/**
 * Before each timed phase, every side's server writes out its dirty pages (CHECKPOINT), so a
 * phase does not pay for the previous one's writes, or for a timed checkpoint that would fall
 * inside it: a run lasts about checkpoint_timeout (5 min), and a commit waits on WAL flushes that
 * slowed from about 1 ms to 2-6 ms while a checkpoint or a fresh database's writes were on disk.
 */
let settle: () => Promise<void> = async () => {};

const benchLoop = loopDelay();

/**
 * One path's labels, timed. With 2 cores shared by PostgreSQL, the API and the simulated
 * labelers, throughput is bounded by the CPU each spends per label: all three are measured.
 */
async function run(
  label: string,
  n: number,
  work: (i: number) => Promise<number[]>,
  db?: { cpuSeconds(): number; counters(): Promise<ServerCounters>; dataDir?: string },
  /** Labels stored in the phase but left out of its latencies (a think phase's lead-in): CPU, WAL and statements per label count them. */
  untimed: () => number = () => 0,
): Promise<Result> {
  await settle();
  const before = await db?.counters();
  const probe = DISK_PROBE && db?.dataDir ? diskProbe(db.dataDir) : undefined;
  const pg0 = db?.cpuSeconds();
  const cpu0 = process.cpuUsage();
  benchLoop.reset();
  const t0 = performance.now();
  const lat = (await Promise.all(Array.from({ length: n }, (_, i) => work(i)))).flat().sort((a, b) => a - b);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const stored = lat.length + untimed();
  const pgCpuMs = db && pg0 !== undefined ? ((db.cpuSeconds() - pg0) * 1000) / stored : undefined;
  const benchCpuMs = (cpu.user + cpu.system) / 1000 / stored;
  const disk = await probe?.stop();
  const after = await db?.counters();
  return {
    label,
    labels: lat.length,
    stored,
    perSec: stored / secs,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
    pgCpuMs,
    benchCpuMs,
    benchLoopMs: benchLoop.read(),
    ...(before && after ? serverFigures(before, after, stored) : {}),
    disk,
  };
}

/** A phase's WAL flushes, WAL volume and deadlocks, from the server's counters around it. */
function serverFigures(c0: ServerCounters, c1: ServerCounters, labels: number): Pick<Result, 'wal' | 'walVolume' | 'deadlocks'> {
  const syncs = c1.syncs - c0.syncs;
  const flushMs = c0.ms == null || c1.ms == null ? null : c1.ms - c0.ms;
  return {
    wal: { perLabel: syncs / labels, meanMs: flushMs == null ? null : syncs ? flushMs / syncs : 0 },
    walVolume: { fpiPerLabel: (c1.fpi - c0.fpi) / labels, kbPerLabel: (c1.bytes - c0.bytes) / 1024 / labels },
    deadlocks: c1.deadlocks - c0.deadlocks,
  };
}

function printRow(r: Result): Result {
  const label = r.failed ? `${r.label} (${r.failed} labelers stopped: request failed)` : r.label;
  console.log(
    label.padEnd(60),
    String(r.labels).padStart(7),
    r.perSec.toFixed(1).padStart(9),
    r.p50.toFixed(1).padStart(8),
    r.p95.toFixed(1).padStart(8),
    r.p99.toFixed(1).padStart(8),
    (r.statements ?? NaN).toFixed(1).padStart(6),
    (r.rssMb == null ? '-' : r.rssMb.toFixed(0)).padStart(7),
    (r.cpuMs == null ? '-' : r.cpuMs.toFixed(2)).padStart(8),
    (r.pgCpuMs == null ? '-' : r.pgCpuMs.toFixed(2)).padStart(7),
    (r.benchCpuMs == null ? '-' : r.benchCpuMs.toFixed(2)).padStart(9),
    (r.loopMs == null ? '-' : `${r.loopMs[0].toFixed(0)}/${r.loopMs[1].toFixed(0)}`).padStart(10),
    (r.benchLoopMs == null ? '-' : `${r.benchLoopMs[0].toFixed(0)}/${r.benchLoopMs[1].toFixed(0)}`).padStart(11),
    (r.wal == null ? '-' : `${r.wal.perLabel.toFixed(2)}/${r.wal.meanMs == null ? '-' : r.wal.meanMs.toFixed(1)}`).padStart(10),
  );
  if (r.failures) console.log(' '.repeat(4), `failed requests: ${r.failures}`);
  if (r.halves || r.disk || r.walVolume || r.leadIn)
    console.log(
      ' '.repeat(4),
      [
        r.leadIn ? `lead-in (first ${THINK_LEAD_IN_MS} ms, not in the row): ${r.leadIn[0]} labels, p99 ${r.leadIn[1].toFixed(1)} ms` : '',
        r.halves ? `p99 of labels sent in the phase's first / second half: ${r.halves[0].toFixed(1)} / ${r.halves[1].toFixed(1)} ms` : '',
        r.byConnection
          ? `over a new connection ${r.byConnection.fresh[0]} labels, p99 ${r.byConnection.fresh[1].toFixed(1)} ms; over a reused one ${r.byConnection.reused[0]}, p99 ${r.byConnection.reused[1].toFixed(1)} ms`
          : '',
        r.disk ? `bare disk 8 KB write+fdatasync p99/max: ${r.disk.p99.toFixed(1)}/${r.disk.max.toFixed(1)} ms (${r.disk.n})` : '',
        r.deadlocks !== undefined ? `deadlocks: ${r.deadlocks}` : '',
        r.walVolume ? `WAL per label: ${r.walVolume.fpiPerLabel.toFixed(2)} full-page images, ${r.walVolume.kbPerLabel.toFixed(1)} kB` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  return r;
}

/**
 * api-child.ts and the API built into one file the way apps/api/build.ts builds the image's, run
 * with plain node (built once per run, into bench/labeling/dist, removed at the end).
 */
const CHILD_DIST = path.join(import.meta.dirname, 'dist');
let built: Promise<string> | undefined;
function builtChild(): Promise<string> {
  built ??= bundleForNode({ 'api-child': path.join(import.meta.dirname, 'api-child.ts') }, CHILD_DIST).then(() => path.join(CHILD_DIST, 'api-child.mjs'));
  return built;
}

/** p99 of latencies in any order. */
const p99Of = (ms: number[]) =>
  percentile(
    [...ms].sort((a, b) => a - b),
    99,
  );

/** Per second of a think phase, lead-in included: labels sent in it, and their latency p50 / p99 / max (`--timeline`). */
function printTimeline(sent: { at: number; ms: number }[], leadInEnds: number): void {
  const t0 = Math.min(...sent.map((x) => x.at));
  console.log(`     timeline (s from the first label sent; the lead-in ends at ${((leadInEnds - t0) / 1000).toFixed(1)} s):`);
  const bySecond: number[][] = [];
  for (const x of sent) {
    const sec = Math.floor((x.at - t0) / 1000);
    const bucket = bySecond[sec] ?? [];
    bucket.push(x.ms);
    bySecond[sec] = bucket;
  }
  for (const [sec, ms] of bySecond.entries()) {
    const sorted = (ms ?? []).sort((a, b) => a - b);
    console.log(
      `     ${String(sec).padStart(3)} s: ${String(sorted.length).padStart(4)} labels, p50 ${percentile(sorted, 50).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`,
    );
  }
}

const think = () => new Promise((r) => setTimeout(r, THINK_MIN + randomInt(Math.max(1, THINK_MAX - THINK_MIN + 1))));

/**
 * A labeler's first wait when a timed think phase starts, with `--think-start steady` (default):
 * how long until the next label of someone already mid-session, i.e. the time left of a think
 * drawn where a random instant falls (the renewal process's residual: density P(think > x) /
 * mean think; drawn by rejection from uniform [0, THINK_MAX]). All 1,000 labelers starting a full
 * think at the same instant instead sends a wave of first and second labels about 1.4 times the
 * steady rate (about 700/s against 500/s at 1,000 labelers, 2.5–3 s in; simulated), near what
 * two cores serve saturated: that start-up queue, not the label path at 1,000 people, made most
 * of the phase's p99 (`--think-start synchronized` keeps it, for comparison).
 */
function residualThinkMs(): number {
  for (;;) {
    const x = randomInt(THINK_MAX + 1);
    const longer = x <= THINK_MIN ? 1 : (THINK_MAX - x) / Math.max(1, THINK_MAX - THINK_MIN);
    if (Math.random() < longer) return x;
  }
}

/**
 * The API in its own process (api-child.ts, of this checkout or of `checkout`); `ask` sends one
 * message and awaits the answer.
 */
/**
 * Another checkout's API server (its apps/api/src/server/start.ts) built the same way, into
 * bench/labeling/dist-compare, so `--compare-api` compares built code with built code: under tsx
 * the Express path cost about 0.4 ms more per label than built, which a built API never pays.
 * Its npm packages and workspace packages resolve from this checkout's node_modules.
 */
const COMPARE_DIST = path.join(import.meta.dirname, 'dist-compare');
async function builtCheckout(checkout: string): Promise<string> {
  await bundleForNode({ 'api-start': path.join(checkout, 'apps/api/src/server/start.ts') }, COMPARE_DIST);
  return path.join(COMPARE_DIST, 'api-start.mjs');
}

async function startApiChild(databaseUrl: string, dataDir: string, migrationsDir?: string, checkout?: string) {
  const script = API_TSX ? path.join(import.meta.dirname, 'api-child.ts') : await builtChild();
  const checkoutBundle = checkout && !API_TSX ? await builtCheckout(checkout) : '';
  const child: ChildProcess = fork(script, [], {
    // BENCH_API_NODE_ARGS: extra node flags for the API process only (e.g. V8 GC flags to try).
    execArgv: [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: {
      ...process.env,
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_DATA_DIR: dataDir,
      BENCH_MIGRATIONS_DIR: migrationsDir ?? '',
      BENCH_API_CHECKOUT: checkout ?? '',
      BENCH_API_CHECKOUT_BUNDLE: checkoutBundle,
      // As the API image runs it (apps/api/Dockerfile): graphql-js, for one, checks every
      // instanceOf for duplicate module copies unless NODE_ENV is production.
      NODE_ENV: 'production',
    },
  });
  const next = () =>
    new Promise<any>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the API process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const { url } = (await next()) as { url: string };
  return {
    url,
    /** `phase` names the CPU profile a reset starts (BENCH_API_CPU_PROF). */
    async ask(op: 'stats' | 'reset', phase?: string): Promise<{ statements: number; maxRss: number; cpuMs: number; loop: [number, number] }> {
      const answer = next();
      child.send({ op, phase });
      return answer;
    },
    async close(): Promise<void> {
      if (child.exitCode != null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ op: 'close' });
      await exited;
    },
  };
}

/** One schema's database and API: every path runs on both, `tag` naming the rows. */
interface Side {
  tag: string;
  db: Awaited<ReturnType<typeof benchDatabase>>;
  api: Awaited<ReturnType<typeof startApiChild>>;
  floorSql: Sql;
  floorStatements: number;
  /** The simulated labelers' HTTP client (keep-alive, node:http). */
  http: ReturnType<typeof jsonClient>;
  dataDir: string;
  migrationsDir?: string;
}

async function side(tag: string, migrationsDir?: string, checkout?: string, settings?: Record<string, string>): Promise<Side> {
  const db = await benchDatabase({ migrationsDir, settings });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-bench-'));
  // Another checkout's API migrates with this checkout's migrations: its own folder may lack the
  // newest, and it refuses a database newer than its code.
  let api: Awaited<ReturnType<typeof startApiChild>>;
  try {
    api = await startApiChild(db.url, dataDir, migrationsDir ?? (checkout ? path.dirname(listMigrations()[0].file) : undefined), checkout);
  } catch (e) {
    // An API that would not start (e.g. an older checkout) leaves no database or directory behind.
    await db.done();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const s: Side = { tag, db, api, floorSql: undefined as unknown as Sql, floorStatements: 0, http: jsonClient(api.url), dataDir, migrationsDir };
  s.floorSql = createSql(db.url, {
    max: 20,
    appName: 'concord-bench-floor',
    onStatement: () => {
      s.floorStatements++;
    },
  });
  return s;
}

async function main() {
  // The same run measures the schema before this issue's last migration (0015, the label path's
  // speed) beside the current one: every path on both, in turn, on the same machine and load.
  // Sides already started are closed if a later one fails to start (their API processes and
  // embedded servers outlived such a run).
  const started: Side[] = [];
  const startSide = async (...args: Parameters<typeof side>) => {
    try {
      const sd = await side(...args);
      started.push(sd);
      return sd;
    } catch (e) {
      await closeSides(started);
      throw e;
    }
  };
  const before = BASELINE ? await startSide(`before ${String(BASELINE_MIGRATION + 1).padStart(4, '0')}`, migrationsUpTo(BASELINE_MIGRATION)) : undefined;
  const now = await startSide('now');
  // Another checkout's API on this checkout's schema: the API before a change, in the same run.
  const compare = COMPARE_API ? await startSide(`API of ${COMPARE_API}`, undefined, COMPARE_API) : undefined;
  const tuned: Side[] = [];
  for (const settings of PG_SIDES)
    tuned.push(
      await startSide(
        `now, ${Object.entries(settings)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
        undefined,
        undefined,
        settings,
      ),
    );
  const sides = [before, compare, ...tuned, now].filter((sd): sd is Side => sd !== undefined);
  settle = async () => {
    await Promise.all(sides.map((sd) => sd.db.sql`checkpoint`));
  };
  const sockets: Socket[] = [];
  try {
    console.log(
      `bench/labeling — saturated ${LABELERS} labelers × ${EACH} labels; think time ${thinkGiven ? `${THINK_SIZES.join(', ')} labelers × ${THINK_EACH} labels, ${THINK_MIN}–${THINK_MAX} ms between labels, starting ${THINK_START === 'steady' ? 'mid-session (--think-start steady)' : 'all at once (--think-start synchronized)'}` : 'off'}; ${os.cpus().length} cores, one API process`,
    );
    console.log(
      'latency = label sent → next assignment in hand; statements = SQL statements per label (driver statement hook); RSS = the API process alone (its own child process), max over the phase; API CPU = its CPU time (user + system) per label, ms; API loop, bench loop = the event-loop delay of the API process and of this one, p99/max ms; WAL flush = the PostgreSQL server WAL flushes per label / their mean ms (a commit waits for its flush); PG CPU = PostgreSQL (all its processes), bench CPU = the simulated labelers (this process), both ms per label',
    );
    if (before) {
      console.log(
        `"${before.tag}" = the schema up to migration ${String(BASELINE_MIGRATION).padStart(4, '0')} (its own database and API process), measured in this run beside "now"; rows print as each phase ends`,
      );
    }
    if (compare)
      console.log(
        `"${compare.tag}" = that checkout's API code on this checkout's schema, measured in this run beside "now"; built like this checkout's (under tsx with --api-tsx)`,
      );
    console.log(
      API_TSX
        ? "this checkout's API runs from its TypeScript sources under tsx (--api-tsx)"
        : "this checkout's API runs built to JavaScript with plain node, as its image runs it (apps/api/build.ts)",
    );
    console.log(
      `load average at start: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    console.log(
      'path'.padEnd(60),
      'labels'.padStart(7),
      'labels/s'.padStart(9),
      'p50 ms'.padStart(8),
      'p95 ms'.padStart(8),
      'p99 ms'.padStart(8),
      'stmts'.padStart(6),
      'RSS MB'.padStart(7),
      'API CPU'.padStart(8),
      'PG CPU'.padStart(7),
      'bench CPU'.padStart(9),
      'API loop'.padStart(10),
      'bench loop'.padStart(11),
      'WAL flush'.padStart(10),
    );
    // Untimed warm-up, so neither timed path pays for a cold database and JIT (the first path
    // measured used to look up to 1.5x slower than the second, whichever it was).
    for (const sd of sides) {
      const warm = await seed(sd.db.sql, 'warm', 20, 3);
      await Promise.all(
        warm.users.map(async (u) => {
          for (let k = 0; k < 3; k++) {
            const a = await nextSlice(sd.floorSql, warm.projectId, u.id);
            if (a) await submitLabel(sd.floorSql, { sliceId: a.sliceId, userId: u.id, value: k % 2, clientRequestId: randomUUID() });
          }
        }),
      );
    }

    // Floor: the same service calls straight on postgres.
    const floorOn = async (sd: Side, round = 0) => {
      const floorSeed = await seed(sd.db.sql, round ? `floor${round}` : 'floor', LABELERS, EACH);
      // Each path's first leases are taken before its clock and counters start: the figures are
      // per label (label → next assignment), not the session's first request.
      const floorFirst = await Promise.all(floorSeed.users.map((u) => nextSlice(sd.floorSql, floorSeed.projectId, u.id)));
      sd.floorStatements = 0;
      const floor = await run(
        `raw service floor (no HTTP), ${sd.tag}`,
        LABELERS,
        async (i) => {
          const u = floorSeed.users[i];
          const lat: number[] = [];
          let a = floorFirst[i];
          for (let k = 0; k < EACH && a; k++) {
            const t = performance.now();
            const r = await submitLabel(sd.floorSql, { sliceId: a.sliceId, userId: u.id, value: k % 2, clientRequestId: randomUUID(), lease: 1 });
            a = r.next?.[0] ?? null;
            lat.push(performance.now() - t);
          }
          return lat;
        },
        sd.db,
      );
      floor.statements = sd.floorStatements / floor.labels;
      return printRow(floor);
    };
    const floors = new Map<Side, Result[]>();

    // The statement-by-statement service path before migration 0012 (submit in a transaction,
    // then nextSlice), on the same client.
    const stepwiseOn = async () => {
      const stepSeed = await seed(now.db.sql, 'step', LABELERS, EACH);
      const stepFirst = await Promise.all(stepSeed.users.map((u) => nextSlice(now.floorSql, stepSeed.projectId, u.id)));
      now.floorStatements = 0;
      const stepwise = await run(
        'stepwise service (before #14, no HTTP)',
        LABELERS,
        async (i) => {
          const u = stepSeed.users[i];
          const lat: number[] = [];
          let a = stepFirst[i];
          for (let k = 0; k < EACH && a; k++) {
            const t = performance.now();
            await submitLabelStepwise(now.floorSql, { sliceId: a.sliceId, userId: u.id, value: k % 2, clientRequestId: randomUUID() });
            a = await nextSlice(now.floorSql, stepSeed.projectId, u.id);
            lat.push(performance.now() - t);
          }
          return lat;
        },
        now.db,
      );
      stepwise.statements = now.floorStatements / stepwise.labels;
      return printRow(stepwise);
    };
    const stepwise = ONLY.has('stepwise') ? await stepwiseOn() : undefined;

    // A keep-alive connection the server closes just as the client reuses it fails with
    // ECONNRESET (idle 1–3 s under load): sent again, with the same clientRequestId, so a submit
    // the server did store answers as a duplicate (with its next lease). Counted and printed.
    let resets = 0;
    /** Filled by a request for whoever passed it: whether its answer came over a new connection. */
    type Via = { newConnection?: boolean };
    const gqlOnce = async (sd: Side, token: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}, via?: Via) => {
      const r = await sd.http.post('/graphql', { ...headers, authorization: `Bearer ${token}` }, { query, variables });
      if (via) via.newConnection = r.newConnection;
      const body = r.body as { data?: any; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(body.errors[0].message);
      return body.data;
    };
    const gql = async (
      sd: Side,
      token: string,
      query: string,
      variables: Record<string, unknown>,
      headers?: Record<string, string>,
      via?: Via,
    ): Promise<any> => {
      try {
        return await gqlOnce(sd, token, query, variables, headers, via);
      } catch (e) {
        if (!(e instanceof TransportError && e.code === 'ECONNRESET')) throw e;
        resets++;
        return gqlOnce(sd, token, query, variables, headers, via);
      }
    };
    const NEXT = 'query($p:ID!){nextSlice(projectId:$p){id slice{id}}}';
    // The next assignment comes back with the label (submitLabel { next }): one request per label.
    const SUBMIT = 'mutation($s:ID!,$v:Int!,$c:ID){submitLabel(sliceId:$s,value:$v,clientRequestId:$c){ok next{id slice{id}} progress{readsDone queueSize}}}';
    /** One label and the next assignment in hand. */
    const labelOnce = async (sd: Side, token: string, sliceId: string, value: number, socket: Socket, via?: Via): Promise<string | null> => {
      // As the web app's label: its progress in the answer, its own socket named [RT5].
      const d = await gql(sd, token, SUBMIT, { s: sliceId, v: value, c: randomUUID() }, socket.id ? { [SOCKET_HEADER]: socket.id } : {}, via);
      return d.submitLabel.next?.slice.id ?? null;
    };
    let events = 0;
    const connect = async (sd: Side, tag: string, n: number, each: number) => {
      const s = await seed(sd.db.sql, tag, n, each);
      const tokens = await Promise.all(s.users.map(async (u) => (await createSession(sd.db.sql, u.id, 2)).token));
      const mine: Socket[] = [];
      for (let i = 0; i < tokens.length; i += 100) {
        mine.push(
          ...(await Promise.all(
            tokens.slice(i, i + 100).map(async (token) => {
              const so = io(sd.api.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
              await new Promise<void>((res, rej) => {
                so.once('connect', () => res());
                so.once('connect_error', rej);
              });
              await so.emitWithAck('join', { projectId: s.projectId });
              so.on('event', () => {
                events++;
              });
              return so;
            }),
          )),
        );
      }
      sockets.push(...mine);
      return { ...s, tokens, sockets: mine };
    };

    const saturatedOn = async (sd: Side, seedTag: string, label: string, each: number) => {
      const httpSeed = await connect(sd, seedTag, LABELERS, each);
      const httpFirst = await Promise.all(
        httpSeed.tokens.map(async (token) => (await gql(sd, token, NEXT, { p: httpSeed.projectId })).nextSlice?.slice.id ?? null),
      );
      await sd.api.ask('reset', seedTag);
      const http = await run(
        label,
        LABELERS,
        async (i) => {
          const lat: number[] = [];
          let slice: string | null = httpFirst[i];
          for (let k = 0; k < each && slice; k++) {
            const t = performance.now();
            slice = await labelOnce(sd, httpSeed.tokens[i], slice, k % 2, httpSeed.sockets[i]);
            lat.push(performance.now() - t);
          }
          return lat;
        },
        sd.db,
      );
      const httpStats = await sd.api.ask('stats');
      http.statements = httpStats.statements ? httpStats.statements / http.labels : NaN;
      http.rssMb = httpStats.maxRss / 2 ** 20;
      http.cpuMs = httpStats.cpuMs / http.labels;
      http.loopMs = httpStats.loop;
      return printRow(http);
    };
    // A server answers labels for hours; the floor above runs in this process after its own
    // warm-up. The API process gets the same: its first WARM_LABELS labels over HTTP, printed but
    // out of the ratio. Cold, the first 2,000 cost about twice the API CPU of the next (V8 has not
    // yet optimised the request path), which the saturated row used to measure.
    if (WARM_LABELS > 0 && (ONLY.has('http') || ONLY.has('think'))) {
      for (const sd of sides) {
        const open = sockets.length;
        await saturatedOn(sd, 'warm_http', `HTTP warm-up, first ${WARM_LABELS} labels after start, ${sd.tag}`, Math.ceil(WARM_LABELS / LABELERS));
        for (const so of sockets.splice(open)) so.disconnect();
      }
    }
    // Floor and saturated HTTP side by side, round by round: the ratio compares phases minutes
    // apart otherwise, and this disk's flush time (which both follow) drifts over minutes. Rounds
    // alternate the sides' order and, within a side, which path goes first (ABBA), so drift falls
    // on both; the ratio is of the rounds' means.
    const saturated = new Map<Side, Result[]>();
    const add = (m: Map<Side, Result[]>, sd: Side, r: Result) => m.set(sd, [...(m.get(sd) ?? []), r]);
    for (let round = 0; round < REPEAT; round++) {
      for (const sd of round % 2 ? [...sides].reverse() : sides) {
        const floor = async () => add(floors, sd, await floorOn(sd, round));
        const http = async () =>
          add(saturated, sd, await saturatedOn(sd, round ? `http${round}` : 'http', `HTTP GraphQL + Socket.io, saturated (${LABELERS}), ${sd.tag}`, EACH));
        const phases = [...(ONLY.has('floor') ? [floor] : []), ...(ONLY.has('http') ? [http] : [])];
        for (const phase of round % 2 ? phases.reverse() : phases) await phase();
      }
    }
    const meanPerSec = (rs: Result[]) => rs.reduce((a, r) => a + r.perSec, 0) / rs.length;

    const thinkOn = async (sd: Side, n: number) => {
      // Sockets stay connected from phase to phase: at 1,000 labelers, 1,000+ sockets are open.
      const tag = `think${n}`;
      // Slices for the lead-in too: at most one label per THINK_MIN in it.
      const s = await connect(sd, tag, n, THINK_EACH + Math.ceil(THINK_LEAD_IN_MS / Math.max(1, THINK_MIN)) + 1);
      // People arrive spread out too: 1,000 requests in the same millisecond overflow the
      // listen backlog (ECONNRESET), which no labeling session ever does.
      // An API that falls behind (connect timeouts at 1,000 labelers before 0015) stops the
      // labeler whose request failed, counted on the row, instead of ending the run.
      let failed = 0;
      const failures = new Map<string, number>();
      const failedWith = (e: TransportError) => {
        failed++;
        const key = `${e.code ?? 'no code'}: ${e.message}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      };
      /** Every label stored in the phase; `timed`: sent after the lead-in, so in the row. */
      const sent: { at: number; ms: number; newConnection: boolean; timed: boolean }[] = [];
      let leadInEnds = 0;
      const first = await Promise.all(
        s.tokens.map(async (token) => {
          await think();
          return gql(sd, token, NEXT, { p: s.projectId }).then(
            (d) => (d.nextSlice?.slice.id ?? null) as string | null,
            (e) => {
              if (!(e instanceof TransportError)) throw e;
              failedWith(e);
              return null;
            },
          );
        }),
      );
      await sd.api.ask('reset', `think${n}`);
      const r = await run(
        `HTTP, think ${THINK_MIN}–${THINK_MAX} ms (${n} labelers), ${sd.tag}`,
        n,
        async (i) => {
          const lat: number[] = [];
          let slice: string | null = first[i];
          // run() starts every labeler at its t0 (after the checkpoint and the counters' read): the lead-in runs from there.
          leadInEnds ||= performance.now() + THINK_LEAD_IN_MS;
          for (let k = 0; lat.length < THINK_EACH && slice; k++) {
            if (k === 0 && THINK_START === 'steady') await new Promise((r) => setTimeout(r, residualThinkMs()));
            else await think();
            const t = performance.now();
            const timed = t >= leadInEnds;
            let answered = true;
            const via: Via = {};
            slice = await labelOnce(sd, s.tokens[i], slice, k % 2, s.sockets[i], via).catch((e) => {
              if (!(e instanceof TransportError)) throw e;
              failedWith(e);
              answered = false;
              return null;
            });
            if (answered) {
              const ms = performance.now() - t;
              sent.push({ at: t, ms, newConnection: via.newConnection === true, timed });
              if (timed) lat.push(ms);
            }
          }
          return lat;
        },
        sd.db,
        () => sent.filter((x) => !x.timed).length,
      );
      const leadIn = sent.filter((x) => !x.timed).map((x) => x.ms);
      r.leadIn = [leadIn.length, p99Of(leadIn)];
      const stats = await sd.api.ask('stats');
      r.statements = stats.statements ? stats.statements / r.stored : NaN;
      r.rssMb = stats.maxRss / 2 ** 20;
      r.cpuMs = stats.cpuMs / r.stored;
      r.loopMs = stats.loop;
      r.failed = failed;
      r.failures = [...failures].map(([k, n]) => `${n} × ${k}`).join('; ');
      // Whether the tail is the phase's start (fresh pages after the checkpoint, sockets still
      // arriving) or steady: split at the middle of the span over which labels were sent.
      const inRow = sent.filter((x) => x.timed);
      const mid = (Math.min(...inRow.map((x) => x.at)) + Math.max(...inRow.map((x) => x.at))) / 2;
      const half = (early: boolean) => p99Of(inRow.filter((x) => x.at < mid === early).map((x) => x.ms));
      r.halves = [half(true), half(false)];
      // A labeler idle past the connection's keep-alive (4 s here, 5 s on the server) opens a new
      // one: whether those labels make the tail.
      const over = (fresh: boolean): [number, number] => {
        const ms = inRow.filter((x) => x.newConnection === fresh).map((x) => x.ms);
        return [ms.length, p99Of(ms)];
      };
      r.byConnection = { fresh: over(true), reused: over(false) };
      if (TIMELINE) printTimeline(sent, leadInEnds);
      return printRow(r);
    };
    const thinking: Result[] = [];
    if (thinkGiven && ONLY.has('think')) {
      // Each side's sockets stay open through its own phases only: the other side's API is idle.
      for (const sd of THINK_LAST_FIRST ? [...sides].reverse() : sides) {
        const open = sockets.length;
        for (const n of THINK_SIZES) thinking.push(await thinkOn(sd, n));
        for (const so of sockets.splice(open)) so.disconnect();
      }
    }

    const ratios = sides
      .filter((sd) => floors.has(sd) && saturated.has(sd))
      .map((sd) => {
        const f = floors.get(sd)!;
        const h = saturated.get(sd)!;
        const byRound = h.length > 1 ? ` (rounds ${h.map((r, i) => (r.perSec / f[i].perSec).toFixed(2)).join(' / ')})` : '';
        return `${sd.tag}: ${(meanPerSec(h) / meanPerSec(f)).toFixed(2)}${byRound}`;
      });
    const nowFloorPerSec = floors.has(now) ? meanPerSec(floors.get(now)!) : undefined;
    console.log(
      [
        ratios.length ? `HTTP/floor throughput ratio: ${ratios.join(', ')}` : '',
        nowFloorPerSec && stepwise ? `floor/stepwise: ${(nowFloorPerSec / stepwise.perSec).toFixed(2)}` : '',
        `socket events delivered: ${events}`,
        `requests sent again after ECONNRESET: ${resets}`,
        `load average at end: ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(', ')}`,
      ]
        .filter(Boolean)
        .join('; '),
    );
  } finally {
    for (const s of sockets) s.disconnect();
    await closeSides(sides);
    fs.rmSync(CHILD_DIST, { recursive: true, force: true });
    fs.rmSync(COMPARE_DIST, { recursive: true, force: true });
  }
}

async function closeSides(sides: Side[]): Promise<void> {
  for (const sd of sides) {
    await sd.floorSql.end();
    sd.http.close();
    await sd.api.close();
    await sd.db.done();
    // The data directory and a baseline's copied migrations are this run's alone.
    fs.rmSync(sd.dataDir, { recursive: true, force: true });
    if (sd.migrationsDir) fs.rmSync(sd.migrationsDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

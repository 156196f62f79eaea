/**
 * The API under test in its own process, so its RSS is its own and its event loop is not shared
 * with the simulated labelers. Counts every statement its pool sends (`onStatement`, which costs
 * nothing per query, unlike the driver's debug mode) and answers the parent's `stats` / `reset` /
 * `close` messages.
 *
 * An API without `onStatement` (an older checkout's, --compare-api) counts 0: run.ts prints none.
 *
 * BENCH_API_CPU_PROF=dir: a V8 CPU profile of each phase (from `reset` to `stats`), written as
 * `<dir>/<pid>-<phase>.cpuprofile`, so start-up, migrations and seeding stay out of it.
 * BENCH_API_HEAP_SNAPSHOT=dir: a heap snapshot at each `stats` (slow: minutes at 1,000 sockets).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { writeHeapSnapshot } from 'node:v8';
import { pathToFileURL } from 'node:url';
import type { startApiServer as StartApiServer } from '@concord/api/server/start';
import { PEERS_KNOWN_AFTER_MS } from '@concord/api/realtime/socket-server';
import { loopDelay } from '../helpers/loop-delay.js';

// BENCH_API_CHECKOUT=dir (run.ts --compare-api): that checkout's API code, driven by this file;
// built (BENCH_API_CHECKOUT_BUNDLE) unless run.ts runs APIs under tsx.
const checkout = process.env.BENCH_API_CHECKOUT;
const checkoutBundle = process.env.BENCH_API_CHECKOUT_BUNDLE;
const { startApiServer } = (await import(
  checkoutBundle
    ? pathToFileURL(checkoutBundle).href
    : checkout
      ? pathToFileURL(path.join(checkout, 'apps/api/src/server/start.ts')).href
      : '@concord/api/server/start'
)) as {
  startApiServer: typeof StartApiServer;
};

let statements = 0;
/** CPU time the API process spent in the phase (user + system): per label, robust to other load on the machine. */
let cpuFrom = process.cpuUsage();
const startedAt = Date.now();
const api = await startApiServer({
  databaseUrl: process.env.BENCH_DATABASE_URL!,
  dataDir: process.env.BENCH_DATA_DIR!,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  onStatement: () => {
    statements++;
  },
  migrationsDir: process.env.BENCH_MIGRATIONS_DIR || undefined,
});
// memoryUsage.rss() reads one figure; memoryUsage() walks the heap spaces too.
let maxRss = process.memoryUsage.rss();
setInterval(() => {
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
}, 200).unref();

const profileDir = process.env.BENCH_API_CPU_PROF;
const heapDir = process.env.BENCH_API_HEAP_SNAPSHOT;
let profiler: Session | undefined;
const loop = loopDelay();
let phase = 'phase';

process.on('message', async (m: { op: 'stats' | 'reset' | 'close'; phase?: string }) => {
  if (m.op === 'stats') {
    const cpu = process.cpuUsage(cpuFrom);
    const answer = {
      statements,
      maxRss: Math.max(maxRss, process.memoryUsage.rss()),
      cpuMs: (cpu.user + cpu.system) / 1000,
      loop: loop.read(),
    };
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      fs.writeFileSync(path.join(profileDir!, `${process.pid}-${phase}.cpuprofile`), JSON.stringify(profile));
      profiler.disconnect();
      profiler = undefined;
    }
    if (heapDir) writeHeapSnapshot(path.join(heapDir, `${process.pid}-${phase}.heapsnapshot`));
    process.send!(answer);
  } else if (m.op === 'reset') {
    // Until PEERS_KNOWN_AFTER_MS after start a node does not yet trust that it is alone and sends
    // every socket event through the cluster adapter (a NOTIFY each): a start-up transient, not
    // the steady state a phase measures, so a phase starts after it.
    const settled = startedAt + PEERS_KNOWN_AFTER_MS - Date.now();
    if (settled > 0) await new Promise((r) => setTimeout(r, settled));
    statements = 0;
    loop.reset();
    maxRss = process.memoryUsage.rss();
    cpuFrom = process.cpuUsage();
    phase = (m.phase ?? 'phase').replace(/[^\w.-]+/g, '_');
    if (profileDir) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    process.send!({ statements, maxRss });
  } else if (m.op === 'close') {
    void api.close().finally(() => process.exit(0));
  }
});
process.send!({ url: api.url });

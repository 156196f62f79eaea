/**
 * The API under test in its own process, so its RSS is its own and its event loop is not shared
 * with the simulated labelers. Counts every statement its pool sends (driver debug hook) and
 * answers the parent's `stats` / `reset` / `close` messages.
 */
import { startApiServer } from '@concord/api/server/start';

let statements = 0;
const api = await startApiServer({
  databaseUrl: process.env.BENCH_DATABASE_URL!,
  dataDir: process.env.BENCH_DATA_DIR!,
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  sqlDebug: () => {
    statements++;
  },
  migrationsDir: process.env.BENCH_MIGRATIONS_DIR || undefined,
});
let maxRss = process.memoryUsage().rss;
setInterval(() => {
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
}, 200).unref();

process.on('message', (m: { op: 'stats' | 'reset' | 'close' }) => {
  if (m.op === 'stats') process.send!({ statements, maxRss: Math.max(maxRss, process.memoryUsage().rss) });
  else if (m.op === 'reset') {
    statements = 0;
    maxRss = process.memoryUsage().rss;
    process.send!({ statements, maxRss });
  } else if (m.op === 'close') {
    void api.close().finally(() => process.exit(0));
  }
});
process.send!({ url: api.url });

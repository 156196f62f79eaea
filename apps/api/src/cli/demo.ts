#!/usr/bin/env tsx
/**
 * `npm run demo -- [--fresh] [--patients N]`: the whole product on the embedded defaults.
 * Migrates, and on first run generates a phantom and creates two projects (an empty one and one
 * with a week of simulated history: apps/api/src/demo/SPEC.md), creates demo users, then starts
 * the API, the trainer and the web app, and prints where to log in and how long it took.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Command } from 'commander';
import { loadConfig, REPO_ROOT } from '../config/config.js';
import { resolveDatabase } from '../db/resolve-database.js';
import { createSql } from '../db/sql.js';
import { migrate } from '../db/migrate.js';
import { fileStoreFor } from '../files/file-store.js';
import { startApiServer } from '../server/start.js';
import { exitForError, wholeNumber } from './usage.js';
import { DEMO_PASSWORD, DEMO_USERS, prepareDemoData } from '../demo/prepare.js';
import { DemoProgress } from '../demo/progress.js';
import { demoBackbone } from '../demo/backbone.js';
import { startFresh } from '../demo/fresh.js';
import { waitForHttp } from '../demo/ready.js';

/** Fewer patients leave the frozen test set without a control patient, and screening without specificity. */
const MIN_PATIENTS = 20;

async function main() {
  const progress = new DemoProgress();
  const opts = new Command('demo').exitOverride()
    .option('--fresh', 'start over: remove the demo database and file store first')
    .option('--patients <n>', `phantom patients, first run only (${MIN_PATIENTS}–500)`, process.env.CONCORD_DEMO_PATIENTS || '24')
    .parse(process.argv)
    .opts<{ fresh?: boolean; patients: string }>();
  const patients = wholeNumber('--patients', opts.patients, MIN_PATIENTS, 500);
  const config = loadConfig();
  if (opts.fresh) {
    const removed = startFresh(config.dataDir, config.databaseUrl);
    progress.step(removed.length ? `--fresh: removed ${removed.join(', ')}` : '--fresh: nothing to remove');
  }
  progress.step(config.databaseUrl ? 'Connecting to DATABASE_URL…' : `Starting the embedded PostgreSQL in ${path.join(config.dataDir, 'pg')}…`);
  const db = await resolveDatabase(config);
  const sql = createSql(db.url, { appName: 'concord-demo', max: 4 });
  progress.step('Migrating…');
  await migrate(sql);
  const prepared = await prepareDemoData(sql, fileStoreFor(config.dataDir), { dataDir: config.dataDir, patients, secret: config.pseudonymSecret, progress });
  if (!prepared.created.length) progress.step('Demo data found from an earlier run: kept as it is (`npm run demo -- --fresh` starts over)');
  await sql.end();

  const api = await startApiServer({ databaseUrl: db.url, dataDir: config.dataDir, port: config.port });
  const children: ChildProcess[] = [];
  progress.step('Starting the API, the trainer and the web app…');
  const env = { ...process.env, ...demoBackbone().env, DATABASE_URL: db.url, CONCORD_DATA_DIR: config.dataDir, CONCORD_API_URL: `http://127.0.0.1:${api.port}`, WEB_PORT: String(config.webPort), NEXT_PUBLIC_CONCORD_SOCKET_URL: `http://localhost:${api.port}` };
  const trainerMain = path.join(REPO_ROOT, 'services/trainer/src/main.ts');
  if (fs.existsSync(trainerMain)) {
    children.push(spawn(process.execPath, ['--import', 'tsx', trainerMain], { env, stdio: 'inherit' }));
  }
  const web = path.join(REPO_ROOT, 'apps/web');
  if (fs.existsSync(path.join(web, 'package.json'))) {
    if (!fs.existsSync(path.join(web, '.next', 'BUILD_ID'))) {
      console.log('Building the web app (first run only)…');
      const b = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: REPO_ROOT, env, stdio: 'inherit' });
      if (b.status !== 0) throw new Error('the web app did not build; see the output above');
    }
    children.push(spawn('npm', ['run', 'start', '-w', 'apps/web'], { cwd: REPO_ROOT, env, stdio: 'inherit' }));
  }
  if (children.length) await waitForHttp(`http://127.0.0.1:${config.webPort}/login`);
  console.log(`
Concord is running (ready ${progress.elapsed.toFixed(0)} s after the demo started).
  Web app:  http://localhost:${config.webPort}
  GraphQL:  http://localhost:${api.port}/graphql
  Database: ${db.embedded ? `embedded PostgreSQL in ${path.join(config.dataDir, 'pg')}` : 'DATABASE_URL'}
Demo logins (password "${DEMO_PASSWORD}"):
${DEMO_USERS.map(([u, r]) => `  ${u.padEnd(12)} ${r.join(', ')}`).join('\n')}
Stop with Ctrl-C.`);
  const stop = async () => {
    for (const c of children) c.kill('SIGTERM');
    await api.close();
    await db.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch(exitForError);

#!/usr/bin/env tsx
/**
 * `npm run demo -- [--fresh] [--patients N]`: the whole product on the embedded defaults.
 * Migrates, and on first run generates a phantom and creates two projects (an empty one and one
 * with a week of simulated history: tools/demo/SPEC.md), creates demo users, then starts
 * the API, the trainer and the web app, and prints where to log in and how long it took.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { loadConfig, REPO_ROOT } from '@concord/api/config/config';
import { resolveDatabase, createSql, migrate, fileStoreFor } from '@concord/db';
import { apiChildSpec, Supervisor, waitForReady } from '@concord/api/cli/supervisor';
import { exitForError, wholeNumber } from '@concord/cli';
import { DEMO_PASSWORD, DEMO_USERS, prepareDemoData } from '../prepare.js';
import { DemoProgress } from '../progress.js';
import { demoBackbone } from '../backbone.js';
import { startFresh } from '../fresh.js';
import { waitForHttp } from '../ready.js';

/** Fewer patients leave the frozen test set without a control patient, and screening without specificity. */
const MIN_PATIENTS = 20;

async function main() {
  const progress = new DemoProgress();
  const opts = new Command('demo')
    .exitOverride()
    .option('--fresh', 'start over: remove the demo database and file store first')
    .option('--patients <n>', `phantom patients, first run only (${MIN_PATIENTS}–500)`, process.env.CONCORD_DEMO_PATIENTS || '40')
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

  // The API runs as a supervised child, not in this process: if it dies, the embedded
  // PostgreSQL (held here) stays up, and the supervisor restarts it or stops the trainer and
  // the web app with it, so nothing is left orphaned [PS2].
  progress.step('Starting the API, the trainer and the web app…');
  const apiUrl = `http://127.0.0.1:${config.port}`;
  // The demo's web app runs on this machine and names each client in X-Forwarded-For (server.mjs).
  const env = {
    ...process.env,
    ...demoBackbone().env,
    CONCORD_TRUST_PROXY: process.env.CONCORD_TRUST_PROXY || 'loopback',
    DATABASE_URL: db.url,
    CONCORD_DATA_DIR: config.dataDir,
    PORT: String(config.port),
    CONCORD_API_URL: apiUrl,
    WEB_PORT: String(config.webPort),
    NEXT_PUBLIC_CONCORD_SOCKET_URL: `http://localhost:${config.port}`,
  };
  const supervisor = new Supervisor({
    onGiveUp: (reason) => {
      console.error(`\nConcord demo stopped: ${reason} The output above says why; fix it and run \`npm run demo\` again.`);
      void db.release().finally(() => process.exit(1));
    },
  });
  process.on('exit', () => supervisor.stopNow());
  const api = supervisor.start(apiChildSpec(REPO_ROOT, env));
  try {
    await waitForReady(`${apiUrl}/ready`, api, 120_000);
  } catch (e) {
    await supervisor.stop();
    throw new Error(`the API did not start: ${(e as Error).message}`);
  }
  const trainerMain = path.join(REPO_ROOT, 'services/trainer/src/main.ts');
  if (fs.existsSync(trainerMain)) {
    supervisor.start({
      name: 'trainer',
      command: process.execPath,
      args: ['--import', 'tsx', trainerMain],
      options: { env, stdio: 'inherit' },
      critical: false,
    });
  }
  const web = path.join(REPO_ROOT, 'apps/web');
  let webStarted = false;
  if (fs.existsSync(path.join(web, 'package.json'))) {
    if (!fs.existsSync(path.join(web, '.next', 'BUILD_ID'))) {
      console.log('Building the web app (first run only)…');
      const b = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: REPO_ROOT, env, stdio: 'inherit' });
      if (b.status !== 0) {
        await supervisor.stop();
        throw new Error('the web app did not build; see the output above');
      }
    }
    supervisor.start({ name: 'web app', command: 'npm', args: ['run', 'start', '-w', 'apps/web'], options: { cwd: REPO_ROOT, env, stdio: 'inherit' } });
    webStarted = true;
  }
  if (webStarted) await waitForHttp(`http://127.0.0.1:${config.webPort}/login`);
  console.log(`
Concord is running (ready ${progress.elapsed.toFixed(0)} s after the demo started).
  Web app:  http://localhost:${config.webPort}
  GraphQL:  http://localhost:${config.port}/graphql
  Database: ${db.embedded ? `embedded PostgreSQL in ${path.join(config.dataDir, 'pg')}` : 'DATABASE_URL'}
Demo logins (password "${DEMO_PASSWORD}"):
${DEMO_USERS.map(([u, r]) => `  ${u.padEnd(12)} ${r.join(', ')}`).join('\n')}
Stop with Ctrl-C.`);
  const stop = async () => {
    await supervisor.stop();
    await db.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch(exitForError);

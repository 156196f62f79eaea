#!/usr/bin/env tsx
/**
 * `npm run demo`: the whole product on the embedded defaults. Migrates, generates a phantom
 * project and ingests it on first run, creates demo users, then starts the API, the trainer
 * and the web app, and prints where to log in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig, REPO_ROOT } from '../config/config.js';
import { resolveDatabase } from '../db/resolve-database.js';
import { createSql } from '../db/sql.js';
import { migrate } from '../db/migrate.js';
import { createProject } from '../projects/projects.queries.js';
import { createUser } from '../users/users.queries.js';
import { generatePhantom } from '../phantom/generate.js';
import { ingest } from '../ingest/ingest.js';
import { importCohorts } from '../ingest/cohorts.js';
import { fileStoreFor } from '../files/file-store.js';
import { apiChildSpec, Supervisor, waitForReady } from './supervisor.js';
import type { Role } from '../realtime/roles.js';

const DEMO_PROJECT = 'Demo: cervical spine DCM (phantom)';
const DEMO_PASSWORD = 'concord-demo';
const DEMO_USERS: [string, Role[]][] = [
  ['admin', ['ADMIN', 'LEAD']],
  ['lead', ['LEAD']],
  ['adjudicator', ['ADJUDICATOR']],
  ['reader1', ['LABELER']],
  ['reader2', ['LABELER']],
  ['reader3', ['LABELER']],
];

async function main() {
  const config = loadConfig();
  const patients = Number(process.env.CONCORD_DEMO_PATIENTS || 12);
  const db = await resolveDatabase(config);
  const sql = createSql(db.url, { appName: 'concord-demo', max: 4 });
  await migrate(sql);
  let [project] = await sql<{ id: string }[]>`select id from projects where name = ${DEMO_PROJECT}`;
  if (!project) {
    console.log(`Creating the demo project from ${patients} phantom patients (first run only)…`);
    project = await createProject(sql, { name: DEMO_PROJECT, readsPerSlice: 2 });
    const out = path.join(config.dataDir, 'demo-phantom');
    const gen = await generatePhantom({ patients, outDir: out, seed: 'concord-demo' });
    console.log(`  phantom: ${gen.files} files`);
    const summary = await ingest(sql, fileStoreFor(config.dataDir), {
      projectId: project.id, source: { kind: 'path', path: out }, secret: config.pseudonymSecret,
      onProgress: (p) => { if (p.finished) console.log(`  ingest: ${p.accepted} accepted, ${p.skipped} skipped, ${p.rejected} rejected`); },
    });
    void summary;
    await importCohorts(sql, project.id, config.pseudonymSecret, path.join(out, 'ground_truth_patients.csv'));
    for (const [username, roles] of DEMO_USERS) {
      const [exists] = await sql`select id from users where username = ${username}`;
      if (exists) await sql`insert into project_members (project_id, user_id) values (${project.id}, ${exists.id}) on conflict do nothing`;
      else await createUser(sql, { username, password: DEMO_PASSWORD, roles, projectIds: [project.id] });
    }
  }
  await sql.end();

  // The API runs as a supervised child, not in this process: if it dies, the embedded
  // PostgreSQL (held here) stays up, and the supervisor restarts it or stops the trainer and
  // the web app with it, so nothing is left orphaned [PS2].
  const apiUrl = `http://127.0.0.1:${config.port}`;
  // The demo's web app runs on this machine and names each client in X-Forwarded-For (server.mjs).
  const env = { ...process.env, CONCORD_TRUST_PROXY: process.env.CONCORD_TRUST_PROXY || 'loopback', DATABASE_URL: db.url, CONCORD_DATA_DIR: config.dataDir, PORT: String(config.port), CONCORD_API_URL: apiUrl, WEB_PORT: String(config.webPort), NEXT_PUBLIC_CONCORD_SOCKET_URL: `http://localhost:${config.port}` };
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
    supervisor.start({ name: 'trainer', command: process.execPath, args: ['--import', 'tsx', trainerMain], options: { env, stdio: 'inherit' }, critical: false });
  }
  const web = path.join(REPO_ROOT, 'apps/web');
  if (fs.existsSync(path.join(web, 'package.json'))) {
    if (!fs.existsSync(path.join(web, '.next', 'BUILD_ID'))) {
      console.log('Building the web app (first run only)…');
      const b = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: REPO_ROOT, env, stdio: 'inherit' });
      if (b.status !== 0) { await supervisor.stop(); throw new Error('the web app did not build; see the output above'); }
    }
    supervisor.start({ name: 'web app', command: 'npm', args: ['run', 'start', '-w', 'apps/web'], options: { cwd: REPO_ROOT, env, stdio: 'inherit' } });
  }
  console.log(`
Concord is running.
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

main().catch((e) => {
  console.error(`demo failed: ${(e as Error).message}`);
  process.exit(1);
});

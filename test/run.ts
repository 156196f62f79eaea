/**
 * The one test command (`npm test`). It starts with the preflight (test/preflight/): the tools
 * the selected files need are there, or installed, or nothing runs. Without DATABASE_URL it
 * starts one embedded PostgreSQL for the whole run and hands its URL to every test file; each
 * file then makes its own database, so files cannot see each other's rows. A run that skipped
 * a test fails: a skipped test checked nothing (FM3).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedHandle } from '@concord/db';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { preflight } from './preflight/preflight.js';
import { verdict } from './helpers/tally.js';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'helpers') out.push(...findTests(p));
    else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

async function main() {
  const filter = process.argv.slice(2);
  let files = findTests(path.join(REPO_ROOT, 'test')).sort();
  if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
  if (!files.length) {
    console.error(`no test file matches ${filter.join(' ')}`);
    process.exit(1);
  }
  if (!preflight(files)) process.exit(1);
  if (files.some((f) => /^web[^/]*\.test\.ts$/.test(path.basename(f)))) {
    // Build the web app once, before any test file's clock starts (cached by a source hash).
    const t0 = Date.now();
    const { ensureWebBuild } = await import('./helpers/web-server.js');
    ensureWebBuild();
    console.log(`# web app build ready (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  {
    // The API as its image runs it (apps/api/dist): spawned API processes and CLI4 run the build.
    const t0 = Date.now();
    const { buildApi } = await import('@concord/api/build');
    await buildApi();
    console.log(`# API build ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  let embedded: EmbeddedHandle | undefined;
  const env = { ...process.env };
  if (!env.DATABASE_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-test-pg-'));
    fs.chmodSync(dir, 0o755);
    embedded = await startEmbeddedPostgres(path.join(dir, 'data'));
    env.DATABASE_URL = embedded.url;
    console.log(`# embedded PostgreSQL for tests at ${embedded.url.replace(/:[^:@]*@/, ':***@')}`);
  } else {
    console.log(`# tests against DATABASE_URL=${env.DATABASE_URL.replace(/:[^:@]*@/, ':***@')}`);
  }
  const concurrency = env.CONCORD_TEST_CONCURRENCY ?? '2';
  const tallyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-test-tally-')), 'tally.json');
  const reporters = [
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(REPO_ROOT, 'test/helpers/tally-reporter.mjs')}`,
    `--test-reporter-destination=${tallyFile}`,
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...reporters, ...files], {
    stdio: 'inherit',
    env,
    cwd: REPO_ROOT,
  });
  const code: number = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
  if (embedded) await embedded.stop();
  const result = verdict(code, tallyFile);
  fs.rmSync(path.dirname(tallyFile), { recursive: true, force: true });
  process.exit(result);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

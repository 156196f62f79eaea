/**
 * `npm run demo`'s flags: bad input is refused before anything starts, and `--fresh` removes the
 * demo's own state only, never a database that is running or not the demo's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { startFresh } from '@concord/demo';

function demo(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tools/demo/src/cli/demo.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
}

function scratchDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-demo-cli-'));
  for (const d of ['pg', 'files', 'demo-phantom', 'simulate']) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(path.join(dir, 'pg.port'), '5999');
  return dir;
}

test('[DM2] --patients outside 20–500 is refused with what to give, before anything starts', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-demo-cli-'));
  for (const bad of ['5', 'many', '501']) {
    const r = demo(['--patients', bad], { CONCORD_DATA_DIR: dataDir, DATABASE_URL: '' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--patients must be a whole number from 20 to 500/);
  }
  assert.deepEqual(fs.readdirSync(dataDir), [], 'nothing was created');
  fs.rmSync(dataDir, { recursive: true });
});

test("[DM2] --fresh with DATABASE_URL is refused: that database is the operator's", () => {
  const dataDir = scratchDataDir();
  const r = demo(['--fresh'], { CONCORD_DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /DATABASE_URL is set/);
  assert.ok(fs.existsSync(path.join(dataDir, 'pg')) && fs.existsSync(path.join(dataDir, 'files')), 'nothing removed');
  fs.rmSync(dataDir, { recursive: true });
});

test("[DM2] --fresh is refused while a process runs the embedded database, and otherwise removes only the demo's state", () => {
  const dataDir = scratchDataDir();
  // A live pid in postmaster.pid: this test's own process stands in for a running PostgreSQL.
  fs.writeFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), `${process.pid}\n${path.join(dataDir, 'pg')}\n`);
  assert.throws(() => startFresh(dataDir, undefined), /still runs the database .* stop it/);
  assert.ok(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'nothing removed');

  fs.writeFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), '2147483646\n');
  const removed = startFresh(dataDir, undefined)
    .map((p) => path.basename(p))
    .sort();
  assert.deepEqual(removed, ['demo-phantom', 'files', 'pg', 'pg.port']);
  assert.deepEqual(fs.readdirSync(dataDir), ['simulate'], 'other things in the data dir stay');
  fs.rmSync(dataDir, { recursive: true });
});

/**
 * [PS1]–[PS3] Process survival: errors nobody caught are logged and counted instead of ending
 * the process; the demo's supervisor restarts a killed API child while the trainer and web app
 * stand-ins keep running, and stops every process (their children too) once the API keeps
 * dying; an API under a supervisor stops when its supervisor is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { freshDatabase } from './helpers/db.js';
import { freePort } from './helpers/api-process.js';
import { eventually, within } from './helpers/eventually.js';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { apiChildSpec, Supervisor, waitForReady, type ChildSpec } from '../apps/api/src/cli/supervisor.js';

const { url: dbUrl } = await freshDatabase('supervisor');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-supervisor-'));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A stand-in for the trainer or the web app: a process that started a child of its own (like npm → next). */
function standIn(name: string, pidFile: string): ChildSpec {
  const script = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1e6);`;
  return { name, command: process.execPath, args: ['-e', script], options: { stdio: 'ignore' } };
}

async function apiEnv() {
  const port = await freePort();
  return { port, env: { ...process.env, DATABASE_URL: dbUrl, CONCORD_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' } };
}

test('[PS1] an unhandled rejection and an uncaught exception are logged and counted; the process keeps running', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/helpers/safety-net-child.ts')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /concord_process_errors_total\{kind="unhandled_rejection"\} 1/);
  assert.match(r.stdout, /concord_process_errors_total\{kind="uncaught_exception"\} 1/);
  assert.match(r.stdout, /nobody awaited this/);
  assert.match(r.stdout, /nobody caught this/);
});

test('[PS2] a killed API is restarted; the trainer and web app keep running; /metrics counts process errors', async () => {
  const { port, env } = await apiEnv();
  const messages: string[] = [];
  const sup = new Supervisor({ backoffMs: 100, log: (m) => messages.push(m) });
  const pidFiles = [path.join(dataDir, 'trainer.pid'), path.join(dataDir, 'web.pid')];
  try {
    const api = sup.start(apiChildSpec(REPO_ROOT, env));
    await waitForReady(`http://127.0.0.1:${port}/ready`, api, 60_000);
    const trainer = sup.start(standIn('trainer', pidFiles[0]));
    const web = sup.start(standIn('web app', pidFiles[1]));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /concord_process_errors_total\{kind="uncaught_exception"\} 0/);
    api.kill('SIGKILL');
    await eventually(() => sup.child('API') !== api, { timeoutMs: 10_000, what: 'a new API child' });
    await waitForReady(`http://127.0.0.1:${port}/ready`, sup.child('API')!, 60_000);
    assert.ok(alive(trainer.pid!) && alive(web.pid!), 'trainer and web app untouched');
    assert.ok(
      messages.some((m) => /API exited \(signal SIGKILL\); restarting/.test(m)),
      messages.join('\n'),
    );
  } finally {
    await sup.stop();
  }
});

test('[PS2] an API that keeps dying stops the whole demo with a message, children of children included', async () => {
  const { port, env } = await apiEnv();
  const messages: string[] = [];
  let gaveUp = '';
  const sup = new Supervisor({
    maxRestarts: 1,
    backoffMs: 100,
    log: (m) => messages.push(m),
    onGiveUp: (r) => {
      gaveUp = r;
    },
  });
  const pidFiles = [path.join(dataDir, 'trainer2.pid'), path.join(dataDir, 'web2.pid')];
  const api = sup.start(apiChildSpec(REPO_ROOT, env));
  await waitForReady(`http://127.0.0.1:${port}/ready`, api, 60_000);
  const others = [sup.start(standIn('trainer', pidFiles[0])), sup.start(standIn('web app', pidFiles[1]))];
  await eventually(() => pidFiles.every((f) => fs.existsSync(f) && fs.readFileSync(f, 'utf8').length > 0), { timeoutMs: 10_000, what: 'stand-ins started' });
  const grandchildren = pidFiles.map((f) => Number(fs.readFileSync(f, 'utf8')));
  api.kill('SIGKILL');
  await eventually(() => sup.child('API') !== api, { timeoutMs: 10_000, what: 'the one restart' });
  await waitForReady(`http://127.0.0.1:${port}/ready`, sup.child('API')!, 60_000);
  const second = sup.child('API')!;
  second.kill('SIGKILL');
  await eventually(() => gaveUp !== '', { timeoutMs: 30_000, what: 'giving up' });
  assert.match(gaveUp, /API exited \(signal SIGKILL\) 2 times/);
  for (const p of [...others.map((c) => c.pid!), ...grandchildren]) await eventually(() => !alive(p), { timeoutMs: 15_000, what: `process ${p} stopped` });
  assert.equal(await fetch(`http://127.0.0.1:${port}/health`).catch(() => null), null, 'no API left on the port');
});

test("[PS3] an API under a supervisor stops when the supervisor's channel closes (supervisor killed)", async () => {
  const { port, env } = await apiEnv();
  const spec = apiChildSpec(REPO_ROOT, env);
  const child = spawn(spec.command, spec.args, spec.options!);
  await waitForReady(`http://127.0.0.1:${port}/ready`, child, 60_000);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.disconnect();
  assert.equal(await within(exited, 20_000, 'the API to exit once its channel closed'), 0);
});

test('[PS2] a non-critical child (the trainer) that keeps dying is left stopped; the rest goes on', async () => {
  const messages: string[] = [];
  let gaveUp = false;
  const sup = new Supervisor({
    maxRestarts: 2,
    backoffMs: 50,
    log: (m) => messages.push(m),
    onGiveUp: () => {
      gaveUp = true;
    },
  });
  try {
    const web = sup.start(standIn('web app', path.join(dataDir, 'web3.pid')));
    sup.start({ name: 'trainer', command: process.execPath, args: ['-e', 'process.exit(3)'], options: { stdio: 'ignore' }, critical: false });
    await eventually(() => messages.some((m) => /trainer exited \(code 3\) 3 times .* leaving it stopped/.test(m)), {
      timeoutMs: 15_000,
      what: 'trainer left stopped',
    });
    assert.equal(gaveUp, false);
    assert.ok(alive(web.pid!), 'the web app keeps running');
  } finally {
    await sup.stop();
  }
});

import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import net from 'node:net';
import fs from 'node:fs';
import { BUILT_CLI } from '@concord/api/build';
import { eventually, GiveUp } from './eventually.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** The built CLI (apps/api/build.ts), as the API image runs it; `npm test` builds it first. */
export function builtCli(): string {
  if (!fs.existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run the tests with npm test, or npm run build:api first`);
  return BUILT_CLI;
}

/**
 * A cold start used to compile the API through tsx; on 2 cores shared with other work (load 30 measured
 * in the fresh-machine run) it took over 30 s, so the wait is generous: it ends as soon as /ready answers.
 */
const READY_WITHIN_MS = 120_000;

export interface ApiProcess {
  url: string;
  port: number;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `concord serve` as a real child process, built and run with plain node as the API image does, ready when /ready says so. */
export async function spawnApi(databaseUrl: string, dataDir: string, port?: number): Promise<ApiProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [builtCli(), 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CONCORD_DATA_DIR: dataDir, PORT: String(p), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${p}`;
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new GiveUp(`API process exited with ${child.exitCode}`);
        return (await fetch(`${url}/ready`)).ok;
      },
      { timeoutMs: READY_WITHIN_MS, intervalMs: 100, what: `the API process to answer ${url}/ready` },
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  after(() => kill('SIGKILL'));
  return { url, port: p, child, kill };
}

/**
 * Builds the web app once per source hash and starts `next start` on a free port, pointed at
 * an API. Builds are serialised across test files with flock, so parallel files share one.
 */
import { after } from 'node:test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../apps/api/src/config/config.js';
import { eventually, GiveUp } from './eventually.js';

export const WEB_DIR = path.join(REPO_ROOT, 'apps/web');
const NEXT_BIN = path.join(REPO_ROOT, 'node_modules/next/dist/bin/next');
const HASH_FILE = path.join(WEB_DIR, '.next', 'concord-source-hash');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.next') || e.name === 'next-env.d.ts' || e.name === 'tsconfig.tsbuildinfo') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listSources(p));
    else out.push(p);
  }
  return out;
}

/** Hash of everything the build reads from this repo: the web sources and the workspace package it compiles (`transpilePackages`). */
export function sourceHash(): string {
  const h = createHash('sha256');
  const files = [...listSources(WEB_DIR), ...listSources(path.join(REPO_ROOT, 'packages/contracts'))].sort();
  for (const f of files) h.update(path.relative(REPO_ROOT, f)).update('\0').update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** `next build` unless the last build was of the same sources. Throws with the build log on failure. */
export function ensureWebBuild(): void {
  const hash = sourceHash();
  // Check and build under one lock: a second test file waits, then finds the fresh build.
  const script = `if [ "$(cat '${HASH_FILE}' 2>/dev/null)" != "${hash}" ] || [ ! -f '${path.join(WEB_DIR, '.next/BUILD_ID')}' ]; then "${process.execPath}" "${NEXT_BIN}" build --webpack && echo "${hash}" > '${HASH_FILE}'; fi`;
  const r = spawnSync('flock', ['/tmp/concord-web-build.lock', 'sh', '-c', script], {
    cwd: WEB_DIR,
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`next build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export interface RunningWeb {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the built app; `port` may be chosen beforehand so the API can allow its origin. */
export async function startWebServer(opts: { apiUrl: string; port?: number }): Promise<RunningWeb> {
  ensureWebBuild();
  const port = opts.port ?? (await freePort());
  // server.mjs: `next start` that also names the real client to the API (X-Forwarded-For).
  const child: ChildProcess = spawn(process.execPath, [path.join(WEB_DIR, 'server.mjs')], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      CONCORD_API_URL: opts.apiUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      WEB_PORT: String(port),
      WEB_HOST: '127.0.0.1',
      CONCORD_TRUST_PROXY: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://localhost:${port}`;
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new GiveUp(`next start exited (${child.exitCode})`);
        return (await fetch(`http://127.0.0.1:${port}/login`)).ok;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `next start to answer /login on port ${port}` },
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}:\n${log}`);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  after(close);
  return { url, port, close };
}

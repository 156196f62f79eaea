/**
 * The Docker side of the deployment test: a dockerd (started here only when none answers, and
 * then stopped here), the compose stack on the local images, and the ways it is hurt (SIGKILL of
 * a container's main process from the host, as a crash or the OOM killer would, so restart
 * policies apply; `docker restart`; `docker stop`).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const REPO = path.resolve(import.meta.dirname, '../..');

export function sh(cmd: string, args: string[], opts: { input?: string; allowFail?: boolean; timeoutMs?: number } = {}): string {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0 && !opts.allowFail)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout || '').slice(-2000)}`);
  return r.stdout ?? '';
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A dockerd: the running one, or one started here (and stopped by `stop`). */
export async function ensureDockerd(): Promise<{ startedHere: boolean; stop(): Promise<void> }> {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0) return { startedHere: false, stop: async () => {} };
  if (process.getuid?.() !== 0) throw new Error('no dockerd answers and this is not root: start dockerd, or run as root');
  const log = fs.openSync(path.join(os.tmpdir(), 'concord-deploy-test-dockerd.log'), 'a');
  const child: ChildProcess = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  await until('dockerd to answer', () => spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0, 60_000);
  return {
    startedHere: true,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await until('dockerd to stop', () => child.exitCode !== null || child.signalCode !== null, 60_000).catch(() => child.kill('SIGKILL'));
    },
  };
}

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

export interface StackEnv {
  file: string;
  httpPort: number;
  orthancPort: number;
  orthancUser: string;
  orthancPassword: string;
  postgresPassword: string;
}

export async function writeEnv(extra: Record<string, string>): Promise<StackEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-deploy-test-'));
  const env: StackEnv = {
    file: path.join(dir, '.env'),
    httpPort: await freePort(),
    orthancPort: await freePort(),
    orthancUser: 'concord',
    orthancPassword: randomBytes(12).toString('hex'),
    postgresPassword: randomBytes(12).toString('hex'),
  };
  const vars: Record<string, string> = {
    POSTGRES_PASSWORD: env.postgresPassword,
    CONCORD_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    CONCORD_HTTP_PORT: String(env.httpPort),
    CONCORD_PUBLIC_URL: `http://localhost:${env.httpPort}`,
    ORTHANC_USER: env.orthancUser,
    ORTHANC_PASSWORD: env.orthancPassword,
    ORTHANC_HTTP_PORT: String(env.orthancPort),
    ORTHANC_DICOM_PORT: String(await freePort()),
    ...extra,
  };
  fs.writeFileSync(
    env.file,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
    { mode: 0o600 },
  );
  return env;
}

/** docker-compose v1 (Debian) or the v2 plugin, whichever this machine has. */
function composeCommand(): string[] {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  throw new Error('neither `docker compose` nor `docker-compose` is installed (apt-get install -y docker-compose)');
}

export class Stack {
  private readonly cmd = composeCommand();
  constructor(
    readonly project: string,
    readonly env: StackEnv,
  ) {}

  compose(args: string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}): string {
    const [bin, ...pre] = this.cmd;
    return sh(
      bin,
      [...pre, '-p', this.project, '-f', 'docker-compose.yml', '-f', 'deploy/docker-compose.local.yml', '--env-file', this.env.file, ...args],
      opts,
    );
  }

  private readonly ids = new Map<string, string>();

  /**
   * By compose's labels (both compose versions set them; `docker-compose ps` takes seconds on a
   * loaded machine). Kept once known: restarts (policy, `docker restart`, stop/start) keep the id.
   */
  containerId(service: string): string {
    const known = this.ids.get(service);
    if (known) return known;
    const id = sh('docker', [
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${this.project}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ])
      .trim()
      .split('\n')[0];
    if (!id) throw new Error(`no container for service ${service}`);
    this.ids.set(service, id);
    return id;
  }

  inspect(service: string): { health?: string; running: boolean; pid: number; restarts: number; ip: string } {
    const out = sh('docker', [
      'inspect',
      '--format',
      '{{json .State}}|{{.RestartCount}}|{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
      this.containerId(service),
    ]);
    const [state, restarts, ip] = out.trim().split('|');
    const s = JSON.parse(state);
    return { health: s.Health?.Status, running: s.Running, pid: s.Pid, restarts: Number(restarts), ip };
  }

  async waitHealthy(services: string[], timeoutMs: number): Promise<void> {
    await until(
      `${services.join(', ')} healthy`,
      () =>
        services.every((s) => {
          const st = this.inspect(s);
          return st.running && (st.health === undefined || st.health === 'healthy');
        }),
      timeoutMs,
      1000,
    );
  }

  /** SIGKILL to the container's main process from the host: a crash, so the restart policy applies. */
  crash(service: string): void {
    const { pid } = this.inspect(service);
    if (!pid) throw new Error(`${service} has no running process`);
    process.kill(pid, 'SIGKILL');
  }

  exec(service: string, args: string[], input?: string): string {
    return sh('docker', ['exec', ...(input !== undefined ? ['-i'] : []), this.containerId(service), ...args], { input });
  }

  /**
   * A long-running `docker exec -i` whose output streams back as it comes: for a probe that must
   * not miss a short window (starting a process per probe takes longer). Its stdin stays open, so
   * the command can end when it closes, which killing the returned docker client does.
   */
  execLive(service: string, args: string[]): ChildProcess {
    return spawn('docker', ['exec', '-i', this.containerId(service), ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'ignore'] });
  }

  /** One SQL query's rows as arrays of strings, read as the operator would (psql in the container). */
  psql(query: string): string[][] {
    const out = this.exec('postgres', ['psql', '-U', 'concord', '-d', 'concord', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query]);
    return out
      .split('\n')
      .filter((l) => l.length)
      .map((l) => l.split('\t'));
  }

  /** A Prometheus sample from an API node's /metrics, read inside its container (not published). */
  metric(service: string, name: string): number {
    const text = this.exec(service, ['node', '-e', "fetch('http://127.0.0.1:4000/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))"]);
    const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
    return line ? Number(line.trim().split(/\s+/).pop()) : 0;
  }

  logs(): string {
    return this.compose(['logs', '--no-color', '--tail', '60'], { allowFail: true });
  }
}

export function execQuiet(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { cwd: REPO, stdio: 'inherit' });
}

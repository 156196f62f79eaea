/**
 * One supervisor for processes that belong together (`npm run demo`: the API, the trainer, the
 * web app) [PS2][PS3]. A child that dies unexpectedly is restarted, with a growing delay; one
 * that keeps dying (more than `maxRestarts` within `windowMs`) stops everything, with a message,
 * so nothing is left running orphaned. Children run in their own process groups, so stopping
 * one stops what it started (npm → next). Stopping sends SIGTERM, then SIGKILL after `graceMs`.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  options?: Omit<SpawnOptions, 'detached'>;
  /**
   * Default true: when it keeps dying, everything stops. A child the rest can do without (the
   * trainer: labelling goes on without it) is left stopped instead, with a message.
   */
  critical?: boolean;
}

export interface SupervisorOptions {
  maxRestarts?: number;
  windowMs?: number;
  graceMs?: number;
  /** First restart delay; doubles with each restart in the window. */
  backoffMs?: number;
  log?: (message: string) => void;
  /** Called once when the supervisor gave up and stopped everything. */
  onGiveUp?: (reason: string) => void;
}

interface Running {
  spec: ChildSpec;
  child: ChildProcess;
  restarts: number[];
  exited: Promise<void>;
}

export class Supervisor {
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private readonly opts: Required<SupervisorOptions>;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(opts: SupervisorOptions = {}) {
    this.opts = {
      maxRestarts: opts.maxRestarts ?? 3,
      windowMs: opts.windowMs ?? 60_000,
      graceMs: opts.graceMs ?? 10_000,
      backoffMs: opts.backoffMs ?? 1000,
      log: opts.log ?? ((m) => console.error(m)),
      onGiveUp: opts.onGiveUp ?? (() => {}),
    };
  }

  start(spec: ChildSpec, restarts: number[] = []): ChildProcess {
    // detached: its own process group, so the whole tree can be signalled (and Ctrl-C reaches
    // only the supervisor, which stops the children in order).
    const child = spawn(spec.command, spec.args, { ...spec.options, detached: true });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        this.onExit(spec, code, signal);
      });
      // A command that cannot start at all: 'exit' may not follow.
      child.once('error', (e) => {
        this.opts.log(`${spec.name}: could not start (${e.message})`);
        resolve();
        this.onExit(spec, null, null);
      });
    });
    this.running.set(spec.name, { spec, child, restarts, exited });
    return child;
  }

  child(name: string): ChildProcess | undefined {
    return this.running.get(name)?.child;
  }

  private onExit(spec: ChildSpec, code: number | null, signal: NodeJS.Signals | null): void {
    const r = this.running.get(spec.name);
    if (!r || r.spec !== spec || this.stopping) return;
    const now = Date.now();
    const recent = r.restarts.filter((t) => now - t < this.opts.windowMs);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (recent.length >= this.opts.maxRestarts && spec.critical === false) {
      this.opts.log(
        `${spec.name} exited (${how}) ${recent.length + 1} times within ${Math.round(this.opts.windowMs / 1000)} s; leaving it stopped, the rest goes on without it.`,
      );
      return;
    }
    if (recent.length >= this.opts.maxRestarts) {
      const reason = `${spec.name} exited (${how}) ${recent.length + 1} times within ${Math.round(this.opts.windowMs / 1000)} s; stopping everything.`;
      this.opts.log(reason);
      void this.stop().then(() => this.opts.onGiveUp(reason));
      return;
    }
    const delay = this.opts.backoffMs * 2 ** recent.length;
    this.opts.log(
      `${spec.name} exited (${how}); restarting in ${(delay / 1000).toFixed(1)} s (restart ${recent.length + 1} of at most ${this.opts.maxRestarts} per ${Math.round(this.opts.windowMs / 1000)} s).`,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopping) this.start(spec, [...recent, now]);
    }, delay);
    this.timers.add(timer);
  }

  /** Stops every child (SIGTERM to its process group, SIGKILL after the grace period). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        if (r.child.exitCode !== null || r.child.signalCode !== null || r.child.pid === undefined) return;
        signalGroup(r.child, 'SIGTERM');
        const kill = setTimeout(() => signalGroup(r.child, 'SIGKILL'), this.opts.graceMs);
        await r.exited;
        clearTimeout(kill);
        // What the child started may outlive it (npm's own children): the group goes too.
        signalGroup(r.child, 'SIGKILL');
      }),
    );
  }

  /**
   * For `process.on('exit')`, where nothing asynchronous runs: SIGTERM to every child's group,
   * so even a supervisor that dies of its own error leaves nothing behind.
   */
  stopNow(): void {
    this.stopping = true;
    for (const r of this.running.values()) if (r.child.exitCode === null && r.child.signalCode === null) signalGroup(r.child, 'SIGTERM');
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

/** Resolves when `url` answers 2xx; rejects if `child` exits first or `ms` pass. */
export async function waitForReady(url: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${Math.round(ms / 1000)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * `concord serve` as a supervised child: with an IPC channel, so the API stops itself when the
 * channel closes, i.e. when its supervisor is gone (even killed with SIGKILL).
 */
export function apiChildSpec(repoRoot: string, env: NodeJS.ProcessEnv): ChildSpec {
  return {
    name: 'API',
    command: process.execPath,
    args: ['--import', 'tsx', `${repoRoot}/apps/api/src/cli/concord.ts`, 'serve'],
    options: { env, cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  };
}

/**
 * Awaiting a condition instead of sleeping [TW1]: a fixed delay is either too short on a loaded
 * machine (a flaky failure) or longer than needed everywhere else, and it proves nothing about
 * what the test meant to wait for. These helpers wait exactly as long as the condition takes,
 * and on timeout say what was awaited and what was last seen.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface EventuallyOptions {
  /** What is awaited, for the timeout message ("the trainer's second run"). */
  what: string;
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
}

/**
 * Thrown from an attempt to stop waiting at once, for a condition that can no longer come true
 * (the process that was to become ready has exited): `eventually` rethrows it.
 */
export class GiveUp extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GiveUp';
  }
}

/** What a truthy check returned: `cond && value` gives the value. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | '' | 0n>;

/** Why `eventually` or `within` gave up: names what was awaited. */
export class TimedOut extends Error {
  constructor(
    message: string,
    readonly last?: unknown,
  ) {
    super(message);
    this.name = 'TimedOut';
  }
}

function describe(x: unknown): string {
  if (x instanceof Error) return `${x.name}: ${x.message}`;
  try {
    const s = JSON.stringify(x);
    return s === undefined ? String(x) : s.length > 500 ? `${s.slice(0, 500)}…` : s;
  } catch {
    return String(x);
  }
}

/**
 * Calls `fn` until it returns a truthy value, which is returned. An attempt that throws (an
 * assertion not yet true, a server not yet up) or returns a falsy value counts as "not yet";
 * an assertion-style check ends with `return true`; a GiveUp ends the wait at once. On timeout the error names `what` and the
 * last error or value, so a failure says what never happened.
 */
export async function eventually<T>(fn: () => T | Promise<T>, opts: EventuallyOptions): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let last: { error?: unknown; value?: unknown } = {};
  for (let attempt = 1; ; attempt++) {
    try {
      const v = await fn();
      if (v) return v as Truthy<T>;
      last = { value: v };
    } catch (e) {
      if (e instanceof GiveUp) throw e;
      last = { error: e };
    }
    if (Date.now() >= deadline) {
      const seen = 'error' in last ? `last error ${describe(last.error)}` : `last value ${describe(last.value)}`;
      throw new TimedOut(`timed out after ${timeoutMs} ms (${attempt} attempts) waiting for ${opts.what}; ${seen}`, 'error' in last ? last.error : last.value);
    }
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/**
 * `promise`, or a TimedOut naming `what` if it has not settled within `ms`: for awaiting an
 * event (a socket message, a child's exit) with a deadline instead of hanging the test file.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Simulated users for the deployment test, through the public proxy only: GraphQL over HTTP and
 * Socket.io, as the web app does. A labeler thinks (reads the image) for a few seconds, labels,
 * and retries a label whose answer it did not get with the same clientRequestId (the web app's
 * idempotency key), so a label is either acknowledged once or refused with a reason.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';

export class GqlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Network errors, 5xx and INTERNAL: what a node dying or a database restarting looks like. */
export function retryable(e: unknown): boolean {
  if (e instanceof GqlError) return e.code === 'INTERNAL' || e.code === 'HTTP_5XX' || e.code === 'RATE_LIMITED';
  return true;
}

export async function gql<T = any>(base: string, query: string, variables: Record<string, unknown> = {}, token?: string, timeoutMs = 30_000): Promise<T> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status >= 500) throw new GqlError('HTTP_5XX', `HTTP ${res.status}`);
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new GqlError(body.errors[0].extensions?.code ?? 'UNKNOWN', body.errors[0].message);
  return body.data as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Why requests were retried, by kind (`HTTP 502`, `INTERNAL: …`, `fetch failed: ECONNRESET`). */
export const retryReasons = new Map<string, number>();

function reason(e: unknown): string {
  if (e instanceof GqlError) return e.code === 'HTTP_5XX' ? e.message : `${e.code}: ${e.message.slice(0, 80)}`;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  return `${err.name ?? 'Error'}: ${err.message ?? ''}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ''}`.slice(0, 120);
}

/** Retries transient failures (see `retryable`) until `deadlineMs`; anything else is thrown. */
export async function withRetry<T>(f: () => Promise<T>, deadlineMs = 90_000, onRetry?: () => void): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (!retryable(e) || Date.now() > end) throw e;
      const why = reason(e);
      retryReasons.set(why, (retryReasons.get(why) ?? 0) + 1);
      onRetry?.();
      await sleep(300);
    }
  }
}

/** duplicate: the answer to a resend of a label already stored (its first answer was lost). */
export interface Ack {
  user: string;
  sliceId: string;
  value: number;
  clientRequestId: string;
  at: number;
  duplicate: boolean;
}

export function connectSocket(base: string, token: string, projectId: string, onEvent: (e: any) => void): Socket {
  const s = io(base, { auth: { token }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
  // Rooms live on the node: every (re)connection joins again, as the web app does.
  s.on('connect', () => {
    s.emit('join', { projectId });
  });
  s.on('event', onEvent);
  return s;
}

export class Labeler {
  socket!: Socket;
  readonly acks: Ack[] = [];
  refused = 0;
  retries = 0;
  queueSizeEvents = 0;
  lastReadsDone = -1;
  disconnects = 0;
  private stopped = true;
  private loop?: Promise<void>;

  constructor(
    readonly base: string,
    readonly username: string,
    readonly token: string,
    readonly projectId: string,
    readonly thinkMs: [number, number],
  ) {}

  connect(): void {
    this.socket = connectSocket(this.base, this.token, this.projectId, (e) => {
      if (e?.type === 'queue:size') {
        this.queueSizeEvents++;
        this.lastReadsDone = e.readsDone;
      }
    });
    this.socket.on('disconnect', () => {
      this.disconnects++;
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await sleep(this.thinkMs[0] + Math.random() * (this.thinkMs[1] - this.thinkMs[0]));
      if (this.stopped) break;
      let next: { id: string; slice: { id: string } } | null;
      try {
        next = (
          await withRetry(
            () => gql(this.base, 'query($p:ID!){nextSlice(projectId:$p){id slice{id}}}', { p: this.projectId }, this.token),
            90_000,
            () => this.retries++,
          )
        ).nextSlice;
      } catch {
        continue;
      }
      if (!next) continue;
      // Readers mostly agree on a slice (its id decides), sometimes not: disagreements open
      // adjudication items.
      const lean = parseInt(next.slice.id.replace(/-/g, '').slice(-2), 16) % 2;
      const value = Math.random() < 0.8 ? lean : 1 - lean;
      const clientRequestId = randomUUID();
      try {
        const r = await withRetry(
          () =>
            gql(
              this.base,
              'mutation($s:ID!,$v:Int!,$c:ID){submitLabel(sliceId:$s,value:$v,clientRequestId:$c){ok duplicate}}',
              { s: next!.slice.id, v: value, c: clientRequestId },
              this.token,
            ),
          90_000,
          () => this.retries++,
        );
        this.acks.push({ user: this.username, sliceId: next.slice.id, value, clientRequestId, at: Date.now(), duplicate: r.submitLabel.duplicate });
      } catch {
        // Refused with a reason (the lease expired while a node was down, …): not acknowledged.
        this.refused++;
      }
    }
  }
}

/** Decides open adjudication items now and then, producing adjudication events. */
export class Adjudicator {
  socket!: Socket;
  decided = 0;
  queueEvents = 0;
  private stopped = true;
  private loop?: Promise<void>;
  constructor(
    readonly base: string,
    readonly token: string,
    readonly projectId: string,
  ) {}

  connect(): void {
    this.socket = connectSocket(this.base, this.token, this.projectId, (e) => {
      if (e?.type === 'adjudication:queue') this.queueEvents++;
    });
  }

  start(): void {
    this.stopped = false;
    this.loop = this.run();
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await sleep(3000);
      try {
        const { adjudicationQueue } = await gql(this.base, 'query($p:ID!){adjudicationQueue(projectId:$p){id}}', { p: this.projectId }, this.token);
        for (const item of adjudicationQueue.slice(0, 3)) {
          await gql(this.base, 'mutation($i:ID!){adjudicate(itemId:$i,value:1,reason:"CORD_DEFORMITY"){id}}', { i: item.id }, this.token).then(
            () => this.decided++,
            () => {},
          );
        }
      } catch {
        /* a node or the database is down: try again on the next tick */
      }
    }
  }
}

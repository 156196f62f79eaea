import { EVENT_AUDIENCE, type ServerEvent } from './events.js';

/**
 * The one format realtime events travel in between processes (PostgreSQL NOTIFY on
 * `concord_events`): the trainer, the CLI and every API node publish envelopes, and the API
 * nodes unwrap them onto sockets, where clients receive the `ServerEvent` itself. The version
 * lets a node refuse, by name, messages from a newer or older release during a rolling upgrade.
 */
export const REALTIME_PROTOCOL_VERSION = 1;

export interface EventEnvelope {
  v: typeof REALTIME_PROTOCOL_VERSION;
  event: ServerEvent;
  /** Only this user's sockets receive it (their own queue size); otherwise the event's audience. */
  userId?: string;
}

/** Why a message was not delivered: a closed list, so a node can count and log each. */
export const REFUSALS = ['not-json', 'not-an-envelope', 'other-version', 'unknown-event'] as const;
export type Refusal = (typeof REFUSALS)[number];

export type Decoded = { ok: true; envelope: EventEnvelope } | { ok: false; refusal: Refusal };

export function encodeEnvelope(event: ServerEvent, userId?: string): string {
  const env: EventEnvelope = userId ? { v: REALTIME_PROTOCOL_VERSION, event, userId } : { v: REALTIME_PROTOCOL_VERSION, event };
  return JSON.stringify(env);
}

export function decodeEnvelope(payload: string): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { ok: false, refusal: 'not-json' };
  }
  if (typeof parsed !== 'object' || parsed === null || !('v' in parsed) || !('event' in parsed)) return { ok: false, refusal: 'not-an-envelope' };
  const env = parsed as { v: unknown; event: unknown; userId?: unknown };
  if (env.v !== REALTIME_PROTOCOL_VERSION) return { ok: false, refusal: 'other-version' };
  const event = env.event as { type?: unknown; projectId?: unknown } | null;
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.type !== 'string' ||
    !Object.hasOwn(EVENT_AUDIENCE, event.type) ||
    typeof event.projectId !== 'string'
  ) {
    return { ok: false, refusal: 'unknown-event' };
  }
  if (env.userId !== undefined && typeof env.userId !== 'string') return { ok: false, refusal: 'not-an-envelope' };
  return { ok: true, envelope: env as EventEnvelope };
}

/**
 * The request header by which a client names its own Socket.io connection (its `socket.id`): an
 * event whose content the request's answer already carries is not sent to that socket again
 * (the API's rule RT5). Unverified by the server, and harmless: it only ever holds an event back
 * from one socket in the caller's own room.
 */
export const SOCKET_HEADER = 'x-concord-socket';

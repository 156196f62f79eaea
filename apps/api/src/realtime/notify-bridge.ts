import type { Sql } from '../db/sql.js';
import { EVENT_AUDIENCE, EVENTS_CHANNEL, type ServerEvent } from './events.js';

/** A message on the NOTIFY channel: an event plus, optionally, the one user it is for. */
export interface NotifyEnvelope { event: ServerEvent; userId?: string }

/**
 * Events published by other processes (trainer, CLI ingest, other API nodes' per-user events)
 * arrive through PostgreSQL NOTIFY; each is handed to `deliver` on this node only (every node
 * receives the NOTIFY itself, so a cluster-wide emit would repeat it). Returns the unlisten.
 */
export async function listenForEvents(sql: Sql, deliver: (env: NotifyEnvelope) => void): Promise<() => Promise<void>> {
  const sub = await sql.listen(EVENTS_CHANNEL, (payload) => {
    try {
      // Either a bare ServerEvent (the trainer) or an envelope naming one recipient.
      const parsed = JSON.parse(payload) as NotifyEnvelope | ServerEvent;
      const env: NotifyEnvelope = 'event' in parsed ? parsed : { event: parsed };
      if (!env.event || !(env.event.type in EVENT_AUDIENCE)) return;
      deliver(env);
    } catch { /* malformed payloads are dropped: nothing to deliver */ }
  });
  return () => sub.unlisten();
}

/** For processes without sockets: publish through PostgreSQL, the API nodes deliver. */
export async function publishEvent(sql: Sql, event: ServerEvent, userId?: string): Promise<void> {
  const env: NotifyEnvelope = userId ? { event, userId } : { event };
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(env)})`;
}

import type { Sql } from '@concord/db';
import { decodeEnvelope, encodeEnvelope, type EventEnvelope, type Refusal } from '@concord/contracts';
import { EVENTS_CHANNEL, type ServerEvent } from '@concord/contracts';

/**
 * Events published by other processes (trainer, CLI ingest, other API nodes' per-user events)
 * arrive through PostgreSQL NOTIFY; each is handed to `deliver` on this node only (every node
 * receives the NOTIFY itself, so a cluster-wide emit would repeat it). Returns the unlisten.
 */
export async function listenForEvents(
  sql: Sql,
  deliver: (env: EventEnvelope) => void,
  refused: (why: Refusal) => void = () => {},
): Promise<() => Promise<void>> {
  const sub = await sql.listen(EVENTS_CHANNEL, (payload) => {
    // Refused messages are dropped, counted by reason: nothing in them can be delivered safely.
    const d = decodeEnvelope(payload);
    if (d.ok) deliver(d.envelope);
    else refused(d.refusal);
  });
  return () => sub.unlisten();
}

/** For processes without sockets: publish through PostgreSQL, the API nodes deliver. */
export async function publishEvent(sql: Sql, event: ServerEvent, userId?: string): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${encodeEnvelope(event, userId)})`;
}

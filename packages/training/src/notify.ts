import type { Sql, TxSql } from '@concord/db';
import { encodeEnvelope } from '@concord/contracts';
import { EVENTS_CHANNEL, type ServerEvent } from '@concord/contracts';

/**
 * Publishes a realtime event through PostgreSQL NOTIFY; the API nodes forward it to sockets
 * (TR14). Inside a transaction the event is delivered only if the transaction commits.
 */
export async function publish(sql: Sql | TxSql, event: ServerEvent): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${encodeEnvelope(event)})`;
}

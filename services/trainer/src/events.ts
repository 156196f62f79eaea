import type { Sql, TxSql } from '@concord/db';
import { EVENTS_CHANNEL, type ServerEvent } from '@concord/contracts';

/**
 * Publishes a realtime event through PostgreSQL NOTIFY; the API forwards it to sockets (TR14).
 * Inside a transaction the event is delivered only if the transaction commits.
 */
export async function publish(sql: Sql | TxSql, event: ServerEvent): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(event)})`;
}

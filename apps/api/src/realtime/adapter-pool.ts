import pg from 'pg';

/**
 * The Socket.io PostgreSQL adapter's connections, closable at any moment [MN3].
 *
 * The adapter checks its LISTEN client out of the pool and keeps it. If the server closes while
 * that checkout (connect, then LISTEN) is under way, the adapter's close finds no client to
 * release, the client arrives afterwards and stays checked out, and `pg.Pool.end()` waits for
 * it for ever: the API never finished closing (a test:fresh run sat 15 min in one test's
 * close). So this pool remembers the clients it lent through `connect()` and destroys those
 * still out when it ends; after that a checkout never settles, which parks the adapter's
 * reconnect loop instead of spinning it on "pool ended" errors.
 */
export class AdapterPool {
  private readonly pool: pg.Pool;
  private readonly lent = new Set<pg.PoolClient>();
  private ended = false;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'concord-socketio' });
    this.pool.on('error', () => {});
    // The LISTEN client is checked out, where pg would throw its errors (e.g. a database
    // restart) as uncaught; the adapter reconnects on 'end' by itself.
    this.pool.on('connect', (client) => client.on('error', () => {}));
    this.pool.on('release', (_err, client) => this.lent.delete(client));
  }

  /** What the adapter is given: the two calls it makes, connect() and query(). */
  forAdapter(): pg.Pool {
    const facade = {
      connect: () => this.checkout(),
      query: (text: string, values?: unknown[]) => this.pool.query(text, values),
    };
    return facade as unknown as pg.Pool;
  }

  private async checkout(): Promise<pg.PoolClient> {
    if (this.ended) return never();
    const client = await this.pool.connect();
    if (this.ended) {
      client.release(true);
      return never();
    }
    this.lent.add(client);
    return client;
  }

  async end(): Promise<void> {
    this.ended = true;
    for (const client of this.lent) client.release(true);
    this.lent.clear();
    await this.pool.end().catch(() => {});
  }
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TxSql = postgres.TransactionSql<Record<string, never>>;

/**
 * The one place a `postgres` client is configured. Every process (API, CLI, trainer, tests)
 * builds its client here so pool size, naming and parsing stay the same everywhere.
 */
export function createSql(url: string, opts: { appName?: string; max?: number } = {}): Sql {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    connection: { application_name: opts.appName ?? 'concord' },
    onnotice: () => {},
    // bigint counts come back as numbers: no count in Concord approaches 2^53.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number) => String(x),
        parse: (x: string) => Number(x),
      },
    },
  }) as unknown as Sql;
  return withReservedTransactions(sql);
}

/**
 * postgres.js 3.4 can send a transaction's BEGIN on a pipelined connection without reserving it
 * (porsager/postgres#823, #1189, open): under load `sql.begin` then fails with UNSAFE_TRANSACTION
 * or, worse, leaves other queries running inside someone else's transaction. We reserve a
 * connection first and issue BEGIN/COMMIT on it ourselves, so no other query can share it.
 */
function withReservedTransactions(sql: Sql): Sql {
  const begin = async (...args: unknown[]) => {
    const fn = args[args.length - 1] as (tx: unknown) => unknown;
    const options = args.length > 1 ? String(args[0]) : '';
    const conn = await sql.reserve();
    try {
      await conn.unsafe(options ? `begin ${options}` : 'begin');
      try {
        const result = await fn(conn);
        await conn.unsafe('commit');
        return result;
      } catch (e) {
        await conn.unsafe('rollback').catch(() => {});
        throw e;
      }
    } finally {
      conn.release();
    }
  };
  Object.defineProperty(sql, 'begin', { value: begin });
  return sql;
}

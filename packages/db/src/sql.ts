import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TxSql = postgres.TransactionSql<Record<string, never>>;

/**
 * The driver's own column-name transform (reads_done -> readsDone), for the edges whose format
 * is snake_case (export column names): they map a row's key with the same function that made it.
 */
export const columnKey = (column: string): string =>
  // postgres.toCamel reads past the end of a name ending in '_' and throws while the row is being
  // parsed; such a name (a typo'd alias) is kept as it is instead.
  column.endsWith('_') ? column : postgres.toCamel(column);

/**
 * The one place a `postgres` client is configured. Every process (API, CLI, trainer, tests)
 * builds its client here so pool size, naming and parsing stay the same everywhere.
 */
// The URL each client was built from, so a session client can be built the same way.
const urls = new WeakMap<object, string>();

export interface SqlOptions {
  appName?: string;
  max?: number;
  /** Sees every statement with its text and parameters (the driver's debug mode: it captures a stack trace per query). */
  debug?: (query: string, params: unknown[]) => void;
  /**
   * Told of every statement sent, without the driver's debug mode: that mode captures a stack
   * trace for each query, about 4% of the API's CPU under bench/labeling, which distorted what
   * the bench measures. For counting only; `debug` wins when both are given.
   */
  onStatement?: () => void;
}

export function createSql(url: string, opts: SqlOptions = {}): Sql {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    // Tests capture the statements a piece of code sends (the promotion gate reads no test slice; a
    // completing submit sends what a pending one does).
    ...(opts.debug ? { debug: (_conn: number, query: string, params: unknown[]) => opts.debug!(query, params) } : {}),
    connection: { application_name: opts.appName ?? 'concord' },
    onnotice: () => {},
    // Rows come back with camelCase keys (reads_done -> readsDone), so a row is already the shape the
    // GraphQL schema and the code name, with no renaming layer between them [DB2]. Keys handed to the
    // sql(obj) / sql(rows, 'col') helpers and sql('identifier') go back through fromCamel; snake_case
    // and all-lowercase names pass through unchanged. Only column *names* are transformed, never
    // values: postgres.camel would also rewrite the top-level keys of every json/jsonb value, silently
    // changing stored documents (audit payloads, series rules, metrics, job output) as they are read.
    transform: { column: { from: columnKey, to: postgres.fromCamel } },
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
  // postgres.js 3.4 captures the stack (new Error()) for queries of a client built with `debug`,
  // but calls `options.debug` for every statement sent, read when the statement is built: a
  // hook set after construction is called without the capture (transactions and reserved
  // connections, built later, still capture; the label path sends neither).
  if (opts.onStatement && !opts.debug) {
    const count = opts.onStatement;
    (sql.options as unknown as { debug: () => void }).debug = () => count();
  }
  urls.set(sql, url);
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
    return withReserved(sql, async (conn, markLost) => {
      await conn.unsafe(options ? `begin ${options}` : 'begin');
      try {
        const result = await fn(conn);
        await conn.unsafe('commit');
        return result;
      } catch (e) {
        // The server rolled back when the session died; writing to the dead socket would crash.
        if (!isConnectionLost(e))
          await conn.unsafe('rollback').catch((r) => {
            if (isConnectionLost(r)) markLost();
          });
        throw e;
      }
    });
  };
  Object.defineProperty(sql, 'begin', { value: begin });
  return sql;
}

/**
 * True when the error means the connection itself is gone (server restart, terminated backend,
 * network), not that a statement failed: SQLSTATE classes 08 (connection exception) and 57P
 * (operator intervention: shutdown, terminated), and postgres.js' own connection errors.
 */
export function isConnectionLost(e: unknown): boolean {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  return (
    /^08|^57P0/.test(code) ||
    ['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)
  );
}

/**
 * Runs `fn` on a reserved connection and returns it to the pool unless it died. postgres.js 3.4.9
 * puts a released dead connection back among the open ones, and the pool's next write on it
 * throws from a setImmediate: an uncatchable crash of the process (porsager/postgres#1199, #1208,
 * open). Left unreleased, the dead connection stays closed and the pool reconnects it on demand.
 * `markLost` is for a loss `fn` saw but does not rethrow.
 */
export async function withReserved<T>(sql: Sql, fn: (conn: postgres.ReservedSql<Record<string, never>>, markLost: () => void) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  let lost = false;
  try {
    return await fn(conn, () => {
      lost = true;
    });
  } catch (e) {
    lost ||= isConnectionLost(e);
    throw e;
  } finally {
    if (!lost) conn.release();
  }
}

/**
 * A client of one connection to the same database, for session state held for long (an advisory
 * lock through a training round). A reserved pool connection cannot be used for that: if its
 * backend dies while it is held, the next statement on it crashes the process (see above); a
 * client of its own reconnects instead, and the caller learns that its session state is gone.
 */
export function createSessionClient(sql: Sql, appName: string): Sql {
  const url = urls.get(sql);
  if (!url) throw new Error('createSessionClient needs a client made by createSql');
  return createSql(url, { max: 1, appName });
}

import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TxSql = postgres.TransactionSql<Record<string, never>>;

/**
 * The one place a `postgres` client is configured. Every process (API, CLI, trainer, tests)
 * builds its client here so pool size, naming and parsing stay the same everywhere.
 */
export function createSql(url: string, opts: { appName?: string; max?: number } = {}): Sql {
  return postgres(url, {
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
}

import type PgBoss from 'pg-boss';
import { withReserved, type Sql, type TxSql } from '@concord/db';

/**
 * pg-boss was written for pg, which sends undefined as null. postgres.js describes each
 * statement first and serialises objects and arrays by the parameter's real type (json, uuid[]).
 */
function toPgParam(v: unknown): unknown {
  return v === undefined ? null : v;
}

const OPENS_TRANSACTION = /(^|;)\s*BEGIN\b/i;

/**
 * pg-boss on our one `postgres` client: no second connection pool in the process. Given a
 * transaction, pg-boss' statements join it, so a check and the settle it guards commit together.
 */
export function bossDb(sql: Sql | TxSql): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const params = (values ?? []).map(toPgParam) as never[];
      if (!('reserve' in sql) || !OPENS_TRANSACTION.test(text)) return { rows: (await sql.unsafe(text, params)) as unknown as unknown[] };
      // pg-boss sends some commands as one BEGIN; …; COMMIT string. postgres.js only allows
      // that on a connection reserved for it, so the pool cannot interleave other queries.
      return withReserved(sql, async (conn) => ({ rows: (await conn.unsafe(text, params)) as unknown as unknown[] }));
    },
  };
}

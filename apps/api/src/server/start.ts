import type { AddressInfo } from 'node:net';
import { createSql, type Sql, migrate, fileStoreFor } from '@concord/db';
import { loadConfig, type Config } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { buildApp } from './app.js';

export interface RunningApi {
  url: string;
  port: number;
  sql: Sql;
  close(): Promise<void>;
}

export interface StartOptions {
  databaseUrl: string;
  dataDir?: string;
  port?: number;
  host?: string;
  /** Browser origins allowed to call with credentials (the web app). */
  webOrigins?: string[];
  config?: Partial<Config>;
  logLevel?: string;
  /** Sees every statement the API's pool sends (bench/labeling counts statements per label with it). */
  sqlDebug?: (query: string) => void;
  /** Told of every statement the API's pool sends, at no per-query cost (bench/labeling counts with it). */
  onStatement?: () => void;
  /** The migrations to apply; the repository's by default (bench/labeling runs an older schema beside it). */
  migrationsDir?: string;
  /** How long close() lets requests in flight finish before cutting their connections (default CLOSE_GRACE_MS). */
  closeGraceMs?: number;
}

/**
 * Inside docker's default 10 s between SIGTERM and SIGKILL (docker-compose.yml gives 30 s), with
 * time left to close the pools.
 */
export const CLOSE_GRACE_MS = 8_000;

/**
 * Starts GraphQL, images, exports, uploads and Socket.io on one HTTP server. Migrates first.
 * close() stops taking work, lets in-flight requests finish, closes sockets, then the pool.
 */
export async function startApiServer(opts: StartOptions): Promise<RunningApi> {
  const base = loadConfig();
  const config: Config = { ...base, ...opts.config, databaseUrl: opts.databaseUrl, dataDir: opts.dataDir ?? base.dataDir };
  const logger = createLogger(opts.logLevel ?? config.logLevel);
  const sql = createSql(opts.databaseUrl, {
    appName: 'concord-api',
    max: 20,
    ...(opts.sqlDebug ? { debug: opts.sqlDebug } : {}),
    onStatement: opts.onStatement,
  });
  await migrate(sql, opts.migrationsDir);
  const store = fileStoreFor(config.dataDir);
  const webPort = config.webPort;
  const origins = opts.webOrigins ?? config.webOrigins ?? [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`];
  const built = await buildApp({ sql, config, store }, logger, origins);
  const port = opts.port ?? config.port;
  await new Promise<void>((resolve, reject) => {
    built.httpServer.once('error', reject);
    built.httpServer.listen(port, opts.host ?? '0.0.0.0', () => resolve());
  });
  built.setReady(true);
  const actual = (built.httpServer.address() as AddressInfo).port;
  logger.info({ port: actual }, 'Concord API listening');
  let closed = false;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    sql,
    async close() {
      if (closed) return;
      closed = true;
      built.setReady(false);
      built.background.close();
      // Socket.io's close waits for the HTTP server's, which waits for every connection: one
      // client that never finishes its request held the process for Node's request timeout
      // (300 s), past any stop grace [PS4].
      const cut = setTimeout(() => built.httpServer.closeAllConnections(), opts.closeGraceMs ?? CLOSE_GRACE_MS);
      await built.hub.close().finally(() => clearTimeout(cut));
      await built.sessions.close();
      await built.apollo.stop();
      await sql.end({ timeout: 5 });
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import { runningPostmasterPid, startEmbeddedPostgres } from './embedded.js';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  release(): Promise<void>;
}

/** What resolving needs of a process's configuration: the explicit URL, else the data dir. */
export interface DatabaseSettings {
  databaseUrl: string | undefined;
  dataDir: string;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under the data dir. If another
 * Concord process already runs that embedded server, we join it instead of starting a second.
 */
export async function resolveDatabase(config: DatabaseSettings): Promise<ResolvedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, release: async () => {} };
  const dir = path.join(config.dataDir, 'pg');
  const portFile = path.join(config.dataDir, 'pg.port');
  if (fs.existsSync(portFile) && runningPostmasterPid(dir) !== null) {
    const port = Number(fs.readFileSync(portFile, 'utf8').trim());
    return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, embedded: true, release: async () => {} };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const port = Number(process.env.CONCORD_EMBEDDED_PG_PORT || 0) || undefined;
  const handle = await startEmbeddedPostgres(dir, { port });
  fs.writeFileSync(portFile, new URL(handle.url).port);
  return { url: handle.url, embedded: true, release: () => handle.stop() };
}

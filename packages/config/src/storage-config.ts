import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { ConfigError } from './config-error.js';

/** Where a process finds Concord's data: the API, the trainer and the tools read it the same way. */
export interface StorageConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Secret used to derive patient pseudonyms and de-identified UIDs; stable per deployment. */
  pseudonymSecret: string;
}

export function loadStorageConfig(env: NodeJS.ProcessEnv = process.env): StorageConfig {
  const dataDir = path.resolve(env.CONCORD_DATA_DIR || path.join(REPO_ROOT, '.data'));
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (got a value of another scheme)`);
  }
  return { databaseUrl, dataDir, pseudonymSecret: env.CONCORD_SECRET || 'concord-dev-secret-change-me' };
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestLimitsFromEnv, ingestWorkersFromEnv, IngestLimitsError } from '../ingest/limits.js';

/** Repository root, so defaults do not depend on the working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  webPort: number;
  /** Secret used to derive patient pseudonyms and de-identified UIDs; stable per deployment. */
  pseudonymSecret: string;
  sessionTtlHours: number;
  /** How long a node may answer from its session cache without asking the database (0: never). */
  sessionCacheSeconds: number;
  logLevel: string;
  /** Multipart upload caps: the whole request and each file in it (bytes). */
  uploadMaxBytes: number;
  uploadMaxFileBytes: number;
}

export class ConfigError extends Error {}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535 * 1000) {
    throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  }
  return n;
}

/** A size given in MiB (whole, at least 1), as bytes. */
function mibFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const mib = intFromEnv(env, name, fallback);
  if (mib < 1) throw new ConfigError(`${name} must be at least 1 (MiB), got "${env[name]}"`);
  return mib * 1024 * 1024;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.CONCORD_DATA_DIR || path.join(REPO_ROOT, '.data'));
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (got a value of another scheme)`);
  }
  try {
    ingestLimitsFromEnv(env);
    ingestWorkersFromEnv(env);
  } catch (e) {
    if (e instanceof IngestLimitsError) throw new ConfigError(e.message);
    throw e;
  }
  return {
    databaseUrl,
    dataDir,
    port: intFromEnv(env, 'PORT', 4000),
    webPort: intFromEnv(env, 'WEB_PORT', 3000),
    pseudonymSecret: env.CONCORD_SECRET || 'concord-dev-secret-change-me',
    sessionTtlHours: intFromEnv(env, 'CONCORD_SESSION_TTL_HOURS', 12),
    sessionCacheSeconds: intFromEnv(env, 'CONCORD_SESSION_CACHE_SECONDS', 5),
    logLevel: env.LOG_LEVEL || 'info',
    uploadMaxBytes: mibFromEnv(env, 'CONCORD_UPLOAD_MAX_MIB', 2048),
    uploadMaxFileBytes: mibFromEnv(env, 'CONCORD_UPLOAD_MAX_FILE_MIB', 1024),
  };
}

import { ConfigError, loadStorageConfig, REPO_ROOT, type StorageConfig } from '@concord/config';
import { ingestLimitsFromEnv, ingestWorkersFromEnv, IngestLimitsError } from '../ingest/limits.js';
import proxyaddr from 'proxy-addr';
import type { QueryLimits } from '../graphql/query-limits.js';

// The settings the trainer and the tools share live in @concord/config; the API adds its own.
export { ConfigError, REPO_ROOT };

export interface Config extends StorageConfig {
  port: number;
  webPort: number;
  sessionTtlHours: number;
  /** How long a node may answer from its session cache without asking the database (0: never). */
  sessionCacheSeconds: number;
  logLevel: string;
  /** Multipart upload caps: the whole request and each file in it (bytes). */
  uploadMaxBytes: number;
  uploadMaxFileBytes: number;
  /**
   * Which peers may tell the client's address in X-Forwarded-For: false (none), a hop count, or
   * addresses/subnets (Express `trust proxy` syntax). The login limits key on the result.
   */
  trustProxy: false | number | string[];
  /** Browser origins allowed to call with credentials: CORS, REST Origin checks, socket handshakes. */
  webOrigins: string[] | undefined;
  /** Session cookie `Secure`: 'auto' sets it when the request arrived over HTTPS. */
  cookieSecure: 'auto' | boolean;
  /** Bearer token that opens /metrics from anywhere; unset: only metricsAllow addresses. */
  metricsToken: string | undefined;
  /** Addresses/subnets that may read /metrics without the token. */
  metricsAllow: string[];
  /** GraphQL introspection; off in production unless asked for. */
  introspection: boolean;
  /** Per-operation GraphQL limits; tests and benches override them, deployments keep the defaults. */
  queryLimits?: QueryLimits;
}

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

function listFromEnv(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function boolFromEnv(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

/** Addresses, subnets or proxy-addr names (loopback, linklocal, uniquelocal); refused when proxy-addr cannot compile them. */
function addressesFromEnv(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const list = listFromEnv(env, name);
  if (!list) return undefined;
  try {
    proxyaddr.compile(list);
  } catch (e) {
    throw new ConfigError(`${name} must list IP addresses, subnets (10.0.0.0/8) or loopback/linklocal/uniquelocal: ${(e as Error).message}`);
  }
  return list;
}

function trustProxyFromEnv(env: NodeJS.ProcessEnv): Config['trustProxy'] {
  const raw = env.CONCORD_TRUST_PROXY?.trim();
  if (!raw || raw === '0' || raw.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return addressesFromEnv(env, 'CONCORD_TRUST_PROXY') ?? false;
}

function originsFromEnv(env: NodeJS.ProcessEnv): string[] | undefined {
  const list = listFromEnv(env, 'CONCORD_WEB_ORIGINS');
  for (const o of list ?? []) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(o);
    } catch {
      /* reported below */
    }
    if (!parsed || parsed.origin !== o)
      throw new ConfigError(`CONCORD_WEB_ORIGINS must list origins like https://concord.example.org (scheme, host, optional port; no path), got "${o}"`);
  }
  return list;
}

function metricsTokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const t = env.CONCORD_METRICS_TOKEN?.trim();
  if (!t) return undefined;
  if (t.length < 16) throw new ConfigError('CONCORD_METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)');
  return t;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const storage = loadStorageConfig(env);
  try {
    ingestLimitsFromEnv(env);
    ingestWorkersFromEnv(env);
  } catch (e) {
    if (e instanceof IngestLimitsError) throw new ConfigError(e.message);
    throw e;
  }
  return {
    ...storage,
    port: intFromEnv(env, 'PORT', 4000),
    webPort: intFromEnv(env, 'WEB_PORT', 3000),
    sessionTtlHours: intFromEnv(env, 'CONCORD_SESSION_TTL_HOURS', 12),
    sessionCacheSeconds: intFromEnv(env, 'CONCORD_SESSION_CACHE_SECONDS', 5),
    logLevel: env.LOG_LEVEL || 'info',
    uploadMaxBytes: mibFromEnv(env, 'CONCORD_UPLOAD_MAX_MIB', 2048),
    uploadMaxFileBytes: mibFromEnv(env, 'CONCORD_UPLOAD_MAX_FILE_MIB', 1024),
    trustProxy: trustProxyFromEnv(env),
    webOrigins: originsFromEnv(env),
    cookieSecure: env.CONCORD_COOKIE_SECURE?.trim().toLowerCase() === 'auto' ? 'auto' : (boolFromEnv(env, 'CONCORD_COOKIE_SECURE') ?? 'auto'),
    metricsToken: metricsTokenFromEnv(env),
    metricsAllow: addressesFromEnv(env, 'CONCORD_METRICS_ALLOW') ?? ['loopback'],
    introspection: boolFromEnv(env, 'CONCORD_GRAPHQL_INTROSPECTION') ?? env.NODE_ENV !== 'production',
  };
}

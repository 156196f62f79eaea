/**
 * Resource caps per file. A file's header says how much memory decoding it takes (Rows × Columns
 * × frames × 4 bytes while decoding, more inside a codec), and a 263 KB RLE file can claim 4096²;
 * the caps refuse such a file before anything is allocated for its pixels.
 */
import { availableParallelism } from 'node:os';

export interface IngestLimits {
  /** Largest Rows × Columns of one frame. */
  maxImagePixels: number;
  /** Most frames in one file. */
  maxFrames: number;
}

/** MR matrices are at most 1024² in practice; 2048² leaves room for interpolated reconstructions. */
export const DEFAULT_LIMITS: IngestLimits = { maxImagePixels: 2048 * 2048, maxFrames: 2000 };

export class IngestLimitsError extends Error {}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new IngestLimitsError(`${name} must be a whole number of at least 1, got "${raw}"`);
  return n;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > 64) throw new IngestLimitsError(`${name} must be a whole number from 0 to 64, got "${raw}"`);
  return n;
}

/** CONCORD_INGEST_WORKERS: decoding threads (0 = decode on the calling thread). Throws on a bad value. */
export function ingestWorkersFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return whole(env, 'CONCORD_INGEST_WORKERS', availableParallelism());
}

/** CONCORD_INGEST_MAX_PIXELS and CONCORD_INGEST_MAX_FRAMES; throws on a bad value. */
export function ingestLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): IngestLimits {
  return {
    maxImagePixels: positive(env, 'CONCORD_INGEST_MAX_PIXELS', DEFAULT_LIMITS.maxImagePixels),
    maxFrames: positive(env, 'CONCORD_INGEST_MAX_FRAMES', DEFAULT_LIMITS.maxFrames),
  };
}

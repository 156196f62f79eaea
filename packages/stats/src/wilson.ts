import { ConcordError, ErrorCode } from '@concord/contracts';
import { assertCount } from './table.js';
import { Z_95 } from './normal.js';

export interface Proportion {
  estimate: number;
  low: number;
  high: number;
}

/**
 * x/n with the Wilson score interval (Wilson 1927; Newcombe 1998 method 3), which stays
 * inside [0, 1] and behaves at x = 0 and x = n where the Wald interval collapses.
 * Null when n = 0. [AG5]
 */
export function wilson(x: number, n: number, z = Z_95): Proportion | null {
  assertCount(x, 'successes');
  assertCount(n, 'trials');
  if (x > n) throw new ConcordError(ErrorCode.BAD_INPUT, `successes (${x}) cannot exceed trials (${n})`);
  if (n === 0) return null;
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At x = 0 or x = n the bound is exactly 0 or 1; say so rather than leave 1e-17.
  return {
    estimate: p,
    low: x === 0 ? 0 : Math.max(0, centre - half),
    high: x === n ? 1 : Math.min(1, centre + half),
  };
}

import { ConcordError, ErrorCode } from '@concord/contracts';

/** A binary reference label as callers hold it: a database smallint or a boolean. */
export type BinaryLabel = 0 | 1 | boolean;

export function isPositiveLabel(label: BinaryLabel, index: number): boolean {
  if (label === true || label === 1) return true;
  if (label === false || label === 0) return false;
  throw new ConcordError(ErrorCode.BAD_INPUT, `label ${index} must be 0, 1, true or false, got ${String(label)}`);
}

export function assertSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `${what}: ${a.length} scores but ${b.length} labels; give one label per score`);
  }
}

export function assertProbability(p: number, index: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `probability ${index} must be between 0 and 1, got ${String(p)}`);
  }
}

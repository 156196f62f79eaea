import { ConcordError, ErrorCode } from '@concord/contracts';

/**
 * A 2×2 agreement table. First index = reader A's value, second = reader B's value,
 * so `n01` counts items A called 0 and B called 1.
 */
export interface Table2x2 {
  n00: number;
  n01: number;
  n10: number;
  n11: number;
}

export const EMPTY_TABLE: Readonly<Table2x2> = Object.freeze({ n00: 0, n01: 0, n10: 0, n11: 0 });

/** Throws BAD_INPUT unless `x` is a non-negative whole number (counts only). */
export function assertCount(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 0) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `${what} must be a whole number of at least 0, got ${String(x)}`);
  }
}

export function assertTable(t: Table2x2): void {
  assertCount(t.n00, 'n00');
  assertCount(t.n01, 'n01');
  assertCount(t.n10, 'n10');
  assertCount(t.n11, 'n11');
}

export function tableTotal(t: Table2x2): number {
  return t.n00 + t.n01 + t.n10 + t.n11;
}

/** Adds one observed pair (values 0/1) to a table, returning a new table. */
export function tally(t: Table2x2, a: number, b: number, count = 1): Table2x2 {
  assertCount(count, 'count');
  const key = `n${cell(a, 'a')}${cell(b, 'b')}` as keyof Table2x2;
  return { ...t, [key]: t[key] + count };
}

function cell(v: number, which: string): 0 | 1 {
  if (v !== 0 && v !== 1) throw new ConcordError(ErrorCode.BAD_INPUT, `reader ${which} value must be 0 or 1, got ${String(v)}`);
  return v;
}

/** The GraphQL `table` field: [[n00, n01], [n10, n11]]. */
export function tableMatrix(t: Table2x2): [[number, number], [number, number]] {
  return [
    [t.n00, t.n01],
    [t.n10, t.n11],
  ];
}

import { ConcordError, ErrorCode } from '@concord/contracts';
import { assertCount, assertTable, type Table2x2 } from './table.js';
import { Z_95 } from './normal.js';

export interface KappaEstimate {
  kappa: number;
  /** Large-sample standard error of kappa-hat (not the one under H0: kappa = 0). */
  se: number;
  /** kappa ± 1.96·se, clamped to [−1, 1]. */
  low: number;
  high: number;
}

/**
 * Cohen's kappa for a square table of counts (rows = reader A, columns = reader B) with
 * the large-sample standard error of Fleiss, Cohen & Everitt (1969), the one SAS PROC FREQ
 * reports as ASE:
 *
 *   var = [ Σi pii·(1 − (pi. + p.i)(1 − κ))² + (1 − κ)²·Σi≠j pij·(p.i + pj.)² − (κ − pe(1 − κ))² ]
 *         / ( n·(1 − pe)² )
 *
 * Returns null for an empty table. When every rating by both readers is the same single
 * category, chance agreement is 1 and kappa is 0/0; we report kappa = 1 with se = 0
 * (SPEC AG3), matching PABAK and AC1, which are both 1 there.
 */
export function cohenKappaMatrix(counts: readonly (readonly number[])[]): KappaEstimate | null {
  const q = counts.length;
  if (q < 2 || counts.some((row) => row.length !== q)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `kappa needs a square table with at least 2 categories, got ${q} rows`);
  }
  let n = 0;
  for (const row of counts)
    for (const c of row) {
      assertCount(c, 'table cell');
      n += c;
    }
  if (n === 0) return null;

  const rowCount = counts.map((row) => row.reduce((s, c) => s + c, 0));
  const colCount = counts[0].map((_, j) => counts.reduce((s, row) => s + row[j], 0));
  // Decided on integers so rounding cannot hide (or invent) the degenerate case.
  if (rowCount.some((r, i) => r === n && colCount[i] === n)) return { kappa: 1, se: 0, low: 1, high: 1 };

  const row = rowCount.map((c) => c / n);
  const col = colCount.map((c) => c / n);
  let po = 0;
  let pe = 0;
  for (let i = 0; i < q; i++) {
    po += counts[i][i] / n;
    pe += row[i] * col[i];
  }
  const kappa = (po - pe) / (1 - pe);

  let a = 0;
  let b = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const pij = counts[i][j] / n;
      if (i === j) a += pij * (1 - (row[i] + col[i]) * (1 - kappa)) ** 2;
      else b += pij * (col[i] + row[j]) ** 2;
    }
  }
  b *= (1 - kappa) ** 2;
  const c = (kappa - pe * (1 - kappa)) ** 2;
  // a + b − c is a variance times a positive factor; rounding can push 0 slightly below.
  const variance = Math.max(0, a + b - c) / (n * (1 - pe) ** 2);
  const se = Math.sqrt(variance);
  return { kappa, se, low: Math.max(-1, kappa - Z_95 * se), high: Math.min(1, kappa + Z_95 * se) };
}

/** Cohen's kappa with 95% CI for a 2×2 table; see cohenKappaMatrix. [AG3] */
export function cohenKappa(t: Table2x2): KappaEstimate | null {
  assertTable(t);
  return cohenKappaMatrix([
    [t.n00, t.n01],
    [t.n10, t.n11],
  ]);
}

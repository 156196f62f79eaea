import { assertCount } from './table.js';

/**
 * Two-sided exact McNemar test: with b and c the discordant counts, under H0 b ~ Bin(b + c, ½)
 * and p = min(1, 2·P(X ≤ min(b, c))). No discordant pairs ⇒ p = 1 (nothing contradicts
 * symmetry). [AG6]
 *
 * Summed in log space from the largest term down so that b + c in the millions neither
 * underflows 2^−n nor overflows the binomial coefficient.
 */
export function mcnemarExactP(b: number, c: number): number {
  assertCount(b, 'discordant count b');
  assertCount(c, 'discordant count c');
  const n = b + c;
  const m = Math.min(b, c);
  if (2 * m >= n) return 1; // b = c (including n = 0): the tail already holds half the mass
  // log C(n, m) − n·ln 2 is the log of the largest term of the tail, P(X = m). Neumaier
  // (compensated) summation: m plain additions of ~1 onto a total near n·ln 2 would lose
  // about 1e-8 of relative precision at n ≈ 10^6.
  let logTop = -n * Math.LN2;
  let compensation = 0;
  for (let j = 1; j <= m; j++) {
    const x = Math.log((n - m + j) / j);
    const t = logTop + x;
    compensation += Math.abs(logTop) >= Math.abs(x) ? logTop - t + x : x - t + logTop;
    logTop = t;
  }
  logTop += compensation;
  // P(X = i − 1) / P(X = i) = i / (n − i + 1); add terms while they still matter.
  let ratioSum = 1;
  let term = 1;
  for (let i = m; i >= 1; i--) {
    term *= i / (n - i + 1);
    ratioSum += term;
    if (term < 1e-17 * ratioSum) break;
  }
  return Math.min(1, 2 * Math.exp(logTop) * ratioSum);
}

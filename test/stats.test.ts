import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binaryEntropy,
  cohenKappa,
  cohenKappaMatrix,
  expectedCalibrationError,
  gwetAc1,
  mcnemarExactP,
  negativeAgreement,
  pabak,
  percentAgreement,
  positiveAgreement,
  rocAuc,
  rocAucWithCi,
  aucStandardError,
  aucInterval,
  screening,
  screeningRow,
  sensitivitySpecificity,
  wilson,
  type ScreeningPatient,
  type Table2x2,
} from '@concord/stats';
import { isConcordError } from '@concord/contracts';

function close(actual: number | null | undefined, expected: number, tolerance: number, what = 'value') {
  assert.ok(typeof actual === 'number', `${what}: expected a number, got ${String(actual)}`);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

const badInput = (e: unknown) => isConcordError(e) && e.code === 'BAD_INPUT';

// --------------------------------------------------------------------------- agreement indices

// A table built to reproduce the study's specific agreements: 96.4% on uncompressed slices and
// 88.1% on compressed ones. 2·134 / (2·134 + 10) = 268/278 = 0.96403; 2·37 / (2·37 + 10) = 74/84 = 0.88095.
const STUDY: Table2x2 = { n00: 134, n01: 6, n10: 4, n11: 37 };

test('[AG1] specific agreements reproduce the study (96.4% negative, 88.1% positive)', () => {
  close(negativeAgreement(STUDY), 268 / 278, 1e-15, 'negative');
  close(positiveAgreement(STUDY), 74 / 84, 1e-15, 'positive');
  assert.equal(negativeAgreement(STUDY)!.toFixed(3), '0.964');
  assert.equal(positiveAgreement(STUDY)!.toFixed(3), '0.881');
  close(percentAgreement(STUDY), 171 / 181, 1e-15, 'percent');
});

test('[AG3] [AG4] kappa, PABAK and AC1 of the study table, as exact fractions', () => {
  // Reader A positive 41/181, reader B positive 43/181. pe = (140·138 + 41·43)/181² = 21083/32761,
  // po = 171/181, kappa = (171·181 − 21083) / (32761 − 21083) = 9868/11678.
  close(cohenKappa(STUDY)!.kappa, 9868 / 11678, 1e-14, 'kappa');
  close(pabak(STUDY), 2 * (171 / 181) - 1, 1e-15, 'pabak');
  // π = 84/362, pe = 2·84·278/362² = 46704/131044, po = 123804/131044: AC1 = 77100/84340.
  close(gwetAc1(STUDY), 77100 / 84340, 1e-14, 'ac1');
});

test('[AG3] kappa and its ASE match the SAS PROC FREQ example (kappa 0.4842, ASE 0.1380)', () => {
  // 3×3 example printed by SAS PROC FREQ (AGREE option), reproduced in statsmodels' tests:
  // Kappa 0.4842, ASE 0.1380, 95% CI 0.2137 to 0.7547.
  const k = cohenKappaMatrix([
    [0, 4, 1],
    [0, 8, 0],
    [0, 1, 5],
  ])!;
  close(k.kappa, 0.4842, 5e-5, 'kappa');
  close(k.se, 0.138, 5e-5, 'ase');
  close(k.low, 0.2137, 5e-5, 'low');
  close(k.high, 0.7547, 5e-5, 'high');
});

test('[AG3] 2×2 kappa standard error computed by hand (Fleiss, Cohen & Everitt 1969)', () => {
  // n = 50: p00 = .3, p01 = .2, p10 = .1, p11 = .4; rows .5/.5, columns .4/.6; po = .7, pe = .5, κ = .4.
  // A = .3(1 − .9·.6)² + .4(1 − 1.1·.6)² = .06348 + .04624 = .10972
  // B = .6²·[.2(.4 + .5)² + .1(.6 + .5)²] = .36·.283 = .10188
  // C = (.4 − .5·.6)² = .01;  var = (A + B − C) / (50·.5²) = .2016 / 12.5 = .016128
  const k = cohenKappa({ n00: 15, n01: 10, n10: 5, n11: 20 })!;
  close(k.kappa, 0.4, 1e-15, 'kappa');
  close(k.se, Math.sqrt(0.016128), 1e-12, 'se');
  close(k.low, 0.4 - 1.959963984540054 * Math.sqrt(0.016128), 1e-12, 'low');
  close(k.high, 0.4 + 1.959963984540054 * Math.sqrt(0.016128), 1e-12, 'high');
});

test('[AG3] the CI is clamped to [-1, 1]; perfect agreement has SE 0', () => {
  // κ = 2/3 and κ + 1.96·SE ≈ 1.23 for this small table.
  const high = cohenKappa({ n00: 3, n01: 1, n10: 0, n11: 2 })!;
  assert.ok(high.kappa + 1.96 * high.se > 1);
  assert.equal(high.high, 1);
  // κ = −12/13 and κ − 1.96·SE ≈ −1.56.
  const low = cohenKappa({ n00: 0, n01: 3, n10: 2, n11: 0 })!;
  close(low.kappa, -12 / 13, 1e-15, 'kappa');
  assert.equal(low.low, -1);
  // With κ = 1 the FCE variance is A + B − C = 1 + 0 − 1 = 0.
  assert.deepEqual(cohenKappa({ n00: 2, n01: 0, n10: 0, n11: 1 }), { kappa: 1, se: 0, low: 1, high: 1 });
});

test('[AG2] [AG3] degenerate tables: empty ⇒ null, one shared class ⇒ kappa 1', () => {
  const empty = { n00: 0, n01: 0, n10: 0, n11: 0 };
  for (const f of [percentAgreement, positiveAgreement, negativeAgreement, pabak, gwetAc1, cohenKappa]) {
    assert.equal(f(empty), null, f.name);
  }
  const allNegative = { n00: 12, n01: 0, n10: 0, n11: 0 };
  assert.deepEqual(cohenKappa(allNegative), { kappa: 1, se: 0, low: 1, high: 1 });
  assert.equal(percentAgreement(allNegative), 1);
  assert.equal(negativeAgreement(allNegative), 1);
  assert.equal(positiveAgreement(allNegative), null, 'no positive calls: positive agreement undefined');
  assert.equal(pabak(allNegative), 1);
  assert.equal(gwetAc1(allNegative), 1);
  // Each reader used one class, but not the same one: chance agreement is 0 and so is kappa.
  const opposite = { n00: 0, n01: 7, n10: 0, n11: 0 };
  assert.equal(cohenKappa(opposite)!.kappa, 0);
  assert.equal(positiveAgreement(opposite), 0);
  assert.equal(negativeAgreement(opposite), 0);
});

test('[AG2] no table with cells 0..3 gives NaN or Infinity anywhere', () => {
  for (let code = 0; code < 256; code++) {
    const t = { n00: code & 3, n01: (code >> 2) & 3, n10: (code >> 4) & 3, n11: (code >> 6) & 3 };
    const k = cohenKappa(t);
    const values = [percentAgreement(t), positiveAgreement(t), negativeAgreement(t), pabak(t), gwetAc1(t), k?.kappa, k?.se, k?.low, k?.high];
    for (const v of values) assert.ok(v === null || v === undefined || Number.isFinite(v), `table ${JSON.stringify(t)} gave ${v}`);
    if (k) assert.ok(k.low <= k.kappa && k.kappa <= k.high && k.low >= -1 && k.high <= 1, JSON.stringify({ t, k }));
  }
});

test('[AG18] counts must be whole and non-negative', () => {
  assert.throws(() => cohenKappa({ n00: -1, n01: 0, n10: 0, n11: 0 }), badInput);
  assert.throws(() => percentAgreement({ n00: 1.5, n01: 0, n10: 0, n11: 0 }), badInput);
  assert.throws(() => cohenKappaMatrix([[1, 2]]), badInput);
});

// --------------------------------------------------------------------------- McNemar

test('[AG6] McNemar exact p by hand', () => {
  // b = 1, c = 6: P(X ≤ 1 | n = 7) = (1 + 7)/128, two-sided 16/128.
  close(mcnemarExactP(1, 6), 0.125, 1e-15);
  close(mcnemarExactP(6, 1), 0.125, 1e-15);
  // b = 3, c = 10: (1 + 13 + 78 + 286)/8192 = 378/8192, two-sided 756/8192.
  close(mcnemarExactP(3, 10), 756 / 8192, 1e-15);
  // b = 0, c = 5: 2·(1/32).
  close(mcnemarExactP(0, 5), 0.0625, 1e-15);
});

test('[AG6] McNemar: balanced or no discordant pairs ⇒ p = 1; huge counts stay accurate', () => {
  assert.equal(mcnemarExactP(0, 0), 1);
  assert.equal(mcnemarExactP(4, 4), 1);
  assert.equal(mcnemarExactP(1, 2), 1); // 2·P(X ≤ 1 | n = 3) = 2·4/8
  // Reference: scipy.stats.binomtest(400000, 801000).pvalue = 0.2643285898160768.
  close(mcnemarExactP(400000, 401000), 0.2643285898160768, 1e-9, 'large');
  const tiny = mcnemarExactP(0, 5000);
  assert.ok(tiny === 0 || (tiny > 0 && tiny < 1e-300), 'underflows to 0 rather than NaN');
  assert.throws(() => mcnemarExactP(-1, 2), badInput);
});

// --------------------------------------------------------------------------- Wilson, sensitivity

test('[AG5] Wilson intervals match Newcombe (1998) Table I', () => {
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, low, high] of cases) {
    const w = wilson(x, n)!;
    close(w.estimate, x / n, 1e-15, `${x}/${n} estimate`);
    close(w.low, low, 5e-5, `${x}/${n} low`);
    close(w.high, high, 5e-5, `${x}/${n} high`);
  }
  assert.equal(wilson(0, 20)!.low, 0);
  assert.equal(wilson(20, 20)!.high, 1);
  assert.equal(wilson(0, 0), null);
  assert.throws(() => wilson(3, 2), badInput);
});

test('[AG5] sensitivity 174/179 (0.97, as in the study) with its Wilson CI by hand', () => {
  // p = .972067, z²/n = .0214607; centre = (.972067 + .0107304)/1.0214607 = .962149;
  // half = (1.959964/1.0214607)·√(.972067·.027933/179 + 3.841459/(4·179²)) = 1.918786·.0134782 = .025862.
  const d = sensitivitySpecificity({ tp: 174, fn: 5, tn: 0, fp: 0 });
  close(d.sensitivity!.estimate, 174 / 179, 1e-15);
  close(d.sensitivity!.low, 0.936287, 2e-6, 'low');
  close(d.sensitivity!.high, 0.988011, 2e-6, 'high');
  assert.equal(d.specificity, null, 'no controls: specificity undefined');
});

// --------------------------------------------------------------------------- AUC, ECE, entropy

test('[AG19] AUC standard error (Hanley & McNeil 1982) and its score-type interval', () => {
  // At A = ½ their formula must equal the exact null variance of the Mann–Whitney statistic,
  // (n₁ + n₀ + 1) / (12 n₁ n₀): Q1 = Q2 = ⅓, so V = (¼ + (n₁ + n₀ − 2)/12) / (n₁ n₀).
  for (const [n1, n0] of [
    [10, 10],
    [16, 351],
    [3, 40],
  ]) {
    const exact = Math.sqrt((n1 + n0 + 1) / (12 * n1 * n0));
    assert.ok(Math.abs(aucStandardError(0.5, n1, n0) - exact) < 1e-12, `n1=${n1} n0=${n0}`);
  }
  // Their worked example (58 abnormal, 51 normal, A = 0.893), by hand: Q1 = .80668, Q2 = .84246,
  // V = (.095551 + 57·.009236 + 50·.045075) / 2958 = .00097219, SE = .03118.
  assert.ok(Math.abs(aucStandardError(0.893, 58, 51) - 0.03118) < 0.00002, `SE ${aucStandardError(0.893, 58, 51)}`);
  // A perfect separation has no Wald variance...
  assert.equal(aucStandardError(1, 5, 5), 0);
  const ci = rocAucWithCi([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1])!;
  assert.equal(ci.estimate, 0.75);
  assert.ok(ci.low >= 0 && ci.low < 0.75 && ci.high > 0.75 && ci.high <= 1, JSON.stringify(ci));
  // ...but the interval, taking the variance at the candidate AUC, keeps a width: 5 cases and 5
  // controls perfectly separated are also what a coin gives 1 time in C(10,5) = 252.
  const perfect = rocAucWithCi([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])!;
  assert.equal(perfect.estimate, 1);
  assert.equal(perfect.high, 1);
  assert.ok(perfect.low > 0.55 && perfect.low < 0.75, `low ${perfect.low}`);
  assert.ok(aucInterval(1, 50, 500).low > aucInterval(1, 10, 100).low, 'more data, a higher lower bound');
  assert.equal(aucInterval(0, 5, 5).low, 0);
  assert.ok(Math.abs(aucInterval(0, 5, 5).high - (1 - perfect.low)) < 1e-9, 'A and 1 − A mirror each other');
  // Each end is where the estimate stops being accepted: |Â − A| = z·SE(A), SE taken at A.
  const hm = aucInterval(0.893, 58, 51);
  for (const end of [hm.low, hm.high]) assert.ok(Math.abs(Math.abs(0.893 - end) - 1.959964 * aucStandardError(end, 58, 51)) < 1e-6, `end ${end}`);
  assert.ok(hm.low < 0.893 && hm.high > 0.893);
  // At A = ½ it is symmetric, and with large classes it is the Wald interval to within 0.01.
  const half = aucInterval(0.5, 10, 10);
  assert.ok(Math.abs(half.low + half.high - 1) < 1e-9);
  const se = aucStandardError(0.8, 100, 1000);
  const big = aucInterval(0.8, 100, 1000);
  assert.ok(Math.abs(big.low - (0.8 - 1.959964 * se)) < 0.01 && Math.abs(big.high - (0.8 + 1.959964 * se)) < 0.01, JSON.stringify(big));
  assert.throws(() => aucInterval(1.2, 5, 5), badInput);
  assert.throws(() => aucInterval(0.7, 0, 5), badInput);
  assert.equal(rocAucWithCi([0.2, 0.9], [1, 1]), null);
  // More data, narrower interval at the same AUC.
  assert.ok(aucStandardError(0.8, 100, 1000) < aucStandardError(0.8, 10, 100));
});

test('[AG7] AUC on a tiny set with a tie, by hand', () => {
  // Positives .35, .8, .4; negatives .1, .4. Pairs won: .35>.1, .8>.1, .8>.4, .4>.1 = 4, plus the
  // tie .4 = .4 counted ½: 4.5 of 6.
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8, 0.4], [0, 0, 1, 1, 1]), 0.75);
  assert.equal(rocAuc([1, 2, 3], [false, true, true]), 1);
  assert.equal(rocAuc([3, 2, 1], [0, 1, 1]), 0);
  assert.equal(rocAuc([5, 5, 5, 5], [0, 1, 0, 1]), 0.5);
  assert.equal(rocAuc([0.2, 0.9], [1, 1]), null);
  assert.equal(rocAuc([], []), null);
  assert.throws(() => rocAuc([0.1, 0.2], [0, 2 as 1]), badInput);
  assert.throws(() => rocAuc([0.1], [0, 1]), badInput);
  assert.throws(() => rocAuc([Number.NaN, 0.2], [0, 1]), badInput);
});

test('[AG8] ECE with 10 bins by hand', () => {
  // Bin 0: {.05 → 0}: |0 − .05| = .05. Bin 1: {.15 → 0, .15 → 1}: |1 − .3| = .7.
  // Bin 9 (1.0 falls in the closed last bin): {.95 → 1, 1.0 → 1}: |2 − 1.95| = .05. ECE = .8 / 5.
  close(expectedCalibrationError([0.05, 0.15, 0.15, 0.95, 1.0], [0, 0, 1, 1, 1]), 0.16, 1e-12);
  assert.equal(expectedCalibrationError([0, 1], [0, 1]), 0);
  assert.equal(expectedCalibrationError([], []), null);
  assert.throws(() => expectedCalibrationError([1.2], [1]), badInput);
});

test('[AG9] binary entropy in bits', () => {
  assert.equal(binaryEntropy(0.5), 1);
  assert.equal(binaryEntropy(0), 0);
  assert.equal(binaryEntropy(1), 0);
  close(binaryEntropy(0.25), 0.5 + 0.75 * Math.log2(4 / 3), 1e-15);
  close(binaryEntropy(0.25), binaryEntropy(0.75), 1e-15);
  assert.throws(() => binaryEntropy(Number.NaN), badInput);
  assert.throws(() => binaryEntropy(-0.1), badInput);
});

// --------------------------------------------------------------------------- screening

const dcm = (id: string, n: number): ScreeningPatient => ({ patientId: id, positive: true, predictedPositiveSlices: n });
const control = (id: string, n: number): ScreeningPatient => ({ patientId: id, positive: false, predictedPositiveSlices: n });
const COHORT = [dcm('d0', 0), dcm('d1', 1), dcm('d2', 2), dcm('d5', 5), control('c0', 0), control('c1', 1), control('c1b', 1), control('c3', 3)];

test('[AG10] default k = 1: one positive slice is normal, two are abnormal', () => {
  const result = screening([dcm('one', 1), dcm('two', 2)]);
  assert.equal(result.minPositiveSlices, 1);
  assert.equal(result.row.truePositives, 1);
  assert.equal(result.row.falseNegatives, 1);
});

test('[AG10] [AG11] confusion counts and Wilson CIs at k = 1 and k = 0', () => {
  const k1 = screeningRow(COHORT, 1);
  assert.deepEqual([k1.truePositives, k1.falseNegatives, k1.trueNegatives, k1.falsePositives], [2, 2, 3, 1]);
  assert.equal(k1.sensitivity, 0.5);
  // 2/4: centre exactly .5; half = (1.959964/1.960365)·√(.0625 + 3.841459/64) = .349960.
  close(k1.sensitivityLow, 0.15004, 1e-5, 'sens low');
  close(k1.sensitivityHigh, 0.84996, 1e-5, 'sens high');
  assert.equal(k1.specificity, 0.75);
  const k0 = screeningRow(COHORT, 0);
  assert.deepEqual([k0.truePositives, k0.falseNegatives, k0.trueNegatives, k0.falsePositives], [3, 1, 1, 3]);
});

test('[AG12] the ROC has rows for k = 0..10, monotone in k', () => {
  const result = screening(COHORT, 2);
  assert.equal(result.row.minPositiveSlices, 2);
  assert.deepEqual(
    result.roc.map((r) => r.minPositiveSlices),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(result.row, result.roc[2]);
  for (let k = 1; k <= 10; k++) {
    assert.ok(result.roc[k].sensitivity! <= result.roc[k - 1].sensitivity!);
    assert.ok(result.roc[k].specificity! >= result.roc[k - 1].specificity!);
  }
  const last = result.roc[10];
  assert.deepEqual([last.truePositives, last.falsePositives, last.sensitivity, last.sensitivityLow], [0, 0, 0, 0]);
  close(last.sensitivityHigh, 3.841459 / (4 + 3.841459), 1e-6, '0/4 upper bound z²/(n + z²)');
});

test('[AG11] 179 DCM patients, 174 flagged: sensitivity 0.97 and no specificity without controls', () => {
  const patients = Array.from({ length: 179 }, (_, i) => dcm(`p${i}`, i < 174 ? 2 + (i % 4) : i % 2));
  const row = screening(patients).row;
  close(row.sensitivity, 174 / 179, 1e-15);
  close(row.sensitivityLow, 0.936287, 2e-6);
  assert.equal(row.specificity, null);
  assert.equal(row.specificityLow, null);
});

test('[AG18] screening refuses duplicate patients, negative k and fractional counts', () => {
  assert.throws(() => screening([dcm('x', 1), control('x', 0)]), badInput);
  assert.throws(() => screening(COHORT, -1), badInput);
  assert.throws(() => screening(COHORT, 1.5), badInput);
  assert.throws(() => screening([dcm('x', 1.5)]), badInput);
  const empty = screening([]);
  assert.equal(empty.row.sensitivity, null);
  assert.equal(empty.roc.length, 11);
});

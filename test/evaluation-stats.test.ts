/**
 * Evaluation statistics with hand-computed fixtures (issue #11): the patient-clustered bootstrap,
 * the paired ΔAUC, the insufficient rule, the evaluation-set sizing rule, calibration, the
 * operating point and the audit share of a batch. Pure functions: no database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clusterBootstrap,
  weightedClusterBootstrap,
  rankSlices,
  weightedAuc,
  rocAuc,
  evaluateWithIntervals,
  pairedAucDifference,
  percentileInterval,
  seededRandom,
  MIN_PATIENTS_PER_CLASS,
  type EvalPatient,
  type PairedPatient,
} from '@concord/stats';
import { chooseEvaluationPatients, stratumSize } from '@concord/evaluation';
import { applyCalibration, fitCalibration } from '../services/trainer/src/eval/calibration.js';
import { chooseOperatingPoint } from '../services/trainer/src/eval/operating-point.js';
import { splitPatients } from '../services/trainer/src/eval/splits.js';
import { selectBatch, type Candidate } from '../services/trainer/src/al/select.js';

test('[EV5] percentiles by nearest rank: sorted[⌈p·m⌉ − 1] at 2.5% and 97.5%', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i + 1); // 1..1000
  assert.deepEqual(percentileInterval(values, 1000), { low: 25, high: 975, defined: 1000, resamples: 1000 });
  assert.deepEqual(percentileInterval([0.5], 1), { low: 0.5, high: 0.5, defined: 1, resamples: 1 });
  assert.equal(percentileInterval([], 10), null);
});

test('[EV5] the seeded generator is the same sequence on every run, and another seed differs', () => {
  const a = seededRandom('evaluation:x'),
    b = seededRandom('evaluation:x'),
    c = seededRandom('evaluation:y');
  const sa = Array.from({ length: 5 }, a),
    sb = Array.from({ length: 5 }, b),
    sc = Array.from({ length: 5 }, c);
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  assert.ok(sa.every((u) => u >= 0 && u < 1));
});

test('[EV5] cluster bootstrap on a small table, hand-computed: patients are resampled whole', () => {
  // Patient A: 3 positive slices, all called; patient B: 1 positive slice, missed.
  // Pooled sensitivity = 3/4. A resample of 2 patients is AA (1), AB or BA (3/4) or BB (0),
  // with probabilities 1/4, 1/2, 1/4: with 1,000 seeded resamples about 250 are 0 and 250 are 1,
  // so the 25th and 975th sorted values are exactly 0 and 1.
  const A = { hits: 3, slices: 3 },
    B = { hits: 0, slices: 1 };
  const sens = (s: readonly { hits: number; slices: number }[]) => ({ sens: s.reduce((h, p) => h + p.hits, 0) / s.reduce((n, p) => n + p.slices, 0) });
  const ci = clusterBootstrap([A, B], sens, { seed: 'hand', resamples: 1000 });
  assert.equal(sens([A, B]).sens, 0.75);
  assert.deepEqual({ low: ci.sens!.low, high: ci.sens!.high, defined: ci.sens!.defined }, { low: 0, high: 1, defined: 1000 });
  // Resampling slices instead (4 independent slices, 3 hits) could never give 0 at the 2.5th
  // percentile so often: the clustered interval is the honest, wider one.
  const slices = [
    { hits: 1, slices: 1 },
    { hits: 1, slices: 1 },
    { hits: 1, slices: 1 },
    { hits: 0, slices: 1 },
  ];
  const naive = clusterBootstrap(slices, sens, { seed: 'hand', resamples: 1000 });
  assert.ok(naive.sens!.low > 0, `slice bootstrap low ${naive.sens!.low}`);
  // Identical patients: every resample is the same table, so the interval is the point.
  const same = clusterBootstrap([A, A, A], sens, { seed: 'hand', resamples: 1000 });
  assert.deepEqual([same.sens!.low, same.sens!.high], [1, 1]);
  // Same seed, same interval; a statistic undefined on a resample is left out of the percentiles.
  assert.deepEqual(clusterBootstrap([A, B], sens, { seed: 'hand', resamples: 1000 }), ci);
  const onlyWithB = clusterBootstrap([A, B], (s) => ({ x: s.includes(B) ? 1 : null }), { seed: 'hand', resamples: 1000 });
  assert.ok(onlyWithB.x!.defined > 600 && onlyWithB.x!.defined < 900, `about 3/4 of resamples contain B (${onlyWithB.x!.defined})`);
});

test('[EV5] the fast path equals the plain one: weighted AUC = rocAuc of the materialised resample; same seed, same draws', () => {
  const random = seededRandom('equiv');
  const patients = Array.from({ length: 12 }, (_, p) =>
    Array.from({ length: 1 + (p % 4) }, () => ({
      // Rounded scores make ties, which both must count as ½.
      score: Math.round(random() * 10) / 10,
      positive: random() < 0.4,
    })),
  );
  const ranked = rankSlices(patients.flatMap((slices, p) => slices.map((s) => ({ patient: p, ...s }))));
  for (let trial = 0; trial < 50; trial++) {
    const w = Array.from({ length: 12 }, () => Math.floor(random() * 3));
    const sample = patients.flatMap((slices, p) => Array.from({ length: w[p] }, () => slices).flat());
    const plain = rocAuc(
      sample.map((s) => s.score),
      sample.map((s) => (s.positive ? 1 : 0)),
    );
    const fast = weightedAuc(ranked, w);
    if (plain === null) assert.equal(fast, null);
    else assert.ok(Math.abs(plain - fast!) < 1e-12, `trial ${trial}: ${plain} vs ${fast}`);
  }
  const stat = (sample: readonly { score: number; positive: boolean }[][]) => ({
    auc: rocAuc(
      sample.flat().map((s) => s.score),
      sample.flat().map((s) => (s.positive ? 1 : 0)),
    ),
  });
  const viaSamples = clusterBootstrap(patients, stat, { seed: 'eq', resamples: 300 });
  const viaWeights = weightedClusterBootstrap(patients.length, (w) => ({ auc: weightedAuc(ranked, w) }), { seed: 'eq', resamples: 300 });
  assert.ok(Math.abs(viaSamples.auc!.low - viaWeights.auc!.low) < 1e-12 && Math.abs(viaSamples.auc!.high - viaWeights.auc!.high) < 1e-12);
  assert.equal(viaSamples.auc!.defined, viaWeights.auc!.defined);
});

/** n patients of a class, each with `per` labelled slices scored `score`. */
function patients(prefix: string, n: number, cohort: 'DCM' | 'CONTROL', slice: (i: number) => { probability: number; label: 0 | 1 }[]): EvalPatient[] {
  return Array.from({ length: n }, (_, i) => {
    const slices = slice(i);
    return { patientId: `${prefix}${i}`, cohort, slices, predictedPositiveSlices: slices.filter((s) => s.probability >= 0.5).length };
  });
}

test('[EV6] a figure resting on fewer than 10 patients of a class is "insufficient: n …", never a number', () => {
  const cases = patients('c', 12, 'DCM', () => [
    { probability: 0.9, label: 1 },
    { probability: 0.8, label: 1 },
    { probability: 0.2, label: 0 },
  ]);
  const controls = patients('k', 2, 'CONTROL', () => [
    { probability: 0.1, label: 0 },
    { probability: 0.3, label: 0 },
  ]);
  const r = evaluateWithIntervals([...cases, ...controls], { threshold: 0.5, k: 1, seed: 's', resamples: 200 });
  assert.equal(MIN_PATIENTS_PER_CLASS, 10);
  assert.equal(r.patientSpecificity, null);
  assert.ok(r.insufficient.includes('patientSpecificity: insufficient: 2 controls'), r.insufficient.join('; '));
  // Every case has a negative slice too: 14 patients with negatives, so slice specificity stands.
  assert.ok(r.specificity && r.specificity.patients === 14 && r.specificity.slices === 12 + 4);
  // 12 cases, each with 2 slices called: all abnormal at k = 1, interval [1, 1].
  assert.deepEqual([r.patientSensitivity!.value, r.patientSensitivity!.low, r.patientSensitivity!.high, r.patientSensitivity!.patients], [1, 1, 1, 12]);
  assert.match(r.patientSensitivity!.method, /patient-clustered bootstrap, 200 resamples/);
  const few = evaluateWithIntervals(cases.slice(0, 3), { threshold: 0.5, k: 1, seed: 's', resamples: 50 });
  assert.equal(few.auc, null);
  assert.ok(few.insufficient.includes('sensitivity: insufficient: 3 patients with positive slices'));
  assert.ok(few.insufficient.includes('patientSensitivity: insufficient: 3 cases'));
  assert.ok(few.insufficient.includes('patientSpecificity: insufficient: 0 controls'));
});

test('[EV5] figures on a hand-computed table: AUC, sensitivity, specificity, balanced accuracy', () => {
  // 10 cases: slices 0.9 (pos) and 0.4 (pos, missed); 10 controls: 0.6 (neg, false positive) and 0.1 (neg).
  const cases = patients('c', 10, 'DCM', () => [
    { probability: 0.9, label: 1 },
    { probability: 0.4, label: 1 },
  ]);
  const controls = patients('k', 10, 'CONTROL', () => [
    { probability: 0.6, label: 0 },
    { probability: 0.1, label: 0 },
  ]);
  const r = evaluateWithIntervals([...cases, ...controls], { threshold: 0.5, k: 0, seed: 's', resamples: 300 });
  // AUC: pairs (0.9 > 0.6, 0.9 > 0.1, 0.4 < 0.6, 0.4 > 0.1) = 3/4.
  assert.equal(r.auc!.value, 0.75);
  assert.equal(r.sensitivity!.value, 0.5);
  assert.equal(r.specificity!.value, 0.5);
  assert.equal(r.balancedAccuracy!.value, 0.5);
  // Every patient is alike within its class: resamples only change the mix, and these figures do
  // not depend on the mix of identical patients... except through class balance, which AUC ignores.
  assert.deepEqual([r.auc!.low, r.auc!.high], [0.75, 0.75]);
  // k = 0: a case is abnormal with ≥ 1 slice called (all are); a control with its 0.6 slice is too.
  assert.equal(r.patientSensitivity!.value, 1);
  assert.equal(r.patientSpecificity!.value, 0);
  assert.deepEqual(r.insufficient, []);
});

function paired(n: number, a: (i: number) => [number, number], b: (i: number) => [number, number]): PairedPatient[] {
  return Array.from({ length: 2 * n }, (_, i) => {
    const positive = i < n;
    const [a1, a2] = a(i),
      [b1, b2] = b(i);
    return {
      patientId: `p${i}`,
      slices: [
        { a: a1, b: b1, label: positive ? 1 : 0 },
        { a: a2, b: b2, label: positive ? 1 : 0 },
      ],
    };
  });
}

test('[EV7] paired ΔAUC where the answer is known: identical versions 0 [0, 0]; perfect vs reversed 1 [1, 1]', () => {
  const same = paired(
    10,
    (i) => [0.1 * (i % 10), 0.05 * i],
    (i) => [0.1 * (i % 10), 0.05 * i],
  );
  const r0 = pairedAucDifference(same, { seed: 's', resamples: 300 });
  assert.ok('estimate' in r0);
  assert.deepEqual([r0.estimate.value, r0.estimate.low, r0.estimate.high], [0, 0, 0]);
  // b ranks every positive above every negative (AUC 1); a the reverse (AUC 0): Δ = 1 on every resample.
  const flip = paired(
    10,
    (i) => (i < 10 ? [0.1, 0.2] : [0.8, 0.9]),
    (i) => (i < 10 ? [0.8, 0.9] : [0.1, 0.2]),
  );
  const r1 = pairedAucDifference(flip, { seed: 's', resamples: 300 });
  assert.ok('estimate' in r1);
  assert.deepEqual([r1.estimate.value, r1.estimate.low, r1.estimate.high, r1.estimate.patients, r1.estimate.slices], [1, 1, 1, 20, 40]);
  assert.match(r1.estimate.method, /^paired patient-clustered bootstrap/);
  const thin = pairedAucDifference(
    paired(
      4,
      () => [0.1, 0.2],
      () => [0.3, 0.4],
    ),
    { seed: 's' },
  );
  assert.deepEqual(thin, { insufficient: 'insufficient: 4 patients with positive slices, 4 patients with negative slices' });
});

test('[EV1] sizing rule: 20% per stratum, at least 10 cases and 10 controls where known, never more than half', () => {
  assert.equal(stratumSize(100, true), 20);
  assert.equal(stratumSize(30, true), 10, 'the minimum lifts 6 to 10');
  assert.equal(stratumSize(12, true), 6, 'capped at half so training keeps patients of the class');
  assert.equal(stratumSize(30, false), 6, 'no minimum where the cohort is unknown');
  const pts = [
    ...Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, pseudonym: `hd${i}`, cohort: 'DCM' })),
    ...Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, pseudonym: `hc${i}`, cohort: 'CONTROL' })),
  ];
  const { chosen, rule } = chooseEvaluationPatients(pts);
  assert.equal(chosen.filter((id) => id.startsWith('d')).length, 10);
  assert.equal(chosen.filter((id) => id.startsWith('c')).length, 12);
  assert.deepEqual(rule.strata, { CONTROL: { patients: 60, chosen: 12 }, DCM: { patients: 40, chosen: 10 } });
  // Keyed by pseudonym: the same patients under other row ids give the same choice.
  const renamed = chooseEvaluationPatients(pts.map((p) => ({ ...p, id: `x-${p.id}` })));
  assert.deepEqual(renamed.chosen, chosen.map((id) => `x-${id}`).sort());
});

test('[TR18] validation patients are fixed per patient and split into EPOCH and CALIBRATION roles', () => {
  const pts = Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, pseudonym: `ps${i}` }));
  const s = splitPatients(pts);
  assert.equal(s.epoch.length + s.calibration.length, 4);
  assert.equal(s.epoch.length, 2);
  const all = [...s.train, ...s.epoch, ...s.calibration];
  assert.equal(new Set(all).size, 20, 'each patient has one role');
  // A new patient moves at most one patient between train and validation; rounds do not reshuffle.
  const again = splitPatients([...pts].reverse());
  assert.deepEqual(again, s);
  const one = splitPatients(pts.slice(0, 3));
  assert.deepEqual(one.epoch, one.calibration, 'a single validation patient serves both roles');
  assert.deepEqual(splitPatients(pts.slice(0, 2)), { train: ['p0', 'p1'], epoch: [], calibration: [] });
});

test('[TR19] calibration: prior shift then temperature; monotone, lowers ECE on miscalibrated scores', () => {
  // Scores pushed towards 0.5: true rate at score s is 0.5 + 2(s − 0.5) (clipped), so T < 1 helps.
  const random = seededRandom('cal');
  const p: number[] = [],
    y: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const s = 0.3 + 0.4 * random();
    p.push(s);
    y.push(random() < Math.min(1, Math.max(0, 0.5 + 2 * (s - 0.5))) ? 1 : 0);
  }
  const c = fitCalibration(p, y, 0.5);
  assert.equal(c.method, 'temperature');
  assert.equal(c.priorShift, 0);
  assert.ok(c.temperature < 0.8, `T = ${c.temperature}`);
  assert.ok(c.eceAfter! < c.eceBefore!, `ECE ${c.eceBefore} → ${c.eceAfter}`);
  assert.ok(applyCalibration(c, 0.6) > applyCalibration(c, 0.55), 'monotone');
  // Prior shift alone: prevalence 0.08 moves a 0.5 score to 0.08 at T = 1.
  assert.ok(Math.abs(applyCalibration({ ...c, temperature: 1, priorShift: Math.log(0.08 / 0.92) }, 0.5) - 0.08) < 1e-9);
  const none = fitCalibration([0.2, 0.8], [0, 1], 0.5);
  assert.equal(none.method, 'none');
  assert.match(none.reason!, /needs 10 calibration slices of each class/);
  assert.equal(applyCalibration(none, 0.42), 0.42);
});

test('[TR20] the threshold reaches the target patient sensitivity on validation cases, as high as it can', () => {
  // k = 1: a case is called when its 2nd-highest slice reaches the threshold. 2nd-highest per case:
  // 0.9, 0.7, 0.5, 0.3. Target 0.75 ⇒ 3 of 4 cases ⇒ threshold 0.5 (the highest that calls 3).
  const cases = [
    [0.95, 0.9, 0.1],
    [0.8, 0.7],
    [0.6, 0.5, 0.4],
    [0.3, 0.3],
  ].map((probabilities) => ({ probabilities }));
  const op = chooseOperatingPoint(cases, [], 1, 0.75);
  assert.deepEqual(op, { threshold: 0.5, rule: 'patient-sensitivity', target: 0.75, achieved: 0.75, n: 4 });
  assert.equal(chooseOperatingPoint(cases, [], 1, 0.95).threshold, 0.3, '0.95 of 4 cases needs all 4');
  // A case with too few slices can never be called: the rule counts it as missed.
  const short = chooseOperatingPoint([...cases, { probabilities: [0.99] }], [], 1, 0.8);
  assert.equal(short.threshold, 0.3);
  assert.equal(short.achieved, 0.8);
  // Too few cases: the slice rule on positive calibration slices, else 0.5.
  const slices = Array.from({ length: 10 }, (_, i) => ({ probability: (i + 1) / 10, label: 1 as const }));
  assert.deepEqual(chooseOperatingPoint(cases.slice(0, 2), slices, 1, 0.9), { threshold: 0.2, rule: 'slice-sensitivity', target: 0.9, achieved: 0.9, n: 10 });
  assert.deepEqual(chooseOperatingPoint([], [], 1, 0.95), { threshold: 0.5, rule: 'default', target: 0.95, achieved: null, n: 0 });
});

test('[TR21] a batch reserves round(share·size) AUDIT picks drawn uniformly; ACTIVE picks avoid validation patients', () => {
  const candidates: Candidate[] = Array.from({ length: 200 }, (_, i) => ({
    sliceId: `s${String(i).padStart(3, '0')}`,
    patientId: `p${i % 20}`,
    seriesId: `se${i % 20}`,
    position: Math.floor(i / 20) * 5,
    score: i / 200,
  }));
  const validation = new Set(['p19', 'p18']);
  const opts = { batchSize: 20, maxPerPatient: 3, minGap: 1, auditShare: 0.2, seed: 'proj:1', activeAllowed: (c: Candidate) => !validation.has(c.patientId) };
  const batch = selectBatch(candidates, opts);
  assert.equal(batch.length, 20);
  assert.equal(batch.filter((b) => b.mode === 'AUDIT').length, 4);
  assert.deepEqual(
    batch.map((b) => b.rank),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  assert.ok(batch.filter((b) => b.mode === 'ACTIVE').every((b) => !validation.has(b.patientId)));
  assert.equal(new Set(batch.map((b) => b.sliceId)).size, 20);
  // Audit picks are not simply the top scores, and are reproducible from the seed.
  assert.deepEqual(selectBatch(candidates, opts), batch);
  const audit = batch.filter((b) => b.mode === 'AUDIT');
  assert.ok(
    audit.some((b) => b.score < 0.5),
    'uniform draws reach low-uncertainty slices',
  );
  assert.equal(selectBatch(candidates, { ...opts, auditShare: 0 }).filter((b) => b.mode === 'AUDIT').length, 0);
});

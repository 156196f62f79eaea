import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '../apps/api/src/files/file-store.js';
import { selectBackend, tf } from '../services/trainer/src/backend.js';
import { runTrainingRound } from '../services/trainer/src/round.js';
import { ensureTestSet, splitTrainVal } from '../services/trainer/src/eval/splits.js';
import { buildHead, mcPredict, trainHead } from '../services/trainer/src/model/head.js';
import { fullRetrainEvery } from '../services/trainer/src/model/warm-start.js';
import { PIXELS_KIND } from '../services/trainer/src/model/backbone.js';
import { scoreCandidates } from '../services/trainer/src/al/candidate-pool.js';
import { binaryEntropy, scoreSlices } from '../services/trainer/src/al/uncertainty.js';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';

const { sql } = await freshDatabase('trainer_speed');
const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-trainer-speed-')));
const tiny = { kind: 'tiny' as const };
await selectBackend('wasm');

interface Training { warmStart: { from: { versionId: string; round: number } | null; reason: string }; fullRetrainRound: number; epochs: number; mcScored: number }
const trainingOf = async (id: string) =>
  (await sql<{ training: Training }[]>`select metrics->'training' as training from model_versions where id = ${id}`)[0].training;

test('[RS1] validation membership belongs to the patient: growing the cohort never moves a training patient into validation', () => {
  const all = Array.from({ length: 60 }, (_, i) => ({ id: `id${i}`, pseudonym: `P${(i * 7919) % 1000}` }));
  let before = splitTrainVal(all.slice(0, 3));
  for (let n = 4; n <= all.length; n++) {
    const now = splitTrainVal(all.slice(0, n));
    const trainedBefore = new Set(before.train);
    assert.deepEqual(now.val.filter((p) => trainedBefore.has(p)), [], `at ${n} patients`);
    assert.ok(now.val.length >= 1 && now.train.length >= 1);
    before = now;
  }
  const { val } = splitTrainVal(all);
  assert.ok(val.length >= 6 && val.length <= 18, `about a fifth in validation (${val.length} of 60)`);
});

test('[RS1] a round continues the latest head (warm start); full retrains come every N rounds and whenever validation would have been seen', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 10, slicesPerPatient: 8 });
  await ensureTestSet(sql, projectId);
  await finaliseLabels(sql, projectId, slices.filter((s) => s.position % 4 !== 3).map((s) => ({ sliceId: s.id, value: s.truth })));
  const opts = { projectId, store, backbone: tiny, backend: 'wasm' as const, mcSamples: 4, fullRetrainEvery: 3 };

  const r1 = await runTrainingRound(sql, opts);
  const t1 = await trainingOf(r1.id);
  assert.equal(t1.warmStart.from, null);
  assert.match(t1.warmStart.reason, /first round/);
  assert.equal(t1.fullRetrainRound, 1);
  assert.ok(t1.epochs >= 15, 'from scratch: at least HEAD_MIN_EPOCHS');

  const r2 = await runTrainingRound(sql, opts);
  const t2 = await trainingOf(r2.id);
  assert.deepEqual(t2.warmStart.from, { versionId: r1.id, round: 1 });
  assert.equal(t2.fullRetrainRound, 1);
  assert.ok(t2.epochs <= 10, `a warm start trains a few epochs (${t2.epochs})`);

  // Every fullRetrainEvery rounds the chain restarts from scratch.
  const r3 = await runTrainingRound(sql, opts);
  const t3 = await trainingOf(r3.id);
  assert.equal(t3.warmStart.from?.round, 2);
  const r4 = await runTrainingRound(sql, opts);
  const t4 = await trainingOf(r4.id);
  assert.equal(t4.warmStart.from, null);
  assert.match(t4.warmStart.reason, /full retrain due \(every 3 rounds; last at round 1\)/);
  assert.equal(t4.fullRetrainRound, 4);

  // A head that trained on this round's validation patients is never continued.
  const [{ split }] = await sql<{ split: { train: string[]; val: string[] } }[]>`select split from model_versions where id = ${r4.id}`;
  await sql`update model_versions set split = ${sql.json({ ...split, train: [...split.train, ...split.val] } as never)} where id = ${r4.id}`;
  const r5 = await runTrainingRound(sql, opts);
  const t5 = await trainingOf(r5.id);
  assert.equal(t5.warmStart.from, null);
  assert.match(t5.warmStart.reason, /validation patient\(s\) were training patients of round 4/);

  // A different backbone never continues a head trained on other features.
  const r6 = await runTrainingRound(sql, { ...opts, backbone: { kind: PIXELS_KIND } });
  assert.match((await trainingOf(r6.id)).warmStart.reason, /backbone changed/);
});

test('[RS1] CONCORD_FULL_RETRAIN_EVERY: default 5, a whole number, refused otherwise', () => {
  assert.equal(fullRetrainEvery({}), 5);
  assert.equal(fullRetrainEvery({ CONCORD_FULL_RETRAIN_EVERY: '1' }), 1);
  assert.throws(() => fullRetrainEvery({ CONCORD_FULL_RETRAIN_EVERY: 'often' }), /CONCORD_FULL_RETRAIN_EVERY must be a whole number/);
});

function separable(n: number, dim: number, seed: string) {
  const rng = seedrandom(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng() < 0.3 ? 1 : 0;
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++) v[d] = rng() + (d < 4 && label ? 0.25 : 0);
    x.push(v);
    y.push(label);
  }
  return { x, y };
}

test('[TR6][RS2] an MC pass samples thinned networks: a slice\'s probabilities do not depend on the other slices in the pass', () => {
  const head = buildHead(16, { hidden: 32 });
  const { x } = separable(300, 16, 'mc');
  const all = mcPredict(head, x, 6, 3);
  const some = [5, 77, 150, 299];
  const part = mcPredict(head, some.map((i) => x[i]), 6, 3);
  for (let t = 0; t < 6; t++) some.forEach((i, j) => assert.equal(part[t][j], all[t][i]));
  assert.ok(all.some((row) => row[5] !== all[0][5]), 'passes differ');
  head.dispose();
});

test('[RS2] rounds score every candidate by MC dropout (a pre-filtered pool scores its slices as the full pass does); random needs no pass', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const head = buildHead(16, { hidden: 64 });
  await trainHead(head, separable(400, 16, 'train'), null, { epochs: 8, seed: 1 });
  const { x } = separable(1500, 16, 'pool');
  const [det] = mcPredict(head, x, 0);
  const full = scoreSlices(mcPredict(head, x, 20, 9), 'bald', 'r');
  const whole = scoreCandidates(head, x, det, { strategy: 'bald', samples: 20, mcSeed: 9, rngSeed: 'r' });
  assert.equal(whole.mcScored, x.length);
  assert.deepEqual(Array.from(whole.scores), Array.from(full));
  const pooled = scoreCandidates(head, x, det, { strategy: 'bald', samples: 20, mcSeed: 9, rngSeed: 'r', poolSize: 300 });
  assert.equal(pooled.mcScored, 300);
  const byEntropy = Array.from(det).map((p, i) => ({ h: binaryEntropy(p), i })).sort((a, b) => b.h - a.h || a.i - b.i);
  for (const { i } of byEntropy.slice(0, 300)) assert.equal(pooled.scores[i], full[i]);
  for (const { i } of byEntropy.slice(300)) assert.equal(pooled.scores[i], 0, 'BALD of one deterministic pass');
  const random = scoreCandidates(head, x, det, { strategy: 'random', samples: 20, mcSeed: 9, rngSeed: 'r' });
  assert.equal(random.mcScored, 0);
  assert.deepEqual(Array.from(random.scores), Array.from(scoreSlices(mcPredict(head, x, 2, 9), 'random', 'r')));
  head.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor leaks');
});

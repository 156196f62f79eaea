import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { selectBackend, tf } from '../services/trainer/src/backend.js';
import { runTrainingRound } from '../services/trainer/src/round.js';
import { ensureTestSet, splitPatients } from '../services/trainer/src/eval/splits.js';
import { buildHead, mcPredict, trainHead } from '../services/trainer/src/model/head.js';
import { fullRetrainEvery } from '../services/trainer/src/model/warm-start.js';
import { PIXELS_KIND } from '../services/trainer/src/model/backbone.js';
import { scoreCandidates } from '../services/trainer/src/al/candidate-pool.js';
import { augmentationTransforms, fineTuneStartupProblem, transformOnHost } from '../services/trainer/src/model/finetune.js';
import { computeEmbeddings, embedEngineFromEnv, loadEmbeddings } from '../services/trainer/src/data/embeddings.js';
import { binaryEntropy, scoreSlices } from '../services/trainer/src/al/uncertainty.js';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';

const { sql } = await freshDatabase('trainer_speed');
const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-trainer-speed-')));
const tiny = { kind: 'tiny' as const };
await selectBackend('wasm');

interface Training {
  warmStart: { from: { versionId: string; round: number } | null; reason: string };
  fullRetrainRound: number;
  epochs: number;
  mcScored: number;
}
const trainingOf = async (id: string) =>
  (await sql<{ training: Training }[]>`select metrics->'training' as training from model_versions where id = ${id}`)[0].training;

test("[RS1] the validation split depends on the project's patients only, not on the round or the labels, so warm starts can keep it", () => {
  const all = Array.from({ length: 40 }, (_, i) => ({ id: `id${i}`, pseudonym: `P${(i * 7919) % 1000}` }));
  const a = splitPatients(all);
  const b = splitPatients([...all].reverse());
  assert.deepEqual(b, a);
  assert.ok(a.epoch.length + a.calibration.length >= 2 && a.train.length > 20);
});

test('[RS1] a round continues the latest head (warm start); full retrains come every N rounds and whenever validation would have been seen', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 10, slicesPerPatient: 8 });
  await ensureTestSet(sql, projectId);
  await finaliseLabels(
    sql,
    projectId,
    slices.filter((s) => s.position % 4 !== 3).map((s) => ({ sliceId: s.id, value: s.truth })),
  );
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

test("[TR6][RS2] an MC pass samples thinned networks: a slice's probabilities do not depend on the other slices in the pass", () => {
  const head = buildHead(16, { hidden: 32 });
  const { x } = separable(300, 16, 'mc');
  const all = mcPredict(head, x, 6, 3);
  const some = [5, 77, 150, 299];
  const part = mcPredict(
    head,
    some.map((i) => x[i]),
    6,
    3,
  );
  for (let t = 0; t < 6; t++)
    some.forEach((i, j) => {
      assert.equal(part[t][j], all[t][i]);
    });
  assert.ok(
    all.some((row) => row[5] !== all[0][5]),
    'passes differ',
  );
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
  const byEntropy = Array.from(det)
    .map((p, i) => ({ h: binaryEntropy(p), i }))
    .sort((a, b) => b.h - a.h || a.i - b.i);
  for (const { i } of byEntropy.slice(0, 300)) assert.equal(pooled.scores[i], full[i]);
  for (const { i } of byEntropy.slice(300)) assert.equal(pooled.scores[i], 0, 'BALD of one deterministic pass');
  const random = scoreCandidates(head, x, det, { strategy: 'random', samples: 20, mcSeed: 9, rngSeed: 'r' });
  assert.equal(random.mcScored, 0);
  assert.deepEqual(Array.from(random.scores), Array.from(scoreSlices(mcPredict(head, x, 2, 9), 'random', 'r')));
  head.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor leaks');
});

test('[RS4] CONCORD_FINETUNE=1 without a GPU device refuses to start the trainer, naming what to install', () => {
  const cpu = { name: 'tensorflow' as const, gpu: false, source: '@tensorflow/tfjs-node-gpu', engine: 'tensorflow-cpu-fp32' };
  assert.match(fineTuneStartupProblem(cpu, { CONCORD_FINETUNE: '1' }) ?? '', /needs a GPU.*no GPU device in use.*tfjs-node-gpu.*unset CONCORD_FINETUNE/);
  assert.equal(fineTuneStartupProblem({ ...cpu, gpu: true, engine: 'tensorflow-gpu-fp32' }, { CONCORD_FINETUNE: '1' }), null);
  assert.equal(fineTuneStartupProblem(cpu, {}), null, 'off unless asked for');
});

test('[RS4] augmentation on the host matches tf.image.transform (used where a backend has no Transform kernel)', () => {
  const [h, w, c] = [12, 10, 3];
  const img = Float32Array.from({ length: h * w * c }, (_, i) => Math.sin(i * 0.37) * 100);
  const rng = seedrandom('aug');
  const t = augmentationTransforms(4, [h, w], { scale: 0.1, rotation: (10 * Math.PI) / 180 }, rng);
  for (let i = 0; i < 4; i++) {
    const m = t.subarray(i * 8, i * 8 + 8);
    const host = transformOnHost(img, h, w, c, m);
    const viaTf = tf.tidy(() => tf.image.transform(tf.tensor4d(img, [1, h, w, c]), tf.tensor2d(m, [1, 8]), 'bilinear', 'nearest').dataSync() as Float32Array);
    host.forEach((v, k) => {
      assert.ok(Math.abs(v - viaTf[k]) < 1e-3, `transform ${i}, value ${k}: ${v} vs ${viaTf[k]}`);
    });
  }
});

test('[RS4] cached embeddings are keyed by engine: a round never reads vectors another engine computed', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 2, slicesPerPatient: 3 });
  const wasmRun = await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm', engine: 'tfjs' });
  assert.equal(wasmRun.engine, 'wasm-fp32');
  const fake = new Float32Array(32).fill(7);
  await sql`insert into embeddings (slice_id, backbone, engine, vector)
    select id, 'tiny-random', 'tensorflow-gpu-fp32', ${Buffer.from(fake.buffer)} from slices where project_id = ${projectId}`;
  const wasmVectors = await loadEmbeddings(sql, projectId, 'tiny-random', 'wasm-fp32');
  assert.equal(wasmVectors.size, slices.length);
  for (const v of wasmVectors.values()) assert.notEqual(v[0], 7);
  const gpuVectors = await loadEmbeddings(sql, projectId, 'tiny-random', 'tensorflow-gpu-fp32');
  for (const v of gpuVectors.values()) assert.equal(v[0], 7);
  // The wasm cache is complete: nothing is recomputed for it.
  assert.equal((await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm', engine: 'tfjs' })).computed, 0);
});

test('[RS4] bench/gpu-check.ts runs end to end (on cpu with the tiny backbone, GPU assertion skipped and said so)', async () => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/gpu-check.ts', '--allow-cpu', '--backbone', 'tiny'], {
    env: { ...process.env, CONCORD_TF_BACKEND: 'cpu' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /SKIPPED: the GPU device assertion/);
  assert.match(r.stdout, /forward parity with wasm on 8 phantom slices: min cosine 1\.0000/);
  assert.match(r.stdout, /tensor count after each step: (\d+), \1, \1/);
  assert.match(r.stdout, /gpu-check: PASS \(without the GPU device assertion\)/);
});

test("[RS3] onnxruntime embeds with the backbone's own weights: the same vectors as tfjs, cached under its own engine", async () => {
  const { projectId } = await seedProject(sql, store, { patients: 2, slicesPerPatient: 4 });
  const viaTfjs = await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm', engine: 'tfjs' });
  const viaOnnx = await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm' });
  assert.equal(viaOnnx.engine, 'onnxruntime-cpu-fp32', 'auto prefers the native CPU engine');
  assert.equal(viaOnnx.computed, 8, "another engine's cache is not reused");
  const a = await loadEmbeddings(sql, projectId, 'tiny-random', viaTfjs.engine);
  const b = await loadEmbeddings(sql, projectId, 'tiny-random', viaOnnx.engine);
  for (const [id, v] of a) {
    const w = b.get(id)!;
    let ab = 0,
      aa = 0,
      bb = 0;
    for (let k = 0; k < v.length; k++) {
      ab += v[k] * w[k];
      aa += v[k] ** 2;
      bb += w[k] ** 2;
    }
    assert.ok(ab / Math.sqrt(aa * bb) > 0.9999, `cosine ${ab / Math.sqrt(aa * bb)}`);
  }
  assert.equal(embedEngineFromEnv({}), 'auto');
  assert.throws(() => embedEngineFromEnv({ CONCORD_EMBED_ENGINE: 'gpu' }), /CONCORD_EMBED_ENGINE must be auto, onnxruntime or tfjs/);
  await assert.rejects(computeEmbeddings(sql, { projectId, store, backbone: { kind: PIXELS_KIND }, engine: 'onnxruntime' }), /needs a network backbone/);
});

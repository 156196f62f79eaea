import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { defaultEmbedWorkers, selectBackend, tf } from '../services/trainer/src/backend.js';
import { BACKBONES, buildBackbone } from '../services/trainer/src/model/resnet50.js';
import { saveModelToDir } from '../services/trainer/src/model/weights.js';
import { loadBackbone } from '../services/trainer/src/model/backbone.js';
import { balancedCrossEntropy, buildHead, chooseThreshold, classWeights, mcPredict, trainHead } from '../services/trainer/src/model/head.js';
import { binaryEntropy, scoreSlices } from '../services/trainer/src/al/uncertainty.js';
import { selectDiverse, type Candidate } from '../services/trainer/src/al/select.js';
import { passesGate } from '../services/trainer/src/versions.js';
import { CAFFE_MEAN_BGR, toNetworkInput, windowTo8bit } from '../services/trainer/src/data/preprocess.js';
import { readStoredSlicePixels } from '../services/trainer/src/data/dicom-pixels.js';
import { makeStoredSlice } from '../services/trainer/src/testing/dicom-fixture.js';

test('[TR1] backend selection falls back to wasm here and reports it', async () => {
  const b = await selectBackend('auto');
  // No native TensorFlow can be installed in this environment, so wasm is the best available.
  assert.equal(b.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test('[TR1] embedding workers: one per core on wasm, none on a native backend, CONCORD_EMBED_WORKERS when valid', () => {
  const wasm = { name: 'wasm', gpu: false, source: '@tensorflow/tfjs-backend-wasm', engine: 'wasm-fp32' } as const;
  const native = { name: 'tensorflow', gpu: false, source: '@tensorflow/tfjs-node', engine: 'tensorflow-cpu-fp32' } as const;
  assert.equal(defaultEmbedWorkers(wasm, {}), os.availableParallelism());
  assert.equal(defaultEmbedWorkers(native, {}), 0);
  assert.equal(defaultEmbedWorkers(native, { CONCORD_EMBED_WORKERS: '3' }), 3);
  assert.throws(() => defaultEmbedWorkers(wasm, { CONCORD_EMBED_WORKERS: 'two' }), /CONCORD_EMBED_WORKERS must be a whole number/);
});

test('[TR1] transposed matmuls on wasm give the same result as explicit transposes', () => {
  // backend.ts rewrites transposeA/transposeB into an explicit Transpose (20× faster on wasm).
  const a = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
  const b = tf.randomNormal([6, 4], 0, 1, 'float32', 2);
  const viaFlag = tf.matMul(a, b, true, false);
  const explicit = tf.matMul(tf.transpose(a), b);
  assert.ok(tf.max(tf.abs(tf.sub(viaFlag, explicit))).dataSync()[0] < 1e-6);
  const c = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
  assert.ok(tf.max(tf.abs(tf.sub(tf.matMul(a, c, false, true), tf.matMul(a, tf.transpose(c))))).dataSync()[0] < 1e-6);
  const before = tf.memory().numDataBuffers;
  tf.tidy(() => {
    tf.matMul(a, b, true, false);
  });
  assert.equal(tf.memory().numDataBuffers, before, 'the transposed copies are freed');
});

test('[TR2] ResNet50 has the Keras layer names and parameter count', () => {
  const m = buildBackbone(BACKBONES.resnet50);
  const names = new Set(m.layers.map((l) => l.name));
  for (const n of ['conv1_conv', 'conv1_bn', 'conv2_block1_0_conv', 'conv2_block1_1_conv', 'conv4_block6_3_bn', 'conv5_block3_out', 'avg_pool'])
    assert.ok(names.has(n), n);
  // keras.applications.ResNet50(include_top=False) has 23,587,712 parameters.
  assert.equal(m.countParams(), 23_587_712);
  assert.deepEqual(m.outputs[0].shape, [null, 2048]);
  m.dispose();
});

test('[TR2] weights load by name from a saved model, with the hash of their bytes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-weights-'));
  const trained = buildBackbone(BACKBONES.tiny);
  // Different from the seeded random init, so a load that silently did nothing would show.
  trained.setWeights(trained.getWeights().map((w, i) => tf.add(w, tf.randomNormal(w.shape, 0, 0.05, 'float32', i + 1))));
  await saveModelToDir(trained, dir);
  const expectedHash = createHash('sha256')
    .update(fs.readFileSync(path.join(dir, 'group1-shard1of1.bin')))
    .digest('hex');

  const loaded = await loadBackbone({ kind: 'tiny', weights: dir }, () => {});
  const random = await loadBackbone({ kind: 'tiny' }, () => {});
  const x = tf.randomNormal([2, 32, 32, 3], 0, 50, 'float32', 9);
  const diff = (a: tf.LayersModel, b: tf.LayersModel) => tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0];
  assert.ok(diff(trained, loaded.model) < 1e-5, 'loaded model reproduces the saved one');
  assert.ok(diff(trained, random.model) > 1e-3, 'random init differs from the saved weights');
  assert.equal(loaded.weightsHash, expectedHash);
  assert.equal(loaded.id, `tiny@${expectedHash.slice(0, 12)}`);
  assert.equal(random.id, 'tiny-random');
  assert.equal(random.weightsHash, null);
});

test('[TR2] weights missing a backbone tensor are refused, not half-loaded', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-weights-'));
  // A different architecture: a dense layer only, so no conv1_conv/kernel.
  const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'conv1_conv_not' })] });
  await saveModelToDir(other, dir);
  await assert.rejects(
    loadBackbone({ kind: 'tiny', weights: dir }, () => {}),
    (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /lack/.test(e.message),
  );
});

test('[TR4] preprocessing windows, resizes to the input size and subtracts the caffe means', () => {
  const pixels = new Uint16Array(16 * 16).fill(100);
  pixels.fill(1100, 0, 128); // top half bright
  const img = readStoredSlicePixels(makeStoredSlice({ rows: 16, cols: 16, pixels, sopUid: '2.25.1', windowCenter: 600, windowWidth: 1000 }));
  assert.equal(img.windowCenter, 600);
  const t = toNetworkInput(img, 32);
  assert.deepEqual(t.shape, [32, 32, 3]);
  const v = t.arraySync() as number[][][];
  // Bright rows map to 255 and dark rows to 0 before mean subtraction, per BGR channel.
  assert.ok(Math.abs(v[0][0][0] - (255 - CAFFE_MEAN_BGR[0])) < 1e-3);
  assert.ok(Math.abs(v[31][0][2] - (0 - CAFFE_MEAN_BGR[2])) < 1e-3);
  t.dispose();
});

test('[TR4] without a DICOM window, the 1st–99th percentiles window the slice, so a few hot pixels do not flatten it', () => {
  // 1,000 pixels: a ramp 0..989 and 10 flow artefacts at 60,000.
  const pixels = Float32Array.from({ length: 1000 }, (_, i) => (i < 990 ? i : 60_000));
  const img = { rows: 40, cols: 25, pixels, windowCenter: null, windowWidth: null };
  const out = windowTo8bit(img);
  // Nearest-rank 1st and 99th percentiles of the 1,000 values: ranks 10 and 989 → 10 and 989.
  assert.equal(out[10], 0);
  assert.equal(out[989], 255);
  assert.ok(Math.abs(out[500] - ((500 - 10) / (989 - 10)) * 255) < 1e-3, `mid-ramp ${out[500]}`);
  assert.equal(out[995], 255, 'the hot pixels saturate instead of setting the scale');
  // Min–max scaling would have squeezed the whole ramp into the bottom 1.7% of the range.
  assert.ok(out[500] > 100);
  // A window given by the caller wins over the percentiles; a zero width falls back to them.
  assert.equal(windowTo8bit(img, { center: 500, width: 200 })[500], 127.5);
  assert.deepEqual(windowTo8bit({ ...img, windowCenter: 500, windowWidth: 0 }), out);
});

function separable(n: number, dim: number, seed: number) {
  const x: Float32Array[] = [];
  const y: number[] = [];
  let s = seed;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  for (let i = 0; i < n; i++) {
    // Imbalanced: one positive in four, as in slices of DCM series.
    const label = i % 4 === 0 ? 1 : 0;
    const v = new Float32Array(dim);
    for (let d = 0; d < dim; d++) v[d] = rnd() + (d < 4 ? (label ? 0.8 : -0.8) : 0);
    x.push(v);
    y.push(label);
  }
  return { x, y };
}

test('[TR5] the head beats chance on separable embeddings, with class weights and early stopping', async () => {
  assert.deepEqual(classWeights([1, 0, 0, 0]), { 0: 4 / 6, 1: 2 });
  const train = separable(200, 16, 1);
  const val = separable(60, 16, 2);
  const test = separable(100, 16, 3);
  const head = buildHead(16, { hidden: 32 });
  const epochsSeen: number[] = [];
  const r = await trainHead(head, train, val, {
    epochs: 60,
    patience: 3,
    onEpoch: (e) => {
      epochsSeen.push(e);
    },
  });
  assert.ok(r.epochs <= 60 && r.bestValLoss !== null);
  const [p] = mcPredict(head, test.x, 0);
  const acc = test.y.filter((y, i) => (p[i] >= 0.5 ? 1 : 0) === y).length / test.y.length;
  assert.ok(acc > 0.85, `accuracy ${acc}`);
  head.dispose();
});

test('[TR5] training is reproducible: the same seed and data give the same weights; dropout masks still vary step to step', async () => {
  const train = separable(120, 16, 4);
  const val = separable(40, 16, 5);
  const fit = async (seed: number) => {
    const head = buildHead(16, { hidden: 32, seed });
    const r = await trainHead(head, train, val, { epochs: 6, minEpochs: 6, seed });
    const w = head.getWeights().map((t) => Array.from(t.dataSync()));
    head.dispose();
    return { w, loss: r.finalLoss };
  };
  const a = await fit(3);
  const b = await fit(3);
  assert.deepEqual(b.w, a.w, 'same seed, same data: identical weights');
  assert.equal(b.loss, a.loss);
  const c = await fit(4);
  assert.notDeepEqual(c.w, a.w, 'another seed trains another head');

  // Masks in training mode differ from call to call (a fixed-seed tfjs dropout repeats one), and
  // the sequence restarts identically in a fresh layer; inference is the identity.
  const ones = tf.ones([4, 64]);
  const masks = (seed: number) => {
    const h = buildHead(64, { hidden: 64, seed });
    const drop = h.layers[1];
    const m = [0, 1, 2].map(() => Array.from((drop.apply(ones, { training: true }) as tf.Tensor).dataSync()));
    const off = Array.from((drop.apply(ones, { training: false }) as tf.Tensor).dataSync());
    h.dispose();
    return { m, off };
  };
  const first = masks(9);
  assert.notDeepEqual(first.m[0], first.m[1]);
  assert.notDeepEqual(first.m[1], first.m[2]);
  assert.deepEqual(masks(9).m, first.m);
  assert.ok(first.off.every((v) => v === 1));
  const kept = first.m[0].filter((v) => v > 0).length / first.m[0].length;
  assert.ok(kept > 0.3 && kept < 0.7, `about half kept at rate 0.5 (${kept})`);
  ones.dispose();
});

test('[TR5] balanced validation loss weighs each class half, whatever their sizes', () => {
  // One positive at p = .5 and 99 negatives at p = .01: the unweighted loss would be ~.017.
  const p = [0.5, ...Array(99).fill(0.01)];
  const y = [1, ...Array(99).fill(0)];
  const expected = (-Math.log(0.5) - Math.log(0.99)) / 2;
  assert.ok(Math.abs(balancedCrossEntropy(p, y) - expected) < 1e-9);
  assert.ok(Math.abs(balancedCrossEntropy([0.2, 0.3], [0, 0]) - (-Math.log(0.8) - Math.log(0.7)) / 2) < 1e-9, 'one class: its mean');
});

test('[TR10] the threshold is chosen by Youden on validation, at a midpoint, else 0.5', () => {
  // Perfectly separated at .3 | .6: every cut between keeps J = 1; the one nearest .5 wins.
  assert.deepEqual(chooseThreshold([0.1, 0.2, 0.3, 0.6, 0.9], [0, 0, 0, 1, 1]), { threshold: 0.5, chosenOn: 'validation' });
  // Separated at .05 | .15 only: the midpoint .1, not a validation score itself.
  const low = chooseThreshold([0.01, 0.02, 0.05, 0.15, 0.2], [0, 0, 0, 1, 1]);
  assert.equal(low.chosenOn, 'validation');
  assert.ok(Math.abs(low.threshold - 0.1) < 1e-9, String(low.threshold));
  // Overlap: the best J cut, .35 here (sens 2/3, spec 1).
  const mixed = chooseThreshold([0.1, 0.2, 0.3, 0.4, 0.45, 0.25], [0, 0, 0, 1, 1, 1]);
  assert.ok(Math.abs(mixed.threshold - 0.35) < 1e-9, String(mixed.threshold));
  assert.deepEqual(chooseThreshold([0.2, 0.7], [0, 0]), { threshold: 0.5, chosenOn: 'default' });
  assert.deepEqual(chooseThreshold(null, [0, 1]), { threshold: 0.5, chosenOn: 'default' });
});

test('[TR5] early stopping waits minEpochs, then stops after patience; one-class validation runs every epoch; no tensor leaks', async () => {
  const train = separable(120, 8, 11);
  const val = separable(40, 8, 12);
  const before = tf.memory().numTensors;
  const epochsSeen: number[] = [];
  const head = buildHead(8, { hidden: 16 });
  const r = await trainHead(head, train, val, {
    epochs: 60,
    minEpochs: 10,
    patience: 3,
    onEpoch: (e) => {
      epochsSeen.push(e);
    },
  });
  assert.ok(r.bestEpoch >= 9, `no weights kept before minEpochs (best ${r.bestEpoch})`);
  assert.ok(r.epochs >= 13 && r.epochs <= r.bestEpoch + 4, `stopped ${r.epochs - 1 - r.bestEpoch} epochs after the best (patience 3), ran ${r.epochs}`);
  assert.equal(r.valProbabilities?.length, val.y.length);
  head.dispose();
  const oneClass = buildHead(8, { hidden: 16 });
  const r2 = await trainHead(oneClass, train, { x: val.x.filter((_, i) => val.y[i] === 0), y: val.y.filter((v) => v === 0) }, { epochs: 12, patience: 2 });
  assert.equal(r2.epochs, 12, 'a one-class validation set cannot stop training');
  assert.equal(r2.bestValLoss, null);
  oneClass.dispose();
  assert.equal(tf.memory().numTensors, before, 'heads, their optimizers and kept weights are all freed');
});

test('[TR6] MC dropout samples vary, deterministic prediction does not', () => {
  const head = buildHead(8, { hidden: 16 });
  const x = [new Float32Array(8).fill(0.5), new Float32Array(8).fill(-0.5)];
  const s = mcPredict(head, x, 5, 3);
  assert.equal(s.length, 5);
  assert.ok(new Set(s.map((r) => r[0].toFixed(6))).size > 1);
  const [a] = mcPredict(head, x, 0);
  const [b] = mcPredict(head, x, 0);
  assert.deepEqual(a, b);
  head.dispose();
});

test('[TR7] uncertainty strategies: entropy and margin peak at p=0.5, BALD needs disagreement', () => {
  const probs = [0.01, 0.2, 0.5, 0.8, 0.99];
  const one = [Float32Array.from(probs)];
  const ent = scoreSlices(one, 'entropy');
  const mar = scoreSlices(one, 'margin');
  const top = (xs: Float64Array) => xs.indexOf(Math.max(...xs));
  assert.equal(top(ent), 2);
  assert.equal(top(mar), 2);
  assert.ok(Math.abs(ent[2] - Math.log(2)) < 1e-9);
  assert.ok(ent[0] < ent[1] && ent[4] < ent[3]);
  // Two slices with the same mean 0.5: one the samples agree on (aleatoric), one they split on.
  const samples = [Float32Array.from([0.5, 0.05]), Float32Array.from([0.5, 0.95])];
  const bald = scoreSlices(samples, 'bald');
  assert.ok(bald[1] > bald[0] + 0.3, `bald ${bald[0]} ${bald[1]}`);
  assert.ok(Math.abs(binaryEntropy(0.5) - Math.log(2)) < 1e-12);
  const r1 = scoreSlices(one, 'random', 's');
  assert.deepEqual(r1, scoreSlices(one, 'random', 's'));
});

test('[TR8] diverse selection: at most m per patient and no two within d positions in a series', () => {
  const c: Candidate[] = [];
  for (let p = 0; p < 3; p++)
    for (let i = 0; i < 20; i++)
      c.push({ sliceId: `p${p}s${i}`, patientId: `p${p}`, seriesId: `se${p}`, position: i, score: 1 - Math.abs(i - 10) / 20 + p * 0.001 });
  const sel = selectDiverse(c, { batchSize: 20, maxPerPatient: 3, minGap: 2 });
  assert.equal(sel.length, 9);
  assert.deepEqual(
    sel.map((s) => s.rank),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  for (let p = 0; p < 3; p++) {
    const mine = sel
      .filter((s) => s.patientId === `p${p}`)
      .map((s) => s.position)
      .sort((a, b) => a - b);
    assert.equal(mine.length, 3);
    for (let i = 1; i < mine.length; i++) assert.ok(mine[i] - mine[i - 1] > 2, `gap ${mine}`);
  }
  assert.ok(sel.slice(0, 3).every((s) => s.position === 10));
  assert.equal(selectDiverse(c, { batchSize: 2, maxPerPatient: 3, minGap: 2 }).length, 2);
});

test('[TR11] promotion gate: AUC must not drop below current minus tolerance', () => {
  assert.equal(passesGate(0.7, null, false, 0.01), true);
  assert.equal(passesGate(null, null, false, 0.01), true);
  assert.equal(passesGate(0.8, 0.8, true, 0.01), true);
  assert.equal(passesGate(0.795, 0.8, true, 0.01), true);
  assert.equal(passesGate(0.78, 0.8, true, 0.01), false);
  assert.equal(passesGate(null, 0.8, true, 0.01), false);
});

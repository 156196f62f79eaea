/**
 * The fine-tune path (TR17) on the pure-JS `cpu` backend with the `tiny` backbone: the same code
 * a native GPU backend would run, at a size that fits a test. Backend selection is per process;
 * the wasm test switches backends and therefore runs last.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { selectBackend, tf, type BackendInfo } from '../services/trainer/src/backend.js';
import { loadBackbone, PIXELS_KIND } from '../services/trainer/src/model/backbone.js';
import { buildHead, deserializeHead, mcPredict, type SerializedHead } from '../services/trainer/src/model/head.js';
import { augment, augmentationTransforms, balancedOrder, fineTuneTopStages } from '../services/trainer/src/model/finetune.js';
import { planFineTune } from '../services/trainer/src/model/finetune-round.js';
import { fileStoreHandler, loadBackboneFromStore } from '../services/trainer/src/model/store-weights.js';
import { toNetworkInput } from '../services/trainer/src/data/preprocess.js';
import { embedBatch, bytesToVector } from '../services/trainer/src/data/embed-batch.js';
import { runTrainingRound } from '../services/trainer/src/round.js';
import { ensureTestSet } from '../services/trainer/src/eval/splits.js';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';
import { syntheticSlicePixels } from '../services/trainer/src/testing/dicom-fixture.js';

const backend = await selectBackend('cpu');
const { sql } = await freshDatabase('trainer_finetune');
const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-finetune-files-')));
const tiny = { kind: 'tiny' as const };

function snapshot(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, (w.read().dataSync() as Float32Array).slice()]));
}

function changed(before: Map<string, Float32Array>, model: tf.LayersModel): Set<string> {
  const out = new Set<string>();
  for (const w of model.weights) {
    const a = before.get(w.originalName)!;
    const b = w.read().dataSync();
    if (a.some((v, i) => v !== b[i])) out.add(w.originalName);
  }
  return out;
}

/** Toy set a tiny net can learn: a small dim disc (0) or a large bright disc (1), 4 positives in 16. */
function toySet(n = 16): { x: tf.Tensor4D; y: number[] } {
  const y = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const x = tf.stack(
    y.map((label, i) =>
      toNetworkInput(
        { rows: 32, cols: 32, pixels: Float32Array.from(syntheticSlicePixels(32, label as 0 | 1, i + 1)), windowCenter: null, windowWidth: null },
        32,
      ),
    ),
  ) as tf.Tensor4D;
  return { x, y };
}

test('[TR17] balanced order oversamples the minority class and is reproducible from its seed', () => {
  const y = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0];
  const a = balancedOrder(y, seedrandom('s'));
  assert.equal(a.length, 16);
  assert.equal(a.filter((i) => y[i] === 1).length, 8);
  assert.equal(new Set(a.filter((i) => y[i] === 0)).size, 8, 'every majority sample appears exactly once');
  assert.deepEqual(balancedOrder(y, seedrandom('s')), a);
  assert.notDeepEqual(balancedOrder(y, seedrandom('t')), a);
});

test('[TR17] augmentation is per sample: flips about half, rotation within ±10°, zoom within ±10%', () => {
  const t = augmentationTransforms(400, [32, 32], { scale: 0.1, rotation: (10 * Math.PI) / 180 }, seedrandom('aug'));
  let flips = 0;
  for (let i = 0; i < 400; i++) {
    const [a0, a1, , b0, b1] = t.subarray(i * 8, i * 8 + 5);
    const zoom = Math.hypot(a1, b1); // the column of the unflipped axis: zoom · (−sin, cos)
    const det = a0 * b1 - a1 * b0;
    if (det < 0) flips += 1;
    assert.ok(zoom >= 0.9 - 1e-6 && zoom <= 1.1 + 1e-6, `zoom ${zoom}`);
    assert.ok(Math.abs(Math.atan2(-a1, b1)) <= (10 * Math.PI) / 180 + 1e-6);
  }
  assert.ok(flips > 160 && flips < 240, `flipped ${flips} of 400`);
  // The same image eight times comes out as eight different images; a seed reproduces them.
  const img = toySet(1).x;
  const batch = tf.concat(Array.from({ length: 8 }, () => img)) as tf.Tensor4D;
  const out = augment(batch, { scale: 0.1, rotation: 0.17 }, seedrandom('x'));
  const rows = (out.reshape([8, -1]).arraySync() as number[][]).map((r) => r.join(','));
  assert.equal(new Set(rows).size, 8);
  assert.ok(
    rows.every((r) => r.split(',').some((v) => Number(v) !== 0)),
    'no sample is left blank',
  );
  assert.deepEqual(augment(batch, { scale: 0.1, rotation: 0.17 }, seedrandom('x')).arraySync(), out.arraySync());
});

test('[TR17] fineTuneTopStages on cpu trains conv5 and the head only, with BatchNorm frozen, and lowers the loss', async () => {
  const bb = await loadBackbone(tiny, () => {});
  const head = buildHead(bb.features, { hidden: 64, dropout: 0 });
  const { x, y } = toySet();
  const bbBefore = snapshot(bb.model);
  const flags = bb.model.layers.map((l) => l.trainable);
  const headBefore = snapshot(head);
  const evalLoss = () =>
    tf.tidy(() => {
      const p = head.predict(bb.model.predict(x) as tf.Tensor) as tf.Tensor;
      return tf.metrics
        .binaryCrossentropy(tf.tensor2d(y, [y.length, 1]), p)
        .mean()
        .dataSync()[0];
    });
  const lossBefore = evalLoss();
  const epochs: number[] = [];
  const r = await fineTuneTopStages(backend, bb, head, { x, y }, { epochs: 10, batchSize: 8, learningRate: 1e-3, seed: 'toy' }, (e) => {
    epochs.push(e);
  });
  const lossAfter = evalLoss();

  const moved = changed(bbBefore, bb.model);
  const conv5 = [...bbBefore.keys()].filter((n) => n.startsWith('conv5_') && /_conv\/(kernel|bias)$/.test(n));
  assert.ok(conv5.length >= 8);
  for (const n of conv5) assert.ok(moved.has(n), `${n} was trained`);
  for (const n of moved) assert.ok(conv5.includes(n), `${n} is frozen but changed`);
  const bn = [...bbBefore.keys()].filter((n) => n.includes('_bn/'));
  assert.ok(
    bn.some((n) => n.startsWith('conv5_') && n.endsWith('moving_mean')),
    'conv5 has BatchNorm statistics to check',
  );
  for (const n of bn) assert.ok(!moved.has(n), `${n} (BatchNorm) stays frozen`);
  assert.equal(changed(headBefore, head).size, 6, 'every head weight is trained end to end');
  assert.deepEqual(epochs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(r.losses.length, 10);
  assert.ok(r.losses.at(-1)! < r.losses[0], `training loss ${r.losses[0]} → ${r.losses.at(-1)}`);
  assert.ok(lossAfter < 0.5 * lossBefore, `loss on the un-augmented set ${lossBefore} → ${lossAfter}`);
  assert.deepEqual(
    bb.model.layers.map((l) => l.trainable),
    flags,
    "the backbone's trainable flags are restored",
  );

  // topStages 2 also opens conv4, and nothing below it.
  const before2 = snapshot(bb.model);
  await fineTuneTopStages(backend, bb, head, { x, y }, { topStages: 2, epochs: 1, batchSize: 16, learningRate: 1e-3 });
  const moved2 = [...changed(before2, bb.model)];
  assert.ok(moved2.some((n) => n.startsWith('conv4_')));
  assert.ok(
    moved2.every((n) => /^conv[45]_.*_conv\//.test(n)),
    moved2.join(' '),
  );
  tf.dispose(x);
});

test('[TR17] fine-tuning refuses wasm with the missing kernel named, and a round plans a skip instead', async () => {
  const bb = await loadBackbone(tiny, () => {});
  const head = buildHead(bb.features, { hidden: 8 });
  const wasm: BackendInfo = { name: 'wasm', gpu: false, source: '@tensorflow/tfjs-backend-wasm', engine: 'wasm-fp32' };
  await assert.rejects(
    fineTuneTopStages(wasm, bb, head, toySet(2), { epochs: 1 }),
    (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /Conv2DBackpropFilter/.test(e.message) && /tfjs-node/.test(e.message),
  );
  const warnings: string[] = [];
  const log = (m: string) => warnings.push(m);
  const skipped = planFineTune(true, wasm, tiny, { log });
  assert.ok(!skipped.apply && skipped.requested && /Conv2DBackpropFilter/.test(skipped.reason ?? ''));
  assert.match(warnings[0], /WARNING.*SKIPPED/);
  assert.deepEqual(planFineTune(undefined, backend, tiny, { env: {}, log }), { apply: false, requested: false, reason: null });
  assert.deepEqual(planFineTune(undefined, backend, tiny, { env: { CONCORD_FINETUNE: '1' }, log }), { apply: true, options: {} });
  assert.deepEqual(planFineTune(false, backend, tiny, { env: { CONCORD_FINETUNE: '1' }, log }), { apply: false, requested: false, reason: null });
  assert.deepEqual(planFineTune({ epochs: 2 }, backend, tiny, { log }), { apply: true, options: { epochs: 2 } });
  const pixels = planFineTune(true, backend, { kind: PIXELS_KIND }, { log });
  assert.ok(!pixels.apply && /not a network/.test(pixels.reason ?? ''));
});

interface VersionRow {
  backbone: string;
  backend: string;
  head: SerializedHead;
  metrics: { training: { fineTune?: Record<string, unknown> } };
}

async function labelledProject() {
  const { projectId, slices } = await seedProject(sql, store, { patients: 6, slicesPerPatient: 6 });
  const testIds = new Set(await ensureTestSet(sql, projectId));
  // Every slice labelled except one per non-test patient (AL candidates).
  await finaliseLabels(
    sql,
    projectId,
    slices.filter((s) => testIds.has(s.patientId) || s.position !== 5).map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  return { projectId, slices };
}

test('[TR17] a round with fine-tuning on cpu records a +ft backbone whose stored weights reproduce its predictions', async () => {
  const { projectId, slices } = await labelledProject();
  const stages: string[] = [];
  const r = await runTrainingRound(sql, {
    projectId,
    store,
    backbone: tiny,
    backend: 'cpu',
    epochs: 5,
    patience: 3,
    mcSamples: 4,
    fineTune: { epochs: 2, batchSize: 8, learningRate: 1e-3 },
    onProgress: (stage) => {
      if (stages.at(-1) !== stage) stages.push(stage);
    },
  });
  // Leads see the fine-tune as its own stages, in order, not as training going backwards.
  assert.deepEqual(
    stages.filter((st) => ['training', 'fine-tuning', 're-embedding', 'scoring'].includes(st)),
    ['training', 'fine-tuning', 're-embedding', 'scoring'],
  );
  const [mv] = await sql<VersionRow[]>`select backbone, backend, head, metrics from model_versions where id = ${r.id}`;
  assert.equal(mv.backend, 'cpu');
  assert.equal(mv.backbone, `tiny-random+ft-r${r.round}`);
  const ft = mv.metrics.training.fineTune!;
  assert.equal(ft.applied, true);
  assert.equal(ft.baseBackboneId, 'tiny-random');
  assert.equal(ft.epochs, 2);
  assert.equal((ft.losses as number[]).length, 2);
  assert.match(String(ft.weightsKey), /^[0-9a-f]{64}$/);

  const preds = await sql<{ sliceId: string; probability: number }[]>`select slice_id, probability from predictions where model_version_id = ${r.id}`;
  assert.equal(preds.length, slices.length, 'every slice has a prediction');

  // The weights load back by name from the store, give the fine-tuned features, and through the
  // stored (end-to-end trained) head reproduce the stored predictions.
  const loaded = await loadBackboneFromStore(store, String(ft.weightsKey), 'tiny', mv.backbone);
  assert.equal(loaded.weightsHash, ft.weightsHash);
  const refs = await sql<{ id: string; fileKey: string; windowCenter: number | null; windowWidth: number | null }[]>`
    select id, file_key, window_center, window_width from slices where project_id = ${projectId} order by id`;
  const items = await Promise.all(
    refs.map(async (s) => ({ sliceId: s.id, bytes: new Uint8Array(await store.get(s.fileKey)), windowCenter: s.windowCenter, windowWidth: s.windowWidth })),
  );
  const features = embedBatch(loaded, items);
  const head = deserializeHead(mv.head);
  const [p] = mcPredict(head, features, 0);
  const stored = new Map(preds.map((row) => [row.sliceId, row.probability]));
  refs.forEach((s, i) => {
    assert.ok(Math.abs(p[i] - stored.get(s.id)!) < 1e-4, `slice ${i}: ${p[i]} vs ${stored.get(s.id)}`);
  });

  // Fine-tuning changed the features: they differ from the frozen backbone's cached ones.
  const base = await sql<{ sliceId: string; vector: Buffer }[]>`
    select slice_id, vector from embeddings where backbone = 'tiny-random' and slice_id = any(${refs.map((s) => s.id)}::uuid[]) order by slice_id`;
  assert.equal(base.length, refs.length);
  const maxDiff = Math.max(...base.map((b, i) => Math.max(...bytesToVector(b.vector).map((v, k) => Math.abs(v - features[i][k])))));
  assert.ok(maxDiff > 1e-3, `fine-tuned features differ from the frozen ones (max |Δ| ${maxDiff})`);

  // The saved model is a regular tfjs layers model too.
  const asModel = await tf.loadLayersModel(fileStoreHandler(store, String(ft.weightsKey)));
  const again = tf.tidy(() => (asModel.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor).dataSync());
  const direct = tf.tidy(() => (loaded.model.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor).dataSync());
  again.forEach((v, k) => {
    assert.ok(Math.abs(v - direct[k]) < 1e-5);
  });
  asModel.dispose();
  loaded.model.dispose();
  head.dispose();

  // A store that kept model.json but lost its shard (a half-restored backup) says what is missing.
  const damaged = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-finetune-damaged-')));
  assert.equal(await damaged.put(new Uint8Array(await store.get(String(ft.weightsKey)))), ft.weightsKey);
  await assert.rejects(
    loadBackboneFromStore(damaged, String(ft.weightsKey), 'tiny', mv.backbone),
    (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && /weight shard .* not in the file store; restore the file store/.test(e.message),
  );
});

test('[TR17] on wasm a round with fine-tuning requested completes on the frozen backbone and records why', async () => {
  const { projectId, slices } = await labelledProject();
  const warned: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warned.push(args.map(String).join(' '));
  };
  let r: Awaited<ReturnType<typeof runTrainingRound>>;
  try {
    r = await runTrainingRound(sql, { projectId, store, backbone: tiny, backend: 'wasm', epochs: 3, patience: 3, mcSamples: 4, fineTune: true });
  } finally {
    console.warn = warn;
  }
  const [mv] = await sql<VersionRow[]>`select backbone, backend, head, metrics from model_versions where id = ${r.id}`;
  assert.equal(mv.backend, 'wasm');
  assert.equal(mv.backbone, 'tiny-random');
  assert.equal(mv.metrics.training.fineTune?.applied, false);
  assert.match(String(mv.metrics.training.fineTune?.reason), /wasm backend has no Conv2DBackpropFilter/);
  assert.ok(
    warned.some((w) => /WARNING: fine-tuning was requested but is SKIPPED/.test(w)),
    'the skip is logged loudly',
  );
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from predictions where model_version_id = ${r.id}`;
  assert.equal(n, slices.length);
});

/**
 * The GPU path, checked for real (RS4). On a CUDA machine with @tensorflow/tfjs-node-gpu installed
 * (the trainer image with the GPU package added), one command:
 *
 *   npx tsx bench/gpu-check.ts            # ResNet50, ≤ 5 min on a CUDA machine
 *
 * asserts: the tensorflow backend with a GPU device in use (not merely the package loaded);
 * ResNet50 forward parity with the wasm CPU engine (cosine > 0.999 on 8 phantom slices); one
 * fine-tune step that changes only conv5 and the head; a flat tensor count across steps; and a
 * full runTrainingRound with fine-tuning on a small phantom project (DATABASE_URL, or the
 * embedded PostgreSQL of CONCORD_DATA_DIR).
 *
 * It cannot run here (no GPU). `--allow-cpu --backbone tiny` runs every other check on the
 * pure-JS cpu backend (set CONCORD_TF_BACKEND=cpu), so the script itself is exercised by
 * test/trainer.speed.test.ts; the GPU assertion is then reported as skipped, loudly.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectBackend, tf, nativeDiagnostics } from '@concord/trainer/backend';
import { loadBackbone } from '@concord/trainer/model/backbone';
import { buildHead } from '@concord/trainer/model/head';
import { fineTuneTopStages } from '@concord/trainer/model/finetune';
import { embedBatch, toInputBatch, type EmbedItem } from '@concord/trainer/data/embed-batch';
import { inWorker } from '@concord/trainer/data/embeddings';
import { runTrainingRound } from '@concord/trainer/round';
import { ensureTestSet } from '@concord/trainer/eval/splits';
import { finaliseLabels, seedProject } from '@concord/trainer/testing/project-fixture';
import { LocalFileStore, createSql, migrate, resolveDatabase } from '@concord/db';
import { loadStorageConfig } from '@concord/config';

const args = process.argv.slice(2);
const allowCpu = args.includes('--allow-cpu');
const kind = (args[args.indexOf('--backbone') + 1] === 'tiny' && args.includes('--backbone') ? 'tiny' : 'resnet50') as 'tiny' | 'resnet50';
const started = Date.now();
const step = (msg: string) => console.log(`[gpu-check ${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}`);

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

async function main() {
  const backend = await selectBackend();
  for (const d of nativeDiagnostics) step(`native: ${d}`);
  step(`backend ${backend.name} (${backend.source}), engine ${backend.engine}, GPU device: ${backend.gpu}`);
  if (!allowCpu) {
    assert.equal(backend.name, 'tensorflow', 'the native TensorFlow backend must be in use');
    assert.equal(backend.gpu, true, 'TensorFlow must report a GPU device in use (isUsingGpuDevice)');
  } else {
    step('SKIPPED: the GPU device assertion (--allow-cpu); every other check runs');
  }

  // A project of phantom slices, in a database of its own: its files feed the parity check too.
  const config = loadStorageConfig();
  const db = await resolveDatabase(config);
  const admin = createSql(db.url, { appName: 'concord-gpu-check', max: 2 });
  const dbName = `gpu_check_${process.pid}`;
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(db.url);
  url.pathname = `/${dbName}`;
  const sql = createSql(url.toString(), { appName: 'concord-gpu-check', max: 4 });
  const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-gpu-check-')));
  try {
    await migrate(sql);
    const { projectId, slices } = await seedProject(sql, store, { patients: 6, slicesPerPatient: 6 });
    const refs = await sql<{ id: string; fileKey: string; windowCenter: number | null; windowWidth: number | null }[]>`
      select id, file_key, window_center, window_width from slices where project_id = ${projectId} order by id limit 8`;
    const items: EmbedItem[] = await Promise.all(
      refs.map(async (s) => ({
        sliceId: s.id,
        bytes: new Uint8Array(await store.get(s.fileKey)),
        windowCenter: s.windowCenter,
        windowWidth: s.windowWidth,
      })),
    );

    // Forward parity: this engine against wasm in a worker thread (its own tfjs instance).
    const bb = await loadBackbone({ kind }, () => {});
    const here = embedBatch(bb, items);
    const wasm = inWorker({ kind }, 'wasm');
    const there = await wasm.run(items).finally(() => wasm.close());
    const cos = Math.min(...here.map((v, i) => cosine(v, there[i])));
    step(`forward parity with wasm on ${items.length} phantom slices: min cosine ${cos.toFixed(6)}`);
    assert.ok(cos > 0.999, `features differ from the CPU engine's (cosine ${cos})`);

    // Fine-tune steps as rounds run them (a backbone loaded, tuned, and freed with the joint model):
    // conv5 and the head move, nothing else; the tensor count is flat step to step.
    bb.model.dispose();
    const head = buildHead(bb.features, { hidden: 64 });
    const x = toInputBatch(items, bb.spec.inputSize);
    const y = items.map((_, i) => (i % 2) as 0 | 1);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fresh = await loadBackbone({ kind }, () => {});
      const before = new Map(fresh.model.weights.map((w) => [w.originalName, (w.read().dataSync() as Float32Array).slice()]));
      const tuned = await fineTuneTopStages(backend, fresh, head, { x, y }, { epochs: 1, batchSize: 4, learningRate: 1e-4, seed: `gpu-check-${i}` });
      const moved = fresh.model.weights
        .filter((w) => {
          const a = before.get(w.originalName)!;
          const b = w.read().dataSync();
          return a.some((v, k) => v !== b[k]);
        })
        .map((w) => w.originalName);
      assert.ok(
        moved.length > 0 && moved.every((n) => n.startsWith('conv5_')),
        `only conv5 may change: ${moved.filter((n) => !n.startsWith('conv5_')).join(', ')}`,
      );
      if (i === 0) step(`a fine-tune step changed ${moved.length} backbone tensors, all in conv5`);
      tuned.model.dispose();
      counts.push(tf.memory().numTensors);
    }
    tf.dispose(x);
    step(`tensor count after each step: ${counts.join(', ')}`);
    assert.ok(
      counts.every((c) => c === counts[0]),
      `tensor count must stay flat: ${counts.join(', ')}`,
    );
    head.dispose();

    // A full round with fine-tuning.
    const testIds = new Set(await ensureTestSet(sql, projectId));
    await finaliseLabels(
      sql,
      projectId,
      slices.filter((s) => testIds.has(s.patientId) || s.position !== 5).map((s) => ({ sliceId: s.id, value: s.truth })),
    );
    const r = await runTrainingRound(sql, {
      projectId,
      store,
      backbone: { kind },
      epochs: 5,
      mcSamples: 4,
      fineTune: { epochs: 1, batchSize: 4, learningRate: 1e-4 },
    });
    const [mv] = await sql<
      { backbone: string; backend: string; metrics: { training: { fineTune: { applied: boolean } } } }[]
    >`select backbone, backend, metrics from model_versions where id = ${r.id}`;
    step(`round ${r.round}: backbone ${mv.backbone}, backend ${mv.backend}, fine-tune applied ${mv.metrics.training.fineTune.applied}`);
    assert.equal(mv.metrics.training.fineTune.applied, true);
    assert.match(mv.backbone, /\+ft-r\d+$/);
    console.log(`gpu-check: PASS${allowCpu ? ' (without the GPU device assertion)' : ''} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
    await db.release();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`gpu-check: FAIL: ${(e as Error).message}`);
    if (process.env.DEBUG) console.error(e);
    process.exit(1);
  },
);

/**
 * Embedding throughput: ResNet50 slices/s by batch size and worker threads, beside this
 * machine's theoretical FP32 rate (cores × clock × SIMD lanes × FMA, from /proc/cpuinfo) and
 * the rate matmul reaches in the same run, with ResNet50's ≈4.1 GFLOPs per 224² image, and
 * the native CPU engine (onnxruntime-node, RS3) on the same weights beside tfjs-wasm.
 * Usage: npx tsx bench/embeddings/run.ts [--images 8] [--kind resnet50|tiny]
 */
import fs from 'node:fs';
import os from 'node:os';
import { selectBackend, tf } from '@concord/trainer/backend';
import { loadBackbone } from '@concord/trainer/model/backbone';
import { inThread, inWorker } from '@concord/trainer/data/embeddings';
import { onnxEmbedder } from '@concord/trainer/data/onnx-embedder';
import type { EmbedItem } from '@concord/trainer/data/embed-batch';
import { makeStoredSlice, syntheticSlicePixels } from '@concord/trainer/testing/dicom-fixture';

const args = process.argv.slice(2);
const arg = (name: string, d: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
const images = Number(arg('images', '8'));
const kind = arg('kind', 'resnet50') as 'resnet50' | 'tiny';
const RESNET50_GFLOPS = 4.1;

function items(n: number): EmbedItem[] {
  return Array.from({ length: n }, (_, i) => ({
    sliceId: String(i),
    windowCenter: null,
    windowWidth: null,
    bytes: makeStoredSlice({ rows: 320, cols: 320, pixels: syntheticSlicePixels(320, (i % 2) as 0 | 1, i), sopUid: `2.25.${i}` }),
  }));
}

/**
 * Theoretical FP32 GFLOP/s of the cores this process may use: clock × widest SIMD lanes × 2
 * (fused multiply-add) × 2 FMA units, the common count on current x86 server cores (an
 * assumption, printed). wasm's SIMD is 128-bit whatever the CPU has, so the measured matmul rate
 * is the ceiling this backend can actually approach; the theoretical figure is what a native
 * backend could.
 */
function theoreticalPeak(cores: number): { cpu: number; note: string } | null {
  let info = '';
  try {
    info = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(info)?.[1] ?? NaN);
  const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(info)?.[1] ?? '').split(/\s+/));
  if (!Number.isFinite(mhz)) return null;
  const lanes = flags.has('avx512f') ? 16 : flags.has('avx2') ? 8 : 4;
  const fma = flags.has('fma') || flags.has('avx512f') ? 2 : 1;
  const perCore = (l: number, f: number) => (mhz / 1000) * l * f * 2;
  const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? 'unknown CPU';
  return {
    cpu: perCore(lanes, fma) * cores,
    note: `${model}, ${mhz.toFixed(0)} MHz, ${lanes} FP32 lanes (${lanes === 16 ? 'AVX-512' : lanes === 8 ? 'AVX2' : 'SSE'})${fma === 2 ? ' with FMA' : ''}, 2 vector units assumed`,
  };
}

async function main() {
  const backend = await selectBackend('auto');
  const cores = os.availableParallelism();
  const theory = theoreticalPeak(cores);
  if (theory) {
    console.log(`theoretical FP32 peak, ${cores} cores: ${theory.cpu.toFixed(0)} GFLOP/s (${theory.note})`);
    console.log(`ResNet50 at the theoretical peak: ${(theory.cpu / RESNET50_GFLOPS).toFixed(1)} slices/s`);
  }
  // Matmul rate on one core with the same backend, best of a few sizes: the ceiling a conv
  // net can approach (large sizes fall out of cache in wasm, small ones are overhead-bound).
  let gflops1 = 0;
  let t = 0;
  for (const n of [256, 512, 768, 1024]) {
    const a = tf.randomNormal([n, n]);
    tf.tidy(() => {
      tf.matMul(a, a).dataSync();
    });
    const reps = Math.max(2, Math.round(2e9 / (2 * n ** 3)));
    t = performance.now();
    for (let i = 0; i < reps; i++)
      tf.tidy(() => {
        tf.matMul(a, a).dataSync();
      });
    const g = (reps * 2 * n ** 3) / ((performance.now() - t) / 1000) / 1e9;
    console.log(`matmul ${n}×${n}: ${g.toFixed(1)} GFLOP/s (one core)`);
    gflops1 = Math.max(gflops1, g);
    a.dispose();
  }
  const peak = gflops1 * cores;
  console.log(`backend ${backend.name}; ${cores} cores; matmul ${gflops1.toFixed(1)} GFLOP/s per core → ${peak.toFixed(1)} GFLOP/s for ${cores} cores`);
  console.log(`ceiling for ResNet50 at ${RESNET50_GFLOPS} GFLOPs/image: ${(peak / RESNET50_GFLOPS).toFixed(2)} slices/s`);

  const bb = await loadBackbone({ kind }, () => {});
  const thread = inThread(bb);
  await thread.run(items(1)); // warm-up: kernels and memory
  const rows: { mode: string; batch: number; workers: number; perSec: number }[] = [];
  for (const batch of [1, 4, 8]) {
    const work = items(images);
    t = performance.now();
    for (let i = 0; i < work.length; i += batch) await thread.run(work.slice(i, i + batch));
    rows.push({ mode: 'main thread', batch, workers: 0, perSec: images / ((performance.now() - t) / 1000) });
  }
  for (const workers of [1, 2])
    for (const batch of [1, 4, 8]) {
      const lanes = Array.from({ length: workers }, () => inWorker({ kind }, 'wasm'));
      await Promise.all(lanes.map((l) => l.run(items(1))));
      const work = items(images * workers);
      let next = 0;
      t = performance.now();
      await Promise.all(
        lanes.map(async (l) => {
          while (next < work.length) {
            const s = next;
            next += batch;
            await l.run(work.slice(s, s + batch));
          }
        }),
      );
      rows.push({ mode: 'worker threads', batch, workers, perSec: work.length / ((performance.now() - t) / 1000) });
      await Promise.all(lanes.map((l) => l.close()));
    }
  // The native CPU engine on the same weights (RS3): one session, every core.
  const native = await onnxEmbedder(bb, cores);
  await native.run(items(1));
  const probe = items(8);
  const a = await thread.run(probe);
  const b = await native.run(probe);
  const cos = Math.min(
    ...a.map((v, i) => {
      let ab = 0,
        aa = 0,
        bb2 = 0;
      for (let k = 0; k < v.length; k++) {
        ab += v[k] * b[i][k];
        aa += v[k] ** 2;
        bb2 += b[i][k] ** 2;
      }
      return ab / Math.sqrt(aa * bb2);
    }),
  );
  for (const batch of [1, 4, 8]) {
    const work = items(images * 2);
    t = performance.now();
    for (let i = 0; i < work.length; i += batch) await native.run(work.slice(i, i + batch));
    rows.push({ mode: 'onnxruntime', batch, workers: cores, perSec: work.length / ((performance.now() - t) / 1000) });
  }
  await native.close();
  console.log('\nmode            batch  workers  slices/s  GFLOP/s  % of matmul  % of theoretical');
  for (const r of rows) {
    const g = r.perSec * (kind === 'resnet50' ? RESNET50_GFLOPS : 0);
    const ofTheory = theory ? `${((100 * g) / theory.cpu).toFixed(1)}%` : 'n/a';
    console.log(
      `${r.mode.padEnd(15)} ${String(r.batch).padStart(5)} ${String(r.workers).padStart(8)} ${r.perSec.toFixed(2).padStart(9)} ${g.toFixed(1).padStart(8)} ${((100 * g) / peak).toFixed(0).padStart(11)}% ${ofTheory.padStart(17)}`,
    );
  }
  const bestOf = (mode: string) => Math.max(...rows.filter((r) => r.mode === mode).map((r) => r.perSec));
  const tfjsBest = Math.max(bestOf('main thread'), bestOf('worker threads'));
  console.log(
    `\nengines side by side: tfjs-wasm best ${tfjsBest.toFixed(2)} slices/s, onnxruntime best ${bestOf('onnxruntime').toFixed(2)} slices/s (${(bestOf('onnxruntime') / tfjsBest).toFixed(2)}×); min cosine on 8 phantom slices ${cos.toFixed(6)}`,
  );
  const best = Math.max(...rows.map((r) => r.perSec));
  console.log(`\n12,000 slices at the best rate: ${(12000 / best / 60).toFixed(0)} min`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import { createRequire } from 'node:module';
import path from 'node:path';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  /** tfjs backend name as recorded in model_versions.backend. */
  name: BackendName;
  /** True when a native TensorFlow build with a GPU device is in use. */
  gpu: boolean;
  /** Which package provided it, for logs and reports. */
  source: string;
}

let chosen: BackendInfo | undefined;
let matMulPatched = false;

/**
 * The wasm BatchMatMul is ~20× slower with transposeA/transposeB than on an explicitly
 * transposed input (measured: 2048×64ᵀ·64×512 in 352 ms vs 19 ms). Every weight gradient of a
 * dense layer is such a product, so training the head would crawl. We wrap the kernel to
 * transpose first; results are identical.
 */
function patchWasmMatMul(): void {
  if (matMulPatched) return;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return;
  type KernelArgs = Parameters<typeof original.kernelFunc>[0];
  const flip = (x: tf.TensorInfo, backend: KernelArgs['backend']) => {
    const perm = x.shape.map((_, i) => i);
    const n = perm.length;
    [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
    return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const ta = attrs.transposeA ? flip(a, args.backend) : a;
      const tb = attrs.transposeB ? flip(b, args.backend) : b;
      try {
        return original.kernelFunc({ ...args, inputs: { a: ta, b: tb }, attrs: { ...attrs, transposeA: false, transposeB: false } });
      } finally {
        if (ta !== a) (args.backend as tf.KernelBackend).disposeData(ta.dataId);
        if (tb !== b) (args.backend as tf.KernelBackend).disposeData(tb.dataId);
      }
    },
  });
  matMulPatched = true;
}

/** Directory holding the wasm binaries; Node has no page URL to resolve them from. */
export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // entry is .../tfjs-backend-wasm/dist/tf-backend-wasm.node.js (or similar) inside dist/.
  return path.dirname(entry) + path.sep;
}

/**
 * Native packages are never dependencies: they download libtensorflow at install time, which
 * this deployment cannot do. Where an operator has installed one, we use it.
 */
async function tryNative(pkg: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ pkg);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

/**
 * Picks the fastest available backend: tfjs-node-gpu, tfjs-node, wasm, cpu (TR1).
 * Idempotent per process; `prefer` forces one (tests and benchmarks use 'wasm').
 */
export async function selectBackend(prefer: BackendPreference = (process.env.CONCORD_TF_BACKEND as BackendPreference) || 'auto'): Promise<BackendInfo> {
  if (chosen && (prefer === 'auto' || prefer === chosen.name)) return chosen;
  if (prefer === 'auto' || prefer === 'tensorflow') {
    if (await tryNative('@tensorflow/tfjs-node-gpu')) return (chosen = { name: 'tensorflow', gpu: true, source: '@tensorflow/tfjs-node-gpu' });
    if (await tryNative('@tensorflow/tfjs-node')) return (chosen = { name: 'tensorflow', gpu: false, source: '@tensorflow/tfjs-node' });
  }
  if (prefer !== 'cpu') {
    try {
      setWasmPaths(wasmDir());
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        patchWasmMatMul();
        return (chosen = { name: 'wasm', gpu: false, source: '@tensorflow/tfjs-backend-wasm' });
      }
    } catch {
      // fall through to the pure-JS backend
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return (chosen = { name: 'cpu', gpu: false, source: '@tensorflow/tfjs-backend-cpu' });
}

export { tf };

/**
 * Embedding worker threads for a backend: CONCORD_EMBED_WORKERS when set, else one per core on
 * wasm (one thread per tfjs instance) and 0 on a native backend (TensorFlow parallelises inside
 * and must not be loaded once per thread). A value that is not a whole number is refused: NaN
 * started no embedder, embedded nothing, and the round then blamed missing labels.
 */
export function defaultEmbedWorkers(backend: BackendInfo, env: NodeJS.ProcessEnv = process.env): number {
  const set = env.CONCORD_EMBED_WORKERS;
  if (set === undefined || set === '') return backend.name === 'wasm' ? os.availableParallelism() : 0;
  if (!/^\d{1,3}$/.test(set.trim())) throw new Error(`CONCORD_EMBED_WORKERS must be a whole number of worker threads (0 embeds on the main thread) or unset; got "${set}"`);
  return Number(set);
}

import { createRequire } from 'node:module';
import path from 'node:path';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

/** `CONCORD_TF_BACKEND` (TR23): a misspelt name would otherwise fall through to wasm unnoticed. */
export function tfBackendFromEnv(env: NodeJS.ProcessEnv = process.env): BackendPreference {
  const v = env.CONCORD_TF_BACKEND;
  if (v === undefined || v === '') return 'auto';
  if (v === 'auto' || v === 'tensorflow' || v === 'wasm' || v === 'cpu') return v;
  throw new Error(`CONCORD_TF_BACKEND must be tensorflow, wasm or cpu, or auto/unset for the fastest that loads; got "${v}"`);
}

export interface BackendInfo {
  /** tfjs backend name as recorded in model_versions.backend. */
  name: BackendName;
  /**
   * True only when TensorFlow reports a GPU device in use (`isUsingGpuDevice`), not when the GPU
   * package merely loaded: tfjs-node-gpu without a usable CUDA device runs on the CPU (RS4).
   */
  gpu: boolean;
  /** Which package provided it, for logs and reports. */
  source: string;
  /**
   * What computed a vector, as embeddings are cached by it (RS4): engine and precision, e.g.
   * `wasm-fp32`, `tensorflow-gpu-fp32`. Vectors of two engines differ in their last bits.
   */
  engine: string;
}

/** Why the native packages were not used; empty when one was, or none is installed. */
export const nativeDiagnostics: string[] = [];

function engineOf(name: BackendName, gpu: boolean): string {
  return name === 'tensorflow' ? `tensorflow-${gpu ? 'gpu' : 'cpu'}-fp32` : `${name}-fp32`;
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
 * this deployment cannot do. Where an operator has installed one, we use it. A package that is
 * not installed is silent; one that is installed but fails to load (a missing libcudnn, a wrong
 * libtensorflow) is said, with TensorFlow's reason, because it silently cost the GPU (RS4).
 */
async function tryNative(pkg: string): Promise<{ loaded: boolean; gpuDevice: boolean }> {
  try {
    await import(/* @vite-ignore */ pkg);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const missing = (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') && (err.message ?? '').includes(pkg);
    if (!missing) nativeDiagnostics.push(`${pkg} is installed but failed to load: ${err.message ?? String(e)}`);
    return { loaded: false, gpuDevice: false };
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) {
      nativeDiagnostics.push(`${pkg} loaded but its 'tensorflow' backend failed to initialise`);
      return { loaded: false, gpuDevice: false };
    }
  } catch (e) {
    nativeDiagnostics.push(`${pkg} loaded but its 'tensorflow' backend failed: ${(e as Error).message}`);
    return { loaded: false, gpuDevice: false };
  }
  const b = tf.backend() as unknown as { isGPUPackage?: boolean; isUsingGpuDevice?: boolean };
  return { loaded: true, gpuDevice: b.isGPUPackage === true && b.isUsingGpuDevice === true };
}

/**
 * Picks the fastest available backend: tfjs-node-gpu, tfjs-node, wasm, cpu (TR1).
 * Idempotent per process; `prefer` forces one (tests and benchmarks use 'wasm').
 */
export async function selectBackend(prefer: BackendPreference = tfBackendFromEnv()): Promise<BackendInfo> {
  if (chosen && (prefer === 'auto' || prefer === chosen.name)) return chosen;
  if (prefer === 'auto' || prefer === 'tensorflow') {
    const gpuPkg = await tryNative('@tensorflow/tfjs-node-gpu');
    if (gpuPkg.loaded) {
      if (!gpuPkg.gpuDevice)
        nativeDiagnostics.push('@tensorflow/tfjs-node-gpu loaded but TensorFlow uses no GPU device (CUDA/cuDNN not found or no GPU): running on the CPU');
      chosen = { name: 'tensorflow', gpu: gpuPkg.gpuDevice, source: '@tensorflow/tfjs-node-gpu', engine: engineOf('tensorflow', gpuPkg.gpuDevice) };
      return chosen;
    }
    const cpuPkg = await tryNative('@tensorflow/tfjs-node');
    if (cpuPkg.loaded) {
      chosen = { name: 'tensorflow', gpu: false, source: '@tensorflow/tfjs-node', engine: engineOf('tensorflow', false) };
      return chosen;
    }
  }
  if (prefer !== 'cpu') {
    try {
      setWasmPaths(wasmDir());
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        patchWasmMatMul();
        chosen = { name: 'wasm', gpu: false, source: '@tensorflow/tfjs-backend-wasm', engine: engineOf('wasm', false) };
        return chosen;
      }
    } catch {
      // fall through to the pure-JS backend
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  chosen = { name: 'cpu', gpu: false, source: '@tensorflow/tfjs-backend-cpu', engine: engineOf('cpu', false) };
  return chosen;
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
  if (!/^\d{1,3}$/.test(set.trim()))
    throw new Error(`CONCORD_EMBED_WORKERS must be a whole number of worker threads (0 embeds on the main thread) or unset; got "${set}"`);
  return Number(set);
}

/**
 * Frozen-backbone embeddings on onnxruntime-node's native CPU engine (RS3): the backbone's own
 * weights exported to an ONNX graph (model/resnet50-onnx.ts), run with one session using every
 * core. Preprocessing is the tfjs one (TR4), so both engines see the same input tensor.
 */
import os from 'node:os';
import type { Backbone } from '../model/backbone.js';
import { backboneToOnnx } from '../model/resnet50-onnx.js';
import { tf } from '../backend.js';
import { toInputBatch, type EmbedItem } from './embed-batch.js';
import type { Embedder } from './embeddings.js';

export const ONNX_ENGINE = 'onnxruntime-cpu-fp32';

type Ort = typeof import('onnxruntime-node');
let ort: Ort | null | undefined;

/** onnxruntime-node, or null where its native binary cannot load (an unsupported platform). */
export async function loadOnnxRuntime(): Promise<Ort | null> {
  if (ort !== undefined) return ort;
  try {
    ort = await import('onnxruntime-node');
  } catch {
    ort = null;
  }
  return ort;
}

export async function onnxEmbedder(bb: Backbone, threads = os.availableParallelism()): Promise<Embedder> {
  const rt = await loadOnnxRuntime();
  if (!rt) throw new Error('onnxruntime-node cannot load on this platform');
  const session = await rt.InferenceSession.create(backboneToOnnx(bb.spec, bb.model), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const size = bb.spec.inputSize;
  return {
    run: async (items: EmbedItem[]) => {
      if (!items.length) return [];
      const x = toInputBatch(items, size);
      const data = x.dataSync() as Float32Array;
      tf.dispose(x);
      const out = (await session.run({ input_1: new rt.Tensor('float32', data, [items.length, size, size, 3]) })).avg_pool.data as Float32Array;
      return items.map((_, i) => out.slice(i * bb.features, (i + 1) * bb.features));
    },
    close: async () => {
      await session.release();
    },
  };
}

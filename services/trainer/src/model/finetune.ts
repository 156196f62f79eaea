/**
 * End-to-end fine-tuning of the top ResNet50 stage(s) with the study's augmentation (random
 * scaling, rotation, horizontal flip). Needs a native backend: tfjs-backend-wasm lacks
 * Conv2DBackpropFilter, so this refuses to run anywhere else. UNTESTED in this repository's
 * environment (no GPU, no tfjs-node); see CONTEXT.md.
 */
import { tf, type BackendInfo } from '../backend.js';
import { ConcordError, ErrorCode } from '../../../../apps/api/src/errors/codes.js';
import type { Backbone } from './backbone.js';

export interface FineTuneOptions {
  /** Stages to unfreeze, counted from the top: 1 = conv5 only, 2 = conv4 and conv5. */
  topStages?: 1 | 2;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Max relative zoom, max rotation in radians. */
  scale?: number;
  rotation?: number;
}

export function fineTuneEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CONCORD_FINETUNE === '1';
}

/** One augmented copy of a batch [n, s, s, 3]: flip half, rotate, zoom about the centre. */
export function augment(batch: tf.Tensor4D, opts: { scale: number; rotation: number }, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = batch.shape;
    let x = batch;
    if (Math.sin(seed * 12.9898) > 0) x = tf.image.flipLeftRight(x);
    const angle = (Math.sin(seed * 78.233) * opts.rotation);
    x = tf.image.rotateWithOffset(x, angle, 0);
    const z = 1 + Math.sin(seed * 39.425) * opts.scale;
    const dy = (1 - 1 / z) / 2;
    const boxes = tf.tensor2d(Array.from({ length: n }, () => [dy, dy, 1 - dy, 1 - dy]));
    const idx = tf.tensor1d(Array.from({ length: n }, (_, i) => i), 'int32');
    return tf.image.cropAndResize(x, boxes, idx, [h, w]) as tf.Tensor4D;
  });
}

/**
 * Trains backbone top stages + head as one model on network inputs (already preprocessed).
 * tfjs' trainOnBatch takes no class weights: pass class-balanced data.
 * Returns the fine-tuned end-to-end model; its features need a new backbone id when cached.
 */
export async function fineTuneTopStages(
  backend: BackendInfo,
  backbone: Backbone,
  head: tf.Sequential,
  data: { x: tf.Tensor4D; y: number[] },
  opts: FineTuneOptions = {},
): Promise<tf.LayersModel> {
  if (backend.name !== 'tensorflow') {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'Fine-tuning needs @tensorflow/tfjs-node-gpu (or tfjs-node); unset CONCORD_FINETUNE or install a native backend');
  }
  const prefixes = (opts.topStages ?? 1) === 1 ? ['conv5_'] : ['conv4_', 'conv5_'];
  for (const layer of backbone.model.layers) {
    // BatchNorm statistics stay frozen even in unfrozen stages: batches are small.
    layer.trainable = prefixes.some((p) => layer.name.startsWith(p)) && !layer.name.endsWith('_bn');
  }
  const input = backbone.model.inputs[0];
  const features = backbone.model.outputs[0];
  const out = head.apply(features) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.adam(opts.learningRate ?? 1e-5), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const ys = tf.tensor2d(data.y, [data.y.length, 1]);
  const bs = opts.batchSize ?? 16;
  const epochs = opts.epochs ?? 5;
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < data.y.length; i += bs) {
      const size = Math.min(bs, data.y.length - i);
      const xb = data.x.slice([i, 0, 0, 0], [size, -1, -1, -1]);
      const aug = augment(xb, { scale: opts.scale ?? 0.1, rotation: opts.rotation ?? (10 * Math.PI) / 180 }, e * 7919 + i);
      const yb = ys.slice([i, 0], [size, 1]);
      await model.trainOnBatch(aug, yb);
      tf.dispose([xb, aug, yb]);
    }
  }
  ys.dispose();
  return model;
}

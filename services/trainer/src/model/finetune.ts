/**
 * End-to-end fine-tuning of the top ResNet50 stage(s) with the study's augmentation (random
 * scaling, rotation, horizontal flip). Needs a backend with the convolution weight gradient
 * (Conv2DBackpropFilter): native TensorFlow (tfjs-node/-gpu) or the pure-JS `cpu` backend, not
 * wasm. Exercised in tests on `cpu` with the `tiny` backbone only; it has never run on a GPU or
 * with real ResNet50 weights here (see CONTEXT.md "GPU path").
 */
import seedrandom from 'seedrandom';
import { tf, type BackendInfo } from '../backend.js';
import { ConcordError, ErrorCode } from '@concord/contracts';
import type { Backbone } from './backbone.js';

export interface FineTuneOptions {
  /** Stages to unfreeze, counted from the top: 1 = conv5 only, 2 = conv4 and conv5. */
  topStages?: 1 | 2;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Max relative zoom (0.1 = ±10%) and max rotation in radians. */
  scale?: number;
  rotation?: number;
  /** Seeds batch balancing, shuffling and augmentation, so a round is reproducible. */
  seed?: string;
}

export const FINETUNE_DEFAULTS = {
  topStages: 1,
  epochs: 5,
  batchSize: 16,
  learningRate: 1e-5,
  scale: 0.1,
  rotation: (10 * Math.PI) / 180,
  seed: 'concord-finetune',
} as const;

/** The kernel tfjs needs for a convolution's weight gradient; the wasm backend has none. */
export const WEIGHT_GRADIENT_KERNEL = 'Conv2DBackpropFilter';

/** `CONCORD_FINETUNE` (TR23): only 1 turns it on; `true` or `yes` would otherwise leave it off unnoticed. */
export function fineTuneEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CONCORD_FINETUNE;
  if (v === undefined || v === '' || v === '0') return false;
  if (v === '1') return true;
  throw new Error(`CONCORD_FINETUNE must be 1 (fine-tune every round) or 0/unset (off); got "${v}"`);
}

/** Why the active backend cannot fine-tune, or null when it can. */
/**
 * CONCORD_FINETUNE=1 asks for fine-tuning every round, which is only practical on a GPU: on a CPU
 * a ResNet50 round would take hours, and a trainer that silently skipped or crawled looked like a
 * GPU run in the lead's table (RS4). The trainer refuses to start with this message instead.
 */
export function fineTuneStartupProblem(backend: BackendInfo, env: NodeJS.ProcessEnv = process.env): string | null {
  if (!fineTuneEnabled(env) || backend.gpu) return null;
  return (
    `CONCORD_FINETUNE=1 needs a GPU, but the trainer runs on ${backend.source} (engine ${backend.engine}) with no GPU device in use. ` +
    'Install @tensorflow/tfjs-node-gpu with CUDA and cuDNN on a machine with an NVIDIA GPU (check with `npx tsx bench/gpu-check.ts`), or unset CONCORD_FINETUNE.'
  );
}

export function backendCannotFineTune(backend: BackendInfo): string | null {
  const missing = backend.name === 'wasm' || !tf.getKernel(WEIGHT_GRADIENT_KERNEL, tf.getBackend());
  if (!missing) return null;
  return (
    `the ${backend.name} backend has no ${WEIGHT_GRADIENT_KERNEL} kernel (convolution weight gradients); ` +
    'install @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, or unset CONCORD_FINETUNE (CONCORD_TF_BACKEND=cpu works but is only practical for the tiny test backbone)'
  );
}

/**
 * One epoch's sample order with both classes equally often: tfjs' trainOnBatch takes no class
 * weights, so the minority class is oversampled (seeded draws with replacement) up to the
 * majority's count, then everything is shuffled.
 */
export function balancedOrder(labels: number[], rng: () => number): number[] {
  const pos = labels.flatMap((v, i) => (v === 1 ? [i] : []));
  const neg = labels.flatMap((v, i) => (v === 1 ? [] : [i]));
  const [major, minor] = pos.length >= neg.length ? [pos, neg] : [neg, pos];
  const order = [...major, ...minor];
  for (let k = minor.length; k < major.length && minor.length; k++) order.push(minor[Math.floor(rng() * minor.length)]);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * Per-sample inverse affine maps (output pixel → input pixel) for tf.image.transform: a
 * horizontal flip with probability ½, a rotation in ±rotation and a zoom in 1 ± scale, all
 * about the image centre. Returns [n·8] rows [a0 a1 a2 b0 b1 b2 0 0].
 */
export function augmentationTransforms(n: number, size: [number, number], opts: { scale: number; rotation: number }, rng: () => number): Float32Array {
  const [h, w] = size;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const out = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) {
    const flip = rng() < 0.5 ? -1 : 1;
    const angle = (2 * rng() - 1) * opts.rotation;
    const zoom = 1 + (2 * rng() - 1) * opts.scale;
    const cos = Math.cos(angle) * zoom;
    const sin = Math.sin(angle) * zoom;
    const a0 = flip * cos;
    const a1 = -sin;
    const b0 = flip * sin;
    const b1 = cos;
    out.set([a0, a1, cx - a0 * cx - a1 * cy, b0, b1, cy - b0 * cx - b1 * cy, 0, 0], i * 8);
  }
  return out;
}

/**
 * An augmented copy of a batch [n, h, w, c]; edges repeat the nearest pixel rather than inventing
 * black. One image per Transform call: tfjs-backend-cpu 4.22's Transform kernel returns after
 * the first image of a batch and leaves the others at the fill value (measured here). A backend
 * without a Transform kernel (RS4: tfjs-node does not register every image kernel) augments on
 * the host with the same sampling (transformOnHost), so fine-tuning never loses its augmentation.
 */
export function augment(batch: tf.Tensor4D, opts: { scale: number; rotation: number }, rng: () => number): tf.Tensor4D {
  const [n, h, w] = batch.shape;
  const t = augmentationTransforms(n, [h, w], opts, rng);
  if (!tf.getKernel('Transform', tf.getBackend())) {
    const data = batch.dataSync() as Float32Array;
    const size = data.length / n;
    const out = new Float32Array(data.length);
    for (let i = 0; i < n; i++)
      out.set(transformOnHost(data.subarray(i * size, (i + 1) * size), batch.shape[1], batch.shape[2], batch.shape[3], t.subarray(i * 8, i * 8 + 8)), i * size);
    return tf.tensor4d(out, batch.shape);
  }
  return tf.tidy(
    () =>
      tf.concat(
        tf
          .unstack(batch)
          .map((img, i) => tf.image.transform(img.expandDims(0) as tf.Tensor4D, tf.tensor2d(t.subarray(i * 8, i * 8 + 8), [1, 8]), 'bilinear', 'nearest')),
      ) as tf.Tensor4D,
  );
}

/**
 * tf.image.transform for one image [h, w, c] on the host: each output pixel (x, y) samples the
 * input at ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k), k = c0·x + c1·y + 1, bilinearly, with
 * coordinates outside the image clamped to its edge ('nearest' fill).
 */
export function transformOnHost(img: Float32Array, h: number, w: number, c: number, t: ArrayLike<number>): Float32Array {
  const out = new Float32Array(h * w * c);
  const clampX = (v: number) => Math.min(w - 1, Math.max(0, v));
  const clampY = (v: number) => Math.min(h - 1, Math.max(0, v));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = t[6] * x + t[7] * y + 1;
      const sx = clampX((t[0] * x + t[1] * y + t[2]) / k);
      const sy = clampY((t[3] * x + t[4] * y + t[5]) / k);
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy);
      const x1 = Math.min(w - 1, x0 + 1),
        y1 = Math.min(h - 1, y0 + 1);
      const fx = sx - x0,
        fy = sy - y0;
      for (let ch = 0; ch < c; ch++) {
        const at = (yy: number, xx: number) => img[(yy * w + xx) * c + ch];
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        out[(y * w + x) * c + ch] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/**
 * Keras runs a BatchNormalization layer with trainable=False in inference mode; tfjs does not
 * (training mode uses batch statistics and overwrites the moving ones). Small fine-tuning
 * batches would wreck ImageNet statistics, so BN layers are forced to inference mode while fn runs.
 */
async function withFrozenBatchNorm<T>(model: tf.LayersModel, fn: () => Promise<T>): Promise<T> {
  type Callable = { call: (inputs: unknown, kwargs: Record<string, unknown>) => unknown };
  const bns = model.layers.filter((l) => l.getClassName() === 'BatchNormalization') as unknown as Callable[];
  for (const layer of bns) {
    const original = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => original(inputs, { ...kwargs, training: false });
  }
  try {
    return await fn();
  } finally {
    for (const layer of bns) delete (layer as Partial<Callable>).call;
  }
}

interface TopologyJson {
  config: { layers: { config: { activation?: string } }[] };
}

/**
 * A copy of the head whose output layer gives logits instead of probabilities. tfjs'
 * binaryCrossentropy clips probabilities, and the clip has no gradient: a saturated head (here
 * measured on the random tiny backbone, whose features reach ~15) would leave every weight
 * untouched. Cross-entropy from logits keeps the gradient of confidently wrong examples.
 */
async function logitsCopy(head: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await head.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const last = (artifacts!.modelTopology as TopologyJson).config.layers.at(-1)?.config;
  if (last?.activation !== 'sigmoid') {
    throw new ConcordError(ErrorCode.INTERNAL, 'Fine-tuning expects a head that ends in one sigmoid unit; rebuild the head with buildHead()');
  }
  last.activation = 'linear';
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}

/** Network inputs, either in memory or produced per batch (a round reads them from the FileStore). */
export type InputSource = tf.Tensor4D | ((indices: number[]) => Promise<tf.Tensor4D>);

export interface FineTuneResult {
  /** Backbone + a trained copy of the head as one model; disposing it frees the backbone's weights. */
  model: tf.LayersModel;
  epochs: number;
  /** Mean training loss per epoch (augmented, balanced batches). */
  losses: number[];
  /** Names of the weights that were trained, e.g. conv5_block1_1_conv/kernel and the head's. */
  trained: string[];
}

/**
 * Trains the backbone's top stage(s) and the head as one model on network inputs (already
 * preprocessed as in embedding). Updates backbone.model and head IN PLACE: afterwards the
 * backbone gives the fine-tuned features and the head is the end-to-end trained head.
 */
export async function fineTuneTopStages(
  backend: BackendInfo,
  backbone: Backbone,
  head: tf.Sequential,
  data: { x: InputSource; y: number[] },
  opts: FineTuneOptions = {},
  onEpoch?: (epoch: number, loss: number) => void | Promise<void>,
): Promise<FineTuneResult> {
  const why = backendCannotFineTune(backend);
  if (why) throw new ConcordError(ErrorCode.BAD_INPUT, `Fine-tuning is not possible: ${why}`);
  const o = { ...FINETUNE_DEFAULTS, ...opts };
  const prefixes = o.topStages === 1 ? ['conv5_'] : ['conv4_', 'conv5_'];
  const wasTrainable = backbone.model.layers.map((l) => l.trainable);
  for (const layer of backbone.model.layers) {
    layer.trainable = prefixes.some((p) => layer.name.startsWith(p)) && layer.getClassName() !== 'BatchNormalization';
  }
  const optimizer = tf.train.adam(o.learningRate);
  // The joint model trains a copy of the head, copied back at the end: a head applied inside
  // another model is disposed with it, and the caller still owns (and disposes) its own head.
  const headCopy = await logitsCopy(head);
  let returned = false;
  try {
    const out = headCopy.apply(backbone.model.outputs[0]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: backbone.model.inputs[0], outputs: out });
    // compile() fixes the trainable weight list, so the flags above must be set before it.
    model.compile({ optimizer, loss: (y, logits) => tf.losses.sigmoidCrossEntropy(y, logits) });
    const trained = model.trainableWeights.map((w) => w.originalName);
    const rng = seedrandom(o.seed);
    const losses: number[] = [];
    await withFrozenBatchNorm(backbone.model, async () => {
      for (let e = 0; e < o.epochs; e++) {
        const order = balancedOrder(data.y, rng);
        let sum = 0;
        for (let i = 0; i < order.length; i += o.batchSize) {
          const idx = order.slice(i, i + o.batchSize);
          const xb = typeof data.x === 'function' ? await data.x(idx) : tf.gather(data.x, idx);
          const aug = augment(xb, o, rng);
          const yb = tf.tensor2d(
            idx.map((k) => data.y[k]),
            [idx.length, 1],
          );
          try {
            sum += ((await model.trainOnBatch(aug, yb)) as number) * idx.length;
          } finally {
            tf.dispose([xb, aug, yb]);
          }
        }
        losses.push(sum / order.length);
        await onEpoch?.(e + 1, losses[e]);
      }
    });
    head.setWeights(headCopy.getWeights());
    returned = true;
    return { model, epochs: o.epochs, losses, trained };
  } finally {
    // On success the copy lives on inside the returned model; on failure nothing else owns it.
    if (!returned) headCopy.dispose();
    optimizer.dispose();
    backbone.model.layers.forEach((l, i) => {
      l.trainable = wasTrainable[i];
    });
  }
}

import { tf } from '../backend.js';

/** The study's "Model 4" head on pooled features. */
export const HEAD = { hidden: 512, dropout: 0.5 } as const;

export function buildHead(inputDim: number, opts: { hidden?: number; dropout?: number; seed?: number } = {}): tf.Sequential {
  const hidden = opts.hidden ?? HEAD.hidden;
  const rate = opts.dropout ?? HEAD.dropout;
  const seed = opts.seed ?? 7;
  const m = tf.sequential({ name: 'head' });
  m.add(tf.layers.dense({ inputShape: [inputDim], units: hidden, activation: 'relu', name: 'head_dense1', kernelInitializer: tf.initializers.heNormal({ seed }) }));
  m.add(tf.layers.dropout({ rate, name: 'head_drop1' }));
  m.add(tf.layers.dense({ units: hidden, activation: 'relu', name: 'head_dense2', kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }) }));
  m.add(tf.layers.dropout({ rate, name: 'head_drop2' }));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'head_out', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return m;
}

export function toMatrix(rows: Float32Array[], dim: number): tf.Tensor2D {
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => flat.set(r, i * dim));
  return tf.tensor2d(flat, [rows.length, dim]);
}

/** Class weights that make both classes count equally in the loss: n / (2 · n_class). */
export function classWeights(labels: number[]): { 0: number; 1: number } {
  const n1 = labels.filter((v) => v === 1).length;
  const n0 = labels.length - n1;
  const n = labels.length;
  return { 0: n0 ? n / (2 * n0) : 1, 1: n1 ? n / (2 * n1) : 1 };
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  /** Epochs without a better validation loss before stopping. */
  patience?: number;
  onEpoch?: (epoch: number, loss: number, valLoss: number | undefined) => void | Promise<void>;
}

export interface TrainResult { epochs: number; bestEpoch: number; bestValLoss: number | null; finalLoss: number }

/**
 * Fits the head with class weighting; with validation data, stops early on validation loss and
 * restores the best epoch's weights (tfjs' earlyStopping does not restore them).
 */
export async function trainHead(
  model: tf.Sequential,
  train: { x: Float32Array[]; y: number[] },
  val: { x: Float32Array[]; y: number[] } | null,
  opts: TrainOptions = {},
): Promise<TrainResult> {
  const dim = (model.inputs[0].shape[1] as number);
  const xs = toMatrix(train.x, dim);
  const ys = tf.tensor2d(train.y, [train.y.length, 1]);
  const vx = val && val.x.length ? toMatrix(val.x, dim) : null;
  const vy = val && val.x.length ? tf.tensor2d(val.y, [val.y.length, 1]) : null;
  const patience = opts.patience ?? 5;
  let best: tf.Tensor[] | null = null;
  let bestLoss = Infinity;
  let bestEpoch = -1;
  let epochsRun = 0;
  let finalLoss = NaN;
  try {
    await model.fit(xs, ys, {
      epochs: opts.epochs ?? 40,
      batchSize: opts.batchSize ?? 64,
      shuffle: true,
      validationData: vx && vy ? [vx, vy] : undefined,
      classWeight: classWeights(train.y),
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          epochsRun = epoch + 1;
          finalLoss = logs?.loss ?? NaN;
          const valLoss = logs?.val_loss;
          await opts.onEpoch?.(epoch, finalLoss, valLoss);
          if (valLoss === undefined) return;
          if (valLoss < bestLoss) {
            bestLoss = valLoss;
            bestEpoch = epoch;
            tf.dispose(best ?? []);
            best = model.getWeights().map((w) => w.clone());
          } else if (epoch - bestEpoch >= patience) {
            model.stopTraining = true;
          }
        },
      },
    });
    if (best) model.setWeights(best);
  } finally {
    tf.dispose([xs, ys, ...(vx ? [vx] : []), ...(vy ? [vy] : []), ...(best ?? [])]);
  }
  return { epochs: epochsRun, bestEpoch, bestValLoss: Number.isFinite(bestLoss) ? bestLoss : null, finalLoss };
}

export interface SerializedHead {
  inputDim: number;
  hidden: number;
  dropout: number;
  /** Weights in getWeights() order, float32 little endian, base64. */
  weights: { name: string; shape: number[]; data: string }[];
}

export function serializeHead(model: tf.Sequential, dropout: number = HEAD.dropout): SerializedHead {
  const ws = model.getWeights();
  return {
    inputDim: model.inputs[0].shape[1] as number,
    hidden: (model.layers[0] as unknown as { units: number }).units,
    dropout,
    weights: model.weights.map((w, i) => ({
      name: w.originalName,
      shape: ws[i].shape,
      data: Buffer.from((ws[i].dataSync() as Float32Array).buffer.slice(0)).toString('base64'),
    })),
  };
}

export function deserializeHead(s: SerializedHead): tf.Sequential {
  const m = buildHead(s.inputDim, { hidden: s.hidden, dropout: s.dropout });
  m.setWeights(s.weights.map((w) => {
    const b = Buffer.from(w.data, 'base64');
    const copy = new Uint8Array(b.byteLength);
    copy.set(b);
    return tf.tensor(new Float32Array(copy.buffer), w.shape);
  }));
  return m;
}

/**
 * Monte Carlo dropout (TR6): T stochastic passes with dropout on. The first dense layer sits
 * before any dropout, so it is computed once and only the cheap 512-wide layers are repeated.
 * Returns probabilities [T][N]; T = 0 gives the deterministic prediction as one row.
 */
export function mcPredict(model: tf.Sequential, x: Float32Array[], samples: number, seed = 1): Float32Array[] {
  const dim = model.inputs[0].shape[1] as number;
  const [w1, b1, w2, b2, w3, b3] = model.getWeights();
  const rate = (model.layers[1] as unknown as { rate: number }).rate;
  const T = Math.max(samples, 1);
  const out = Array.from({ length: T }, () => new Float32Array(x.length));
  const chunk = 2048;
  for (let start = 0; start < x.length; start += chunk) {
    const part = x.slice(start, start + chunk);
    tf.tidy(() => {
      const xs = toMatrix(part, dim);
      const h1 = tf.relu(tf.add(tf.matMul(xs, w1), b1));
      for (let t = 0; t < T; t++) {
        const d1 = samples > 0 ? tf.dropout(h1, rate, undefined, seed * 7919 + t * 31 + start) : h1;
        const h2 = tf.relu(tf.add(tf.matMul(d1, w2), b2));
        const d2 = samples > 0 ? tf.dropout(h2, rate, undefined, seed * 104729 + t * 17 + start) : h2;
        const p = tf.sigmoid(tf.add(tf.matMul(d2, w3), b3));
        out[t].set(p.dataSync() as Float32Array, start);
      }
    });
  }
  return out;
}

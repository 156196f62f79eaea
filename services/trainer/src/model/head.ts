import { tf } from '../backend.js';
import { SeededDropout } from './seeded-dropout.js';

/** The study's "Model 4" head on pooled features. */
export const HEAD = { hidden: 512, dropout: 0.5 } as const;

export function buildHead(inputDim: number, opts: { hidden?: number; dropout?: number; seed?: number } = {}): tf.Sequential {
  const hidden = opts.hidden ?? HEAD.hidden;
  const rate = opts.dropout ?? HEAD.dropout;
  const seed = opts.seed ?? 7;
  const m = tf.sequential({ name: 'head' });
  m.add(
    tf.layers.dense({ inputShape: [inputDim], units: hidden, activation: 'relu', name: 'head_dense1', kernelInitializer: tf.initializers.heNormal({ seed }) }),
  );
  m.add(new SeededDropout({ rate, seed: seed + 101, name: 'head_drop1' }));
  m.add(tf.layers.dense({ units: hidden, activation: 'relu', name: 'head_dense2', kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }) }));
  m.add(new SeededDropout({ rate, seed: seed + 102, name: 'head_drop2' }));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'head_out', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  // By name, so the model owns its Adam (lr 1e-3, the Keras default) and dispose() frees its
  // slot variables; an optimizer instance passed in leaked 14 tensors per trained head.
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return m;
}

/**
 * Epochs a round always trains before early stopping may act. Measured on a 40-patient phantom
 * (pixels backbone, 5 label draws each): stopping allowed from the first epoch gave test AUC
 * 0.64 / 0.79 / 0.87 at 160 / 300 / 600 labels; waiting 15 epochs gave 0.77 / 0.86 / 0.93.
 * Validation sets of a few patients are too noisy to stop on earlier.
 */
export const HEAD_MIN_EPOCHS = 15;

export function toMatrix(rows: Float32Array[], dim: number): tf.Tensor2D {
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    flat.set(r, i * dim);
  });
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
  /** Epochs without a better validation score before stopping. */
  patience?: number;
  /** Epochs always run before the validation score may keep weights or stop training. */
  minEpochs?: number;
  /**
   * Seeds the order of training examples. With the head's own seed (buildHead, which also seeds
   * its initial weights and dropout masks) training is reproducible: same data, same weights.
   */
  seed?: number;
  onEpoch?: (epoch: number, loss: number, valLoss: number | undefined) => void | Promise<void>;
}

export interface TrainResult {
  epochs: number;
  bestEpoch: number;
  /** Class-balanced validation cross-entropy of the kept weights. */
  bestValLoss: number | null;
  finalLoss: number;
  /** Deterministic validation probabilities of the kept weights, in input order. */
  valProbabilities: Float32Array | null;
}

/**
 * Cross-entropy with each class weighted to half the total, the same balance training uses.
 * tfjs reports val_loss without class weights, so with ~7% positives it falls fastest when the
 * model predicts "negative" everywhere; stopping on it ended training before the head learned
 * anything at small label counts (measured on the phantom, 160 labels: test AUC 0.62 stopping
 * on val_loss vs 0.77 never stopping).
 */
export function balancedCrossEntropy(p: ArrayLike<number>, y: number[]): number {
  const eps = 1e-7;
  const sum = [0, 0];
  const n = [0, 0];
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    sum[y[i]] += y[i] === 1 ? -Math.log(q) : -Math.log(1 - q);
    n[y[i]] += 1;
  }
  const parts = [0, 1].filter((c) => n[c] > 0).map((c) => sum[c] / n[c]);
  return parts.reduce((a, b) => a + b, 0) / parts.length;
}

function shuffledOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * Fits the head with class weighting. With validation data it keeps the weights of the epoch
 * with the lowest class-balanced validation loss and stops after `patience` epochs without
 * one (tfjs' earlyStopping neither balances classes nor restores weights). Examples are
 * shuffled once per epoch by a seeded order, not by tfjs' unseeded shuffle.
 *
 * Our own loop, not `model.fit`: the training matrix is uploaded once and batches are gathered
 * from it on the backend, where fit re-sliced host arrays and synced the loss every batch
 * (bench/al-round: 2.9 → see the bench for this machine's figure). The loss is Keras'
 * class-weighted binary cross-entropy (mean of w·bce over the batch, eps 1e-7), so the
 * optimisation is the one fit ran.
 */
export async function trainHead(
  model: tf.Sequential,
  train: { x: Float32Array[]; y: number[] },
  val: { x: Float32Array[]; y: number[] } | null,
  opts: TrainOptions = {},
): Promise<TrainResult> {
  const dim = model.inputs[0].shape[1] as number;
  // A validation set of one class cannot rank epochs: its "balanced" loss would reward pushing
  // every probability towards that class. Then all epochs run and the last weights are kept.
  const hasVal = !!val && val.y.includes(0) && val.y.includes(1);
  const patience = opts.patience ?? 8;
  const epochs = opts.epochs ?? 40;
  const minEpochs = Math.min(opts.minEpochs ?? 0, epochs);
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  const weights = classWeights(train.y);
  const optimizer = model.optimizer;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const X = toMatrix(train.x, dim);
  const Y = tf.tensor2d(train.y, [train.y.length, 1]);
  const W = tf.tensor2d(
    train.y.map((v) => (v === 1 ? weights[1] : weights[0])),
    [train.y.length, 1],
  );
  let best: tf.Tensor[] | null = null;
  let bestLoss = Infinity;
  let bestEpoch = -1;
  let bestVal: Float32Array | null = null;
  let epochsRun = 0;
  let finalLoss = NaN;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = shuffledOrder(train.y.length, (opts.seed ?? 1) * 1000 + epoch);
      let sum = 0;
      for (let start = 0; start < order.length; start += batchSize) {
        const rows = order.slice(start, start + batchSize);
        const cost: tf.Scalar = tf.tidy(() => {
          const idx = tf.tensor1d(rows, 'int32');
          const xb = tf.gather(X, idx);
          const yb = tf.gather(Y, idx);
          const wb = tf.gather(W, idx);
          return optimizer.minimize(
            () => {
              const p = tf.clipByValue(model.apply(xb, { training: true }) as tf.Tensor, 1e-7, 1 - 1e-7);
              const bce = tf.neg(tf.add(tf.mul(yb, tf.log(p)), tf.mul(tf.sub(1, yb), tf.log(tf.sub(1, p)))));
              return tf.mean(tf.mul(bce, wb)) as tf.Scalar;
            },
            true,
            variables,
          )!;
        });
        sum += cost.dataSync()[0] * rows.length;
        cost.dispose();
      }
      finalLoss = sum / order.length;
      epochsRun = epoch + 1;
      let valLoss: number | undefined;
      if (hasVal && epoch + 1 >= minEpochs) {
        const [p] = mcPredict(model, val!.x, 0);
        valLoss = balancedCrossEntropy(p, val!.y);
        if (valLoss < bestLoss) {
          bestLoss = valLoss;
          bestEpoch = epoch;
          bestVal = p;
          tf.dispose(best ?? []);
          best = model.getWeights().map((w) => w.clone());
        }
      }
      await opts.onEpoch?.(epoch, finalLoss, valLoss);
      if (hasVal && bestEpoch >= 0 && epoch - bestEpoch >= patience) break;
    }
    if (best) model.setWeights(best);
  } finally {
    tf.dispose([X, Y, W, ...(best ?? [])]);
  }
  return { epochs: epochsRun, bestEpoch, bestValLoss: Number.isFinite(bestLoss) ? bestLoss : null, finalLoss, valProbabilities: bestVal };
}

/**
 * The decision threshold for "compressed": the one that maximises Youden's J (sensitivity +
 * specificity − 1) on the validation patients, ties broken towards 0.5. Without both classes
 * in validation there is nothing to choose on, so 0.5 (what class-balanced training aims at).
 */
export function chooseThreshold(p: ArrayLike<number> | null, y: number[]): { threshold: number; chosenOn: 'validation' | 'default' } {
  if (!p || !y.includes(0) || !y.includes(1)) return { threshold: 0.5, chosenOn: 'default' };
  const n1 = y.filter((v) => v === 1).length;
  const n0 = y.length - n1;
  // Midpoints between neighbouring validation scores: a cut exactly at one patient's score would
  // fit that slice rather than the gap between the classes.
  const sorted = [...new Set(Array.from(p))].sort((a, b) => a - b);
  const cuts = [0.5, ...sorted.slice(1).map((v, i) => (v + sorted[i]) / 2)];
  let bestJ = -Infinity;
  let best = 0.5;
  for (const c of cuts) {
    let tp = 0,
      tn = 0;
    for (let i = 0; i < y.length; i++) {
      if (p[i] >= c) {
        if (y[i] === 1) tp++;
      } else if (y[i] === 0) tn++;
    }
    const j = tp / n1 + tn / n0 - 1;
    if (j > bestJ + 1e-12 || (Math.abs(j - bestJ) <= 1e-12 && Math.abs(c - 0.5) < Math.abs(best - 0.5))) {
      bestJ = j;
      best = c;
    }
  }
  return { threshold: best, chosenOn: 'validation' };
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
  m.setWeights(
    s.weights.map((w) => {
      const b = Buffer.from(w.data, 'base64');
      const copy = new Uint8Array(b.byteLength);
      copy.set(b);
      return tf.tensor(new Float32Array(copy.buffer), w.shape);
    }),
  );
  return m;
}

/**
 * Monte Carlo dropout (TR6): T stochastic passes with dropout on. Each pass t samples one thinned
 * network (a dropout mask over units, seeded by `seed` and t) and applies it to every slice: the
 * weight-space sample BALD's definition assumes, and it makes a slice's T probabilities depend on
 * the slice alone, not on which other slices share its pass (RS2 scores a pre-filtered pool and
 * must agree with the full pass). Dropping unit j of a layer's input is zeroing row j of the next
 * weight matrix, so a pass costs the same matmuls as the deterministic one. The first dense layer
 * sits before any dropout, so it is computed once. Returns probabilities [T][N]; T = 0 gives the
 * deterministic prediction as one row.
 */
export function mcPredict(model: tf.Sequential, x: Float32Array[], samples: number, seed = 1): Float32Array[] {
  const dim = model.inputs[0].shape[1] as number;
  const [w1, b1, w2, b2, w3, b3] = model.getWeights();
  const rate = (model.layers[1] as unknown as { rate: number }).rate;
  const T = Math.max(samples, 1);
  const out = Array.from({ length: T }, () => new Float32Array(x.length));
  const thinned = tf.tidy(() =>
    Array.from({ length: T }, (_, t) => {
      if (samples === 0 || rate <= 0) return [tf.keep(w2.clone()), tf.keep(w3.clone())];
      const mask = (rows: number, s: number) => tf.div(tf.cast(tf.greaterEqual(tf.randomUniform([rows, 1], 0, 1, 'float32', s), rate), 'float32'), 1 - rate);
      return [tf.keep(tf.mul(w2, mask(w2.shape[0], seed * 7919 + t * 31))), tf.keep(tf.mul(w3, mask(w3.shape[0], seed * 104729 + t * 17)))];
    }),
  );
  try {
    const chunk = 2048;
    for (let start = 0; start < x.length; start += chunk) {
      const part = x.slice(start, start + chunk);
      tf.tidy(() => {
        const xs = toMatrix(part, dim);
        const h1 = tf.relu(tf.add(tf.matMul(xs, w1), b1));
        for (let t = 0; t < T; t++) {
          const h2 = tf.relu(tf.add(tf.matMul(h1, thinned[t][0]), b2));
          const p = tf.sigmoid(tf.add(tf.matMul(h2, thinned[t][1]), b3));
          out[t].set(p.dataSync() as Float32Array, start);
        }
      });
    }
  } finally {
    tf.dispose(thinned.flat());
  }
  return out;
}

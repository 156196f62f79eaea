/**
 * L2-regularised logistic regression by full-batch gradient descent on standardised features:
 * the simple baseline the phantom's honesty is measured with (PH13) and the simulation reports
 * beside each model (SIM5). Small on purpose: a few hundred features, a few thousand rows.
 */
export interface LogisticModel {
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
  bias: number;
}

export interface LogisticOptions {
  l2?: number;
  iterations?: number;
  learningRate?: number;
}

export function fitLogistic(x: readonly ArrayLike<number>[], y: readonly (0 | 1)[], o: LogisticOptions = {}): LogisticModel {
  const n = x.length;
  const d = n ? x[0].length : 0;
  const l2 = o.l2 ?? 1e-2;
  const iterations = o.iterations ?? 300;
  const lr = o.learningRate ?? 0.5;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  const sq = new Float64Array(d);
  for (const row of x) for (let j = 0; j < d; j++) sq[j] += (row[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = sq[j] > 1e-12 ? Math.sqrt(sq[j]) : 1;
  const z = x.map((row) => Float64Array.from({ length: d }, (_, j) => (row[j] - mean[j]) / scale[j]));
  // Classes weighted equally: positives are rare and a baseline should not win by predicting 0.
  const pos = y.filter((v) => v === 1).length;
  const wPos = pos ? n / (2 * pos) : 0;
  const wNeg = n - pos ? n / (2 * (n - pos)) : 0;
  const weights = new Float64Array(d);
  let bias = 0;
  const grad = new Float64Array(d);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    let gBias = 0;
    for (let i = 0; i < n; i++) {
      let s = bias;
      const zi = z[i];
      for (let j = 0; j < d; j++) s += weights[j] * zi[j];
      const p = 1 / (1 + Math.exp(-s));
      const err = (p - y[i]) * (y[i] === 1 ? wPos : wNeg);
      gBias += err;
      for (let j = 0; j < d; j++) grad[j] += err * zi[j];
    }
    for (let j = 0; j < d; j++) weights[j] -= lr * (grad[j] / n + l2 * weights[j]);
    bias -= lr * (gBias / n);
  }
  return { mean, scale, weights, bias };
}

/** The model's log-odds for one row (monotone in the probability, which is all an AUC needs). */
export function logisticScore(m: LogisticModel, row: ArrayLike<number>): number {
  let s = m.bias;
  for (let j = 0; j < m.weights.length; j++) s += m.weights[j] * ((row[j] - m.mean[j]) / m.scale[j]);
  return s;
}

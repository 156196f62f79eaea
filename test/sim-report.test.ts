import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CURVE_COLUMNS, poolRuns, type CurveRow } from '@concord/simulate';

function row(strategy: string, labels: number, auc: string, accuracy = '0.8'): CurveRow {
  const r = Object.fromEntries(CURVE_COLUMNS.map((c) => [c, ''])) as CurveRow;
  return { ...r, strategy, round: '1', label_count: String(labels), test_auc: auc, test_accuracy: accuracy, sensitivity: '0.5', specificity: '0.9' };
}

test('[SIM3] pooling runs: mean, min and max AUC per strategy and label count; a missing AUC is left out, not read as 0', () => {
  const runA = [row('random', 200, '0.6'), row('entropy', 200, '0.7', '0.9'), row('entropy', 300, '0.8')];
  const runB = [row('entropy', 200, '0.9', '0.7'), row('entropy', 300, ''), row('random', 200, '0.5')];
  const pooled = poolRuns([runA, runB]);
  assert.deepEqual(
    pooled.map((m) => `${m.strategy}@${m.labels}×${m.runs}`),
    ['entropy@200×2', 'entropy@300×2', 'random@200×2'],
    'grouped, in strategy order then labels',
  );
  const e200 = pooled[0];
  assert.ok(Math.abs(e200.aucMean! - 0.8) < 1e-12 && e200.aucMin === 0.7 && e200.aucMax === 0.9);
  assert.ok(Math.abs(e200.accuracy! - 0.8) < 1e-12);
  const e300 = pooled[1];
  assert.deepEqual([e300.aucMean, e300.aucMin, e300.aucMax], [0.8, 0.8, 0.8], 'the run without an AUC does not pull the mean to 0');
  assert.ok(Math.abs(pooled[2].aucMean! - 0.55) < 1e-12);
});

import type { CurvePoint } from './run.js';

export const CURVE_COLUMNS = [
  'strategy', 'round', 'label_count', 'test_auc', 'test_auc_low', 'test_auc_high', 'threshold', 'test_accuracy', 'sensitivity', 'specificity',
  'patient_sensitivity_k1', 'patient_specificity_k1', 'status', 'seconds',
] as const;

function cell(v: string | number | null): string {
  if (v === null) return '';
  return typeof v === 'number' ? String(+v.toFixed(4)) : v;
}

/** The learning curves as CSV, one row per model version (patient figures at the project's k, 1 by default). */
export function curvesCsv(points: CurvePoint[]): string {
  const rows = points.map((p) => [
    p.strategy, p.round, p.labelCount, p.auc, p.aucLow, p.aucHigh, p.threshold, p.accuracy, p.sensitivity, p.specificity,
    p.patientSensitivity, p.patientSpecificity, p.status, p.seconds,
  ].map(cell).join(','));
  return [CURVE_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

import { STRATEGIES, type Strategy } from '@concord/trainer/al/uncertainty';
import type { CurvePoint } from './run.js';

export const CURVE_COLUMNS = [
  'strategy',
  'round',
  'label_count',
  'test_auc',
  'test_auc_low',
  'test_auc_high',
  'threshold',
  'test_accuracy',
  'sensitivity',
  'specificity',
  'patient_sensitivity_k1',
  'patient_specificity_k1',
  'status',
  'seconds',
  // SIM5, added after the columns above (a public contract: appended only).
  'within_dcm_test_auc',
  'within_dcm_test_auc_low',
  'within_dcm_test_auc_high',
  'pixel_lr_test_auc',
  'pixel_lr_test_auc_low',
  'pixel_lr_test_auc_high',
] as const;

function cell(v: string | number | null): string {
  if (v === null) return '';
  return typeof v === 'number' ? String(+v.toFixed(4)) : v;
}

/** The learning curves as CSV, one row per model version (patient figures at the project's k, 1 by default). */
export function curvesCsv(points: CurvePoint[]): string {
  const rows = points.map((p) =>
    [
      p.strategy,
      p.round,
      p.labelCount,
      p.auc,
      p.aucLow,
      p.aucHigh,
      p.threshold,
      p.accuracy,
      p.sensitivity,
      p.specificity,
      p.patientSensitivity,
      p.patientSpecificity,
      p.status,
      p.seconds,
      p.baselines.withinDcm.auc,
      p.baselines.withinDcm.low,
      p.baselines.withinDcm.high,
      p.baselines.pixelLr.auc,
      p.baselines.pixelLr.low,
      p.baselines.pixelLr.high,
    ]
      .map(cell)
      .join(','),
  );
  return [CURVE_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** One row of learning-curves.csv, as text by column. */
export type CurveRow = Record<(typeof CURVE_COLUMNS)[number], string>;

const num = (s: string): number | null => (s === '' ? null : Number(s));
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export interface MeanRow {
  strategy: Strategy;
  labels: number;
  runs: number;
  aucMean: number | null;
  aucMin: number | null;
  aucMax: number | null;
  accuracy: number | null;
  sensitivity: number | null;
  specificity: number | null;
}

/** Means per (strategy, label count) over the runs that reached it; nulls (a class missing) are left out. */
export function poolRuns(runs: CurveRow[][]): MeanRow[] {
  const groups = new Map<string, CurveRow[]>();
  for (const rows of runs)
    for (const r of rows) {
      const key = `${r.strategy}|${r.label_count}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  const values = (rows: CurveRow[], c: keyof CurveRow) => rows.map((r) => num(r[c])).filter((v): v is number => v !== null && Number.isFinite(v));
  return [...groups.values()]
    .map((rows) => {
      const auc = values(rows, 'test_auc');
      return {
        strategy: rows[0].strategy as Strategy,
        labels: Number(rows[0].label_count),
        runs: rows.length,
        aucMean: mean(auc),
        aucMin: auc.length ? Math.min(...auc) : null,
        aucMax: auc.length ? Math.max(...auc) : null,
        accuracy: mean(values(rows, 'test_accuracy')),
        sensitivity: mean(values(rows, 'sensitivity')),
        specificity: mean(values(rows, 'specificity')),
      };
    })
    .sort((a, b) => STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy) || a.labels - b.labels);
}

/**
 * Pools several simulation runs (each a folder holding learning-curves.csv, e.g. one per phantom
 * seed) into the tables and chart of docs/simulation:
 *   npm run simulate:summary -- --out docs/simulation runA runB runC
 * Writes learning-curves-runs.csv (every row, with its run number as `seed`), learning-curves-mean.csv
 * (per strategy and label count: runs, mean/min/max AUC, mean accuracy, sensitivity, specificity)
 * and learning-curves-mean.svg/.png (mean curves, one line per strategy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, exitForError } from '../../../../apps/api/src/cli/usage.js';
import { Command } from 'commander';
import { STRATEGIES, type Strategy } from '../al/uncertainty.js';
import { CURVE_COLUMNS } from '../sim/report.js';
import { writeCurvesChart } from './curves-chart.js';

type Row = Record<(typeof CURVE_COLUMNS)[number], string>;

function readRun(dir: string): Row[] {
  const file = path.join(dir, 'learning-curves.csv');
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist: give folders written by npm run simulate (--out)`);
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  if (header !== CURVE_COLUMNS.join(',')) throw new CliError(`${file} does not have the columns npm run simulate writes; was it written by another version?`);
  return lines.filter(Boolean).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(CURVE_COLUMNS.map((c, i) => [c, cells[i] ?? ''])) as Row;
  });
}

const num = (s: string): number | null => (s === '' ? null : Number(s));
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const f4 = (v: number | null): string => (v === null ? '' : v.toFixed(4));

export interface MeanRow { strategy: Strategy; labels: number; runs: number; aucMean: number | null; aucMin: number | null; aucMax: number | null; accuracy: number | null; sensitivity: number | null; specificity: number | null }

/** Means per (strategy, label count) over the runs that reached it; nulls (a class missing) are left out. */
export function poolRuns(runs: Row[][]): MeanRow[] {
  const groups = new Map<string, Row[]>();
  for (const rows of runs) for (const r of rows) {
    const key = `${r.strategy}|${r.label_count}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const values = (rows: Row[], c: keyof Row) => rows.map((r) => num(r[c])).filter((v): v is number => v !== null && Number.isFinite(v));
  return [...groups.values()].map((rows) => {
    const auc = values(rows, 'test_auc');
    return {
      strategy: rows[0].strategy as Strategy, labels: Number(rows[0].label_count), runs: rows.length,
      aucMean: mean(auc), aucMin: auc.length ? Math.min(...auc) : null, aucMax: auc.length ? Math.max(...auc) : null,
      accuracy: mean(values(rows, 'test_accuracy')), sensitivity: mean(values(rows, 'sensitivity')), specificity: mean(values(rows, 'specificity')),
    };
  }).sort((a, b) => STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy) || a.labels - b.labels);
}

function main() {
  const program = new Command('simulate:summary').exitOverride().option('--out <dir>', 'output folder', 'docs/simulation').argument('<runs...>', 'folders written by npm run simulate').parse(process.argv);
  const out = program.opts<{ out: string }>().out;
  const dirs = program.args;
  const runs = dirs.map(readRun);
  for (const [i, rows] of runs.entries()) {
    const bad = rows.find((r) => !STRATEGIES.includes(r.strategy as Strategy));
    if (bad) throw new CliError(`${dirs[i]}: unknown strategy "${bad.strategy}"`);
  }
  fs.mkdirSync(out, { recursive: true });
  const all = runs.flatMap((rows, i) => rows.map((r) => [...CURVE_COLUMNS.map((c) => r[c]), String(i + 1)].join(',')));
  fs.writeFileSync(path.join(out, 'learning-curves-runs.csv'), [[...CURVE_COLUMNS, 'seed'].join(','), ...all].join('\n') + '\n');
  const pooled = poolRuns(runs);
  fs.writeFileSync(path.join(out, 'learning-curves-mean.csv'), [
    'strategy,label_count,seeds,auc_mean,auc_min,auc_max,accuracy_mean,sensitivity_mean,specificity_mean',
    ...pooled.map((m) => [m.strategy, m.labels, m.runs, f4(m.aucMean), f4(m.aucMin), f4(m.aucMax), f4(m.accuracy), f4(m.sensitivity), f4(m.specificity)].join(',')),
  ].join('\n') + '\n');
  const strategies = STRATEGIES.filter((s) => pooled.some((m) => m.strategy === s));
  const files = writeCurvesChart(out, 'learning-curves-mean', pooled.map((m) => ({ strategy: m.strategy, labels: m.labels, auc: m.aucMean, accuracy: m.accuracy })), strategies, ` (mean of ${runs.length})`);
  console.log(`pooled ${runs.length} runs; wrote ${[path.join(out, 'learning-curves-runs.csv'), path.join(out, 'learning-curves-mean.csv'), ...files].join(', ')}`);
}

try {
  main();
} catch (e) {
  exitForError(e);
}

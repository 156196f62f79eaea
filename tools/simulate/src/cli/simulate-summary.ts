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
import { CliError, exitForError } from '@concord/cli';
import { Command } from 'commander';
import { STRATEGIES, type Strategy } from '@concord/trainer/al/uncertainty';
import { CURVE_COLUMNS, poolRuns, type CurveRow } from '../sim/report.js';
import { writeCurvesChart } from './curves-chart.js';

function readRun(dir: string): CurveRow[] {
  const file = path.join(dir, 'learning-curves.csv');
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist: give folders written by npm run simulate (--out)`);
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  if (header !== CURVE_COLUMNS.join(',')) throw new CliError(`${file} does not have the columns npm run simulate writes; was it written by another version?`);
  return lines.filter(Boolean).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(CURVE_COLUMNS.map((c, i) => [c, cells[i] ?? ''])) as CurveRow;
  });
}

const f4 = (v: number | null): string => (v === null ? '' : v.toFixed(4));

function main() {
  const program = new Command('simulate:summary')
    .exitOverride()
    .option('--out <dir>', 'output folder', 'docs/simulation')
    .argument('<runs...>', 'folders written by npm run simulate')
    .parse(process.argv);
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
  fs.writeFileSync(
    path.join(out, 'learning-curves-mean.csv'),
    [
      'strategy,label_count,seeds,auc_mean,auc_min,auc_max,accuracy_mean,sensitivity_mean,specificity_mean',
      ...pooled.map((m) =>
        [m.strategy, m.labels, m.runs, f4(m.aucMean), f4(m.aucMin), f4(m.aucMax), f4(m.accuracy), f4(m.sensitivity), f4(m.specificity)].join(','),
      ),
    ].join('\n') + '\n',
  );
  const strategies = STRATEGIES.filter((s) => pooled.some((m) => m.strategy === s));
  const files = writeCurvesChart(
    out,
    'learning-curves-mean',
    pooled.map((m) => ({ strategy: m.strategy, labels: m.labels, auc: m.aucMean, accuracy: m.accuracy })),
    strategies,
    ` (mean of ${runs.length})`,
  );
  console.log(
    `pooled ${runs.length} runs; wrote ${[path.join(out, 'learning-curves-runs.csv'), path.join(out, 'learning-curves-mean.csv'), ...files].join(', ')}`,
  );
}

try {
  main();
} catch (e) {
  exitForError(e);
}

/**
 * `npm run simulate -- --replicates K …`: K paired replicates (SIM4). Replicate i is a whole
 * single run with the phantom seed `<seed>-r<i>` (its own phantom, test set and seed set, shared
 * by every strategy, so round 1 is one model), run in worker processes, as many at once as cores
 * allow. Ends with replicates.csv, the mean learning curves and one `paired:` line per strategy.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStorageConfig } from '@concord/config';
import { resolveDatabase, createSql, migrate } from '@concord/db';
import { CliError } from '@concord/cli';
import type { Strategy } from '@concord/trainer/al/uncertainty';
import { pairedAgainstRandom, pairedLine, type ReplicatePoint } from '../sim/paired.js';
import { CURVE_COLUMNS, poolRuns, type CurveRow } from '../sim/report.js';
import { writeCurvesChart } from './curves-chart.js';

export interface ReplicateOptions {
  replicates: number;
  parallel?: number;
  seed: string;
  out: string;
  strategies: Strategy[];
  argv: string[];
}

/** argv without the flags a replicate sets itself. */
function childArgs(argv: string[], seed: string, out: string): string[] {
  const drop = new Set(['--replicates', '--parallel', '--seed', '--out']);
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag] = argv[i].split('=');
    if (drop.has(flag)) {
      if (!argv[i].includes('=')) i++;
      continue;
    }
    kept.push(argv[i]);
  }
  return [...kept, '--seed', seed, '--out', out];
}

function readCurves(file: string): CurveRow[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])) as CurveRow);
}

function runOne(i: number, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const cli = fileURLToPath(new URL('./simulate.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const take = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split('\n')) if (/\] round \d+( baselines)?:/.test(line)) console.log(`[replicate ${i}] ${line.trim()}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new CliError(`replicate ${i} failed (exit ${code}):\n${tail}`))));
  });
}

export async function runReplicates(o: ReplicateOptions): Promise<void> {
  const started = Date.now();
  // One database for every replicate, resolved (and the embedded server started) once, here.
  const config = loadStorageConfig();
  const db = await resolveDatabase(config);
  try {
    const sql = createSql(db.url, { appName: 'concord-simulate', max: 1 });
    await migrate(sql);
    await sql.end({ timeout: 5 });
    const env = { ...process.env, DATABASE_URL: db.url };
    const parallel = Math.max(1, Math.min(o.replicates, o.parallel ?? os.availableParallelism()));
    console.log(`${o.replicates} paired replicates of ${o.strategies.join(', ')}, ${parallel} at a time`);
    const dirs = Array.from({ length: o.replicates }, (_, i) => path.join(o.out, `replicate-${i + 1}`));
    let next = 0;
    let done = 0;
    const lane = async () => {
      while (next < o.replicates) {
        const i = next++;
        const t0 = Date.now();
        await runOne(i + 1, childArgs(o.argv, `${o.seed}-r${i + 1}`, dirs[i]), env);
        done++;
        console.log(`replicate ${i + 1} done in ${((Date.now() - t0) / 1000).toFixed(0)} s (${done}/${o.replicates})`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, lane));

    const runs = dirs.map((d) => readCurves(path.join(d, 'learning-curves.csv')));
    const points: ReplicatePoint[] = runs.flatMap((rows, i) =>
      rows.map((r) => ({
        replicate: i + 1,
        strategy: r.strategy as Strategy,
        round: Number(r.round),
        labels: Number(r.label_count),
        auc: r.test_auc === '' ? null : Number(r.test_auc),
      })),
    );
    const csv = path.join(o.out, 'replicates.csv');
    fs.writeFileSync(
      csv,
      [
        'replicate,seed,' + CURVE_COLUMNS.join(','),
        ...runs.flatMap((rows, i) => rows.map((r) => `${i + 1},${o.seed}-r${i + 1},${CURVE_COLUMNS.map((c) => r[c]).join(',')}`)),
      ].join('\n') + '\n',
    );
    const pooled = poolRuns(runs);
    const charts = writeCurvesChart(
      o.out,
      'learning-curves-mean',
      pooled.map((m) => ({ strategy: m.strategy, labels: m.labels, auc: m.aucMean, accuracy: m.accuracy })),
      o.strategies,
    );
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${[csv, ...charts].join(', ')}`);
    for (const r of pairedAgainstRandom(points)) console.log(pairedLine(r));
  } finally {
    await db.release();
  }
}

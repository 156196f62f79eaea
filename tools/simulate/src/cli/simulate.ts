/**
 * Active-learning simulation on the real loop: phantom → ingest → simulated readers served by
 * assignment → labels and adjudication → training rounds (embed, train, evaluate on the frozen
 * test set, select) → the selection served first in the next round. One project per strategy,
 * all on the same phantom. Writes learning-curves.csv, .svg and .png to --out.
 *   npm run simulate -- --patients 20 --strategies entropy,random --rounds 4 --batch 30
 * Database: DATABASE_URL, else the embedded PostgreSQL of the data dir (CONCORD_DATA_DIR).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, exitForError, wholeNumber } from '@concord/cli';
import { Command } from 'commander';
import { loadStorageConfig, REPO_ROOT } from '@concord/config';
import { resolveDatabase, createSql, migrate, fileStoreFor } from '@concord/db';
import { STRATEGIES, type Strategy } from '@concord/trainer/al/uncertainty';
import { backboneOptionsNamed, PIXELS_KIND, type BackboneOptions } from '@concord/trainer/model/backbone';
import { runSimulation, type CurvePoint, type SimulationEvent } from '../sim/run.js';
import { curvesCsv } from '../sim/report.js';
import { runReplicates } from './simulate-replicates.js';
import { writeCurvesChart } from './curves-chart.js';
import { parseCohortCues } from '@concord/phantom';

interface Opts {
  patients: string;
  rows: string;
  strategy?: string;
  strategies?: string;
  rounds: string;
  batch: string;
  initial?: string;
  seed: string;
  out: string;
  backbone?: string;
  epochs: string;
  mcSamples: string;
  replicates: string;
  parallel?: string;
  cohortCues: string;
}

function parseStrategies(o: Opts): Strategy[] {
  if (o.strategy !== undefined && o.strategies !== undefined) throw new CliError('give --strategy or --strategies, not both');
  const list = o.strategies ?? o.strategy ?? 'entropy,random';
  const names = (list === 'all' ? [...STRATEGIES] : list.split(',').map((s) => s.trim())) as Strategy[];
  for (const s of names) if (!STRATEGIES.includes(s)) throw new CliError(`unknown strategy "${s}": use ${STRATEGIES.join(', ')} or all`);
  return names;
}

/** The product default is resnet50; without weights a simulation would learn nothing from it, so it uses pixels. */
function chooseBackbone(kind: string | undefined): BackboneOptions {
  if (kind === undefined && !process.env.CONCORD_BACKBONE_WEIGHTS) {
    console.log(
      'note: no CONCORD_BACKBONE_WEIGHTS configured, so the simulation uses the "pixels" backbone (fixed pooled pixels; see services/trainer/CONTEXT.md). The product default stays resnet50.',
    );
    return { kind: PIXELS_KIND };
  }
  return backboneOptionsNamed(kind ?? 'resnet50');
}

function fmt(v: number | null, digits = 3): string {
  return v === null ? 'n/a' : v.toFixed(digits);
}

/** SIM5: `[<strategy>] round <n> baselines: within-DCM test AUC <x> (95% CI ..); raw-pixel logistic regression <y> (95% CI ..)` */
function baselinesLine(strategy: Strategy, p: CurvePoint): string {
  const { withinDcm: d, pixelLr: r } = p.baselines;
  return `[${strategy}] round ${p.round} baselines: within-DCM test AUC ${fmt(d.auc)} (95% CI ${fmt(d.low)}–${fmt(d.high)}); raw-pixel logistic regression ${fmt(r.auc)} (95% CI ${fmt(r.low)}–${fmt(r.high)})`;
}

function report(e: SimulationEvent): void {
  switch (e.type) {
    case 'phantom':
      if (e.done === e.total || e.done % 200 === 0) process.stdout.write(`\rphantom: ${e.done}/${e.total} images${e.done === e.total ? '\n' : ''}`);
      return;
    case 'project':
      console.log(`[${e.strategy}] project ${e.projectId}: ${e.slices} slices ingested, ${e.testSlices} in the frozen test set`);
      return;
    case 'labelled':
      console.log(
        `[${e.strategy}] ${e.stage === 'round' ? `after round ${e.round}` : e.stage}: ${e.completed} slices read (${e.reads} reads, ${e.prioritised} prioritised), ${e.adjudicated} adjudicated`,
      );
      return;
    case 'round': {
      const p = e.point;
      console.log(
        `[${e.strategy}] round ${p.round}: ${p.labelCount} labels → test AUC ${fmt(p.auc)} (95% CI ${fmt(p.aucLow)}–${fmt(p.aucHigh)}), threshold ${fmt(p.threshold, 2)}, accuracy ${fmt(p.accuracy)}, sens ${fmt(p.sensitivity)}, spec ${fmt(p.specificity)}, patients sens/spec ${fmt(p.patientSensitivity)}/${fmt(p.patientSpecificity)} (${p.status}, ${p.seconds.toFixed(1)} s)`,
      );
      console.log(baselinesLine(e.strategy, p));
      return;
    }
    default: {
      const never: never = e;
      throw new Error(`unhandled simulation event ${JSON.stringify(never)}`);
    }
  }
}

function writeOutputs(outDir: string, points: CurvePoint[], strategies: Strategy[]): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const csv = path.join(outDir, 'learning-curves.csv');
  fs.writeFileSync(csv, curvesCsv(points));
  const samples = points.map((p) => ({ strategy: p.strategy, labels: p.labelCount, auc: p.auc, accuracy: p.accuracy }));
  return [csv, ...writeCurvesChart(outDir, 'learning-curves', samples, strategies)];
}

async function main() {
  const o = new Command('simulate')
    .exitOverride()
    .option('--patients <n>', 'phantom patients (shared by all strategies)', '20')
    // 192 px (about 1 mm per pixel): at 96 px a 1–2.6 mm dent was one or two pixels (issue #12).
    .option('--rows <n>', 'phantom image size (64–1024)', '192')
    .option('--cohort-cues <s>', 'phantom cohort-cue strength: none, mild, strong (the original phantom) or 0..1', 'mild')
    .option('--strategy <name>', 'one strategy: entropy|bald|margin|random|badge|balanced')
    .option('--strategies <list>', 'several, comma-separated, or all (default entropy,random)')
    .option('--rounds <n>', 'training rounds', '4')
    .option('--batch <n>', 'slices selected and labelled per round', '30')
    .option('--initial <n>', 'seed slices labelled before round 1, the same for every strategy (default: 2 × batch)')
    .option('--seed <s>', 'phantom and reader seed', 'concord-sim')
    .option('--out <dir>', 'output directory', path.join(REPO_ROOT, '.data', 'simulate'))
    .option('--backbone <kind>', 'resnet50|tiny|pixels (default pixels unless CONCORD_BACKBONE_WEIGHTS is set)')
    .option('--epochs <n>', 'head training epochs (early stopping)', '30')
    .option('--mc-samples <n>', 'MC-dropout passes', '10')
    .option('--replicates <k>', 'paired replicates (phantom seed <seed>-r1..k), each a full run; ends with one paired line per strategy against random', '1')
    .option('--parallel <n>', 'replicates run at once in worker processes (default: cores)')
    .parse(process.argv)
    .opts<Opts>();
  const strategies = parseStrategies(o);
  const batch = wholeNumber('--batch', o.batch, 1, 10_000);
  const numbers = {
    patients: wholeNumber('--patients', o.patients, 2, 5_000),
    rows: wholeNumber('--rows', o.rows, 64, 1024),
    rounds: wholeNumber('--rounds', o.rounds, 1, 1_000),
    initial: o.initial === undefined ? 2 * batch : wholeNumber('--initial', o.initial, 1),
    epochs: wholeNumber('--epochs', o.epochs, 1, 10_000),
    mcSamples: wholeNumber('--mc-samples', o.mcSamples, 1, 1_000),
  };
  const replicates = wholeNumber('--replicates', o.replicates, 1, 1_000);
  const cohortCues = parseCohortCues(o.cohortCues);
  if (replicates > 1) {
    if (!strategies.includes('random')) throw new CliError('--replicates compares each strategy with random: include random in --strategies');
    const parallel = o.parallel === undefined ? undefined : wholeNumber('--parallel', o.parallel, 1, 64);
    await runReplicates({ replicates, parallel, seed: o.seed, out: o.out, strategies, argv: process.argv.slice(2) });
    return;
  }
  const backbone = chooseBackbone(o.backbone);
  const config = loadStorageConfig();
  const db = await resolveDatabase(config);
  const sql = createSql(db.url, { appName: 'concord-simulate', max: 4 });
  try {
    await migrate(sql);
    const result = await runSimulation(sql, fileStoreFor(config.dataDir), {
      ...numbers,
      cohortCues,
      strategies,
      batch,
      seed: o.seed,
      workDir: o.out,
      backbone,
      secret: config.pseudonymSecret,
      onEvent: report,
    });
    for (const r of result.runs) {
      const a = r.agreement;
      console.log(
        `[${r.strategy}] reader agreement: negatives ${fmt(a.negative.rate)} (${a.negative.pairs} slices), positives ${fmt(a.positive.rate)} (${a.positive.pairs}); final labels correct ${a.finalCorrect}/${a.finalTotal}; ${r.adjudicated} adjudications`,
      );
    }
    const files = writeOutputs(
      o.out,
      result.runs.flatMap((r) => r.points),
      strategies,
    );
    console.log(`done in ${result.seconds.toFixed(0)} s; wrote ${files.join(', ')}`);
  } finally {
    await sql.end({ timeout: 5 });
    await db.release();
  }
}

main().catch(exitForError);

/**
 * `concord train`, `concord models` and `concord promote`: one training round run in this
 * process with progress bars, the project's model versions, and a lead's promotion or rollback.
 * The API's CLI loads this module lazily, so it runs without TensorFlow until asked to train.
 */
import cliProgress from 'cli-progress';
import type { Sql } from '@concord/db';
import { evaluationFor, type EvaluationView } from '@concord/evaluation';
import { ConcordError, ErrorCode, isUuid } from '@concord/contracts';
import { loadStorageConfig } from '@concord/config';
import { fileStoreFor } from '@concord/db';
import type { TrainingStage } from '@concord/contracts';
import { backboneOptionsNamed } from '../model/backbone.js';
import { runTrainingRound } from '../round.js';
import { defaultEmbedWorkers, selectBackend } from '../backend.js';
import { promote } from '../versions.js';
import type { RoundMetrics } from '../eval/metrics.js';

async function requireProject(sql: Sql, projectId: string): Promise<void> {
  const [p] = isUuid(projectId) ? await sql`select 1 from projects where id = ${projectId}` : [];
  if (!p) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, `no project with id ${projectId}; list them with \`npm run concord -- project list\``);
}

const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? 'n/a' : v.toFixed(d));

/** One line per figure a lead reads first: AUC with its interval, the threshold, and the screening row. */
export function describeMetrics(m: RoundMetrics): string[] {
  const lines = [
    `test set: ${m.testSlices} slices of ${m.testPatients} patients`,
    // Legacy figures on the test slices labelled now, slices as independent: see the evaluation line.
    `slice AUC ${f(m.auc)} (95% CI ${f(m.aucLow)}–${f(m.aucHigh)}, Hanley–McNeil, slices as independent); at threshold ${f(m.threshold, 2)} (${m.operatingPoint?.rule ?? m.thresholdChosenOn ?? 'default'}): sensitivity ${f(m.sensitivity)}, specificity ${f(m.specificity)}, ECE ${f(m.ece)}`,
  ];
  const row = m.screening?.row;
  if (row)
    lines.push(
      `patients abnormal when more than ${m.screeningK} slice(s) are positive: sensitivity ${f(row.sensitivity)}, specificity ${f(row.specificity)} (TP ${row.truePositives}, FN ${row.falseNegatives}, TN ${row.trueNegatives}, FP ${row.falsePositives})`,
    );
  return lines;
}

export async function runTrainCommand(sql: Sql, o: { projectId: string; backbone?: string; fineTune?: boolean; workers?: number }): Promise<void> {
  await requireProject(sql, o.projectId);
  const backbone = backboneOptionsNamed(o.backbone);
  // As the trainer service does.
  const defaultWorkers = defaultEmbedWorkers(await selectBackend());
  const bar = new cliProgress.SingleBar(
    { format: '{stage} [{bar}] {value}/{total} {extra}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let current: TrainingStage | null = null;
  const result = await runTrainingRound(sql, {
    projectId: o.projectId,
    store: fileStoreFor(loadStorageConfig().dataDir),
    backbone,
    fineTune: o.fineTune,
    workers: o.workers ?? defaultWorkers,
    onProgress: (stage, done, total, extra) => {
      if (stage === 'done') return;
      const detail =
        extra.epoch !== undefined ? `epoch ${extra.epoch}, loss ${f(extra.loss)}${extra.valLoss !== undefined ? `, val ${f(extra.valLoss)}` : ''}` : '';
      if (stage !== current) {
        if (current) bar.stop();
        current = stage;
        bar.start(Math.max(total, 1), done, { stage: stage.padEnd(10), extra: detail });
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { extra: detail });
      }
    },
  });
  if (current) bar.stop();
  console.log(
    `round ${result.round}: model version ${result.id} is ${result.status}${result.previousAuc !== null ? ` (current version's validation AUC was ${f(result.previousAuc)})` : ''}`,
  );
  console.log(
    `trained on ${result.labelCount} final labels; embeddings: ${result.embedded.computed} computed, ${result.embedded.cached} cached; ${result.selected} slices selected for labelers`,
  );
  for (const line of describeMetrics(result.metrics)) console.log(line);
  console.log(describeEvaluation(await evaluationFor(sql, result.id)));
}

/** The reportable figure (EV3–EV6): the whole evaluation set, bootstrap interval and n, or why not. */
export function describeEvaluation(e: EvaluationView): string {
  const state = e.complete ? 'complete' : `provisional, ${e.labelledSlices} of ${e.slices} slices labelled`;
  const auc = e.auc
    ? `AUC ${f(e.auc.value)} (95% CI ${f(e.auc.low)}–${f(e.auc.high)}, patient bootstrap, ${e.auc.patients} patients, ${e.auc.slices} slices)`
    : (e.insufficient.find((s) => s.startsWith('auc:')) ?? e.insufficient[0] ?? 'AUC: n/a');
  return `evaluation set (${state}): ${auc}`;
}

export async function runModelsCommand(sql: Sql, projectId: string): Promise<void> {
  await requireProject(sql, projectId);
  const rows = await sql<
    { id: string; round: number; status: string; backbone: string; backend: string; strategy: string; labelCount: number; metrics: RoundMetrics }[]
  >`
    select id, round, status, backbone, backend, strategy, label_count, metrics from model_versions where project_id = ${projectId} order by round`;
  if (!rows.length) {
    console.log('no model versions yet: run `npm run concord -- train --project ID` or press "Train now" on the lead page');
    return;
  }
  console.log(
    ['round', 'status', 'labels', 'evaluation_set', 'auc', 'auc_95ci_patient_bootstrap', 'threshold', 'backbone', 'backend', 'strategy', 'id'].join('\t'),
  );
  for (const r of rows) {
    const e = await evaluationFor(sql, r.id);
    const set = e.complete ? 'complete' : `${e.labelledSlices}/${e.slices}`;
    const auc = e.auc ? [f(e.auc.value), `${f(e.auc.low)}–${f(e.auc.high)}`] : ['insufficient', '–'];
    console.log([r.round, r.status, r.labelCount, set, ...auc, f(r.metrics.threshold, 2), r.backbone, r.backend, r.strategy, r.id].join('\t'));
  }
}

export async function runPromoteCommand(sql: Sql, modelVersionId: string): Promise<void> {
  if (!isUuid(modelVersionId))
    throw new ConcordError(ErrorCode.NOT_FOUND, `no model version with id ${modelVersionId}; list them with \`npm run concord -- models --project ID\``);
  const r = await promote(sql, modelVersionId, { actorId: null, via: 'cli' });
  console.log(`model version ${r.id} is now CURRENT for project ${r.projectId}; labelers' queues follow its uncertainty ranks`);
}

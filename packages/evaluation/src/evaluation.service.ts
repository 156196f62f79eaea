import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import {
  DEFAULT_RESAMPLES,
  evaluateWithIntervals,
  pairedAucDifference,
  type Estimate,
  type EvalPatient,
  type EvaluationFigures,
  type PairedPatient,
} from '@concord/stats';
import {
  evaluationSetCounts,
  evaluationSetPatients,
  evaluationSlices,
  freezeEvaluationSet,
  liveEvaluationSet,
  proposedPatients,
  type EvalSliceRow,
} from './evaluation-set.queries.js';

export interface EvaluationSetView {
  id: string;
  frozenAt: string | null;
  patients: number;
  cases: number | null;
  controls: number | null;
  slices: number;
  labelledSlices: number;
  complete: boolean;
}

export interface EvaluationView extends EvaluationFigures {
  complete: boolean;
  labelledSlices: number;
  slices: number;
  setId: string | null;
}

/** The live set, or, before it is frozen, what freezing now would choose (frozenAt null). [EV1] */
export async function evaluationSetView(sql: Sql, projectId: string): Promise<EvaluationSetView> {
  const live = await liveEvaluationSet(sql, projectId);
  const ids = live ? await evaluationSetPatients(sql, live.id) : await proposedPatients(sql, projectId);
  const c = await evaluationSetCounts(sql, ids);
  return {
    id: live?.id ?? `proposed:${projectId}`,
    frozenAt: live ? new Date(live.frozenAt).toISOString() : null,
    patients: c.patients,
    cases: c.known ? c.cases : null,
    controls: c.known ? c.controls : null,
    slices: c.slices,
    labelledSlices: c.labelledSlices,
    complete: !!live && c.slices > 0 && c.labelledSlices === c.slices,
  };
}

export async function freezeEvaluationSetFor(sql: Sql, projectId: string, actorId: string | null): Promise<EvaluationSetView> {
  const set = await freezeEvaluationSet(sql, projectId, actorId);
  if (!set) throw new ConcordError(ErrorCode.BAD_INPUT, 'The project has too few patients to choose an evaluation set from; ingest studies first');
  return evaluationSetView(sql, projectId);
}

const EMPTY: EvaluationFigures = {
  auc: null,
  sensitivity: null,
  specificity: null,
  balancedAccuracy: null,
  patientSensitivity: null,
  patientSpecificity: null,
  insufficient: [],
};

function patientsFrom(rows: EvalSliceRow[], threshold: number): EvalPatient[] {
  const byPatient = new Map<string, EvalPatient>();
  for (const r of rows) {
    const p = byPatient.get(r.patientId) ?? { patientId: r.patientId, cohort: r.cohort, slices: [], predictedPositiveSlices: 0 };
    byPatient.set(r.patientId, p);
    if (r.probability === null) continue; // a slice ingested after this version: it has no prediction
    if (r.probability >= threshold) p.predictedPositiveSlices++;
    if (r.label !== null) p.slices.push({ probability: r.probability, label: r.label });
  }
  return [...byPatient.values()];
}

export const evaluationSeed = (setId: string) => `evaluation:${setId}`;

interface VersionRow {
  id: string;
  projectId: string;
  metrics: Record<string, unknown>;
  evaluation: { key: string; view: EvaluationView } | null;
}

/**
 * A version's figures on the project's live evaluation set [EV3]: always the whole set, so every
 * version is compared on the same slices. Until every slice has a final label the figures are
 * provisional (`complete: false`) and nothing decides on them. Cached in
 * `model_versions.evaluation` under (set, labelled count, threshold, k): when the set completes,
 * the next read re-scores every earlier version from its stored predictions.
 */
export async function evaluationFor(sql: Sql, modelVersionId: string, resamples = DEFAULT_RESAMPLES): Promise<EvaluationView> {
  const [v] = await sql<VersionRow[]>`select id, project_id, metrics, evaluation from model_versions where id = ${modelVersionId}`;
  if (!v) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such model version; refresh the list of model versions');
  const live = await liveEvaluationSet(sql, v.projectId);
  if (!live) return { ...EMPTY, insufficient: ['no evaluation set has been frozen yet'], complete: false, labelledSlices: 0, slices: 0, setId: null };
  const rows = await evaluationSlices(sql, live.id, v.id);
  const labelled = rows.filter((r) => r.label !== null).length;
  const threshold = typeof v.metrics.threshold === 'number' ? v.metrics.threshold : 0.5;
  const [{ screeningK: projectK }] = await sql<{ screeningK: number }[]>`select screening_k from projects where id = ${v.projectId}`;
  const k = typeof v.metrics.screeningK === 'number' ? v.metrics.screeningK : projectK;
  const key = `${live.id}:${labelled}:${threshold}:${k}:${resamples}`;
  if (v.evaluation?.key === key) return v.evaluation.view;
  const figures = evaluateWithIntervals(patientsFrom(rows, threshold), { threshold, k, seed: evaluationSeed(live.id), resamples });
  const view: EvaluationView = {
    ...figures,
    complete: rows.length > 0 && labelled === rows.length,
    labelledSlices: labelled,
    slices: rows.length,
    setId: live.id,
  };
  await sql`update model_versions set evaluation = ${sql.json({ key, view } as never)} where id = ${v.id}`;
  return view;
}

/** Re-scores every version of the project on the live set (after a round, or when the set completes). */
export async function rescoreVersions(sql: Sql, projectId: string): Promise<number> {
  const versions = await sql<{ id: string }[]>`select id from model_versions where project_id = ${projectId} order by round`;
  for (const v of versions) await evaluationFor(sql, v.id);
  return versions.length;
}

type EvalRows = Awaited<ReturnType<typeof evaluationSlices>>;

/** Two versions' scores on the live set's labelled slices, by patient, for a paired comparison. */
function pairRows(rowsA: EvalRows, rowsB: EvalRows): { patients: PairedPatient[]; labelled: number; slices: number } {
  const probB = new Map(rowsB.map((r) => [r.sliceId, r.probability]));
  const byPatient = new Map<string, PairedPatient>();
  for (const r of rowsA) {
    const pb = probB.get(r.sliceId);
    if (r.label === null || r.probability === null || pb === null || pb === undefined) continue;
    const p = byPatient.get(r.patientId) ?? { patientId: r.patientId, slices: [] };
    p.slices.push({ a: r.probability, b: pb, label: r.label });
    byPatient.set(r.patientId, p);
  }
  return { patients: [...byPatient.values()], labelled: rowsA.filter((r) => r.label !== null).length, slices: rowsA.length };
}

const provisional = (r: { labelled: number; slices: number }) => (r.labelled < r.slices ? `provisional (${r.labelled} of ${r.slices} slices labelled); ` : '');

/**
 * ΔAUC (b − a) of two versions of one project on the labelled slices of its live evaluation set,
 * paired patient bootstrap [EV7]. Provisional sets say so in `method`.
 */
export async function compareVersions(sql: Sql, a: string, b: string, resamples = DEFAULT_RESAMPLES): Promise<Estimate> {
  const versions = await sql<{ id: string; projectId: string }[]>`select id, project_id from model_versions where id = any(${[a, b]}::uuid[])`;
  const pa = versions.find((v) => v.id === a),
    pb = versions.find((v) => v.id === b);
  if (!pa || !pb) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such model version in your projects.');
  if (pa.projectId !== pb.projectId)
    throw new ConcordError(ErrorCode.BAD_INPUT, 'Versions of different projects cannot be compared: they have different evaluation sets');
  const live = await liveEvaluationSet(sql, pa.projectId);
  if (!live) throw new ConcordError(ErrorCode.BAD_INPUT, 'No evaluation set has been frozen for this project yet; freeze one first');
  const rows = pairRows(await evaluationSlices(sql, live.id, a), await evaluationSlices(sql, live.id, b));
  const result = pairedAucDifference(rows.patients, { seed: evaluationSeed(live.id), resamples });
  if ('insufficient' in result)
    throw new ConcordError(ErrorCode.BAD_INPUT, `The evaluation set cannot support this comparison (${result.insufficient}); label more of it`);
  return { ...result.estimate, method: provisional(rows) + result.estimate.method };
}

export interface RoundGain {
  fromRound: number;
  toRound: number;
  labels: number;
  delta: Estimate | null;
  insufficient: string | null;
}
export interface StoppingSignalView {
  window: number;
  steps: RoundGain[];
  plateau: boolean;
  verdict: string;
}

/** [EV9] How many consecutive rounds must show no gain before the signal says so. */
export const DEFAULT_STOP_WINDOW = 3;

/**
 * [EV9] When to stop labelling: the paired ΔAUC (EV7) of each round over the round before, on the
 * frozen evaluation set; a plateau when each of the last `window` rounds' 95% CI includes 0. It
 * advises the lead's labelling effort only: promotion never reads it (TR11 decides on validation).
 */
export async function stoppingSignal(sql: Sql, projectId: string, window = DEFAULT_STOP_WINDOW, resamples = DEFAULT_RESAMPLES): Promise<StoppingSignalView> {
  if (!Number.isInteger(window) || window < 1 || window > 20) throw new ConcordError(ErrorCode.BAD_INPUT, 'window is a whole number of rounds from 1 to 20.');
  const live = await liveEvaluationSet(sql, projectId);
  if (!live) return { window, steps: [], plateau: false, verdict: 'insufficient: no evaluation set is frozen yet; freeze one (or run a training round) first' };
  const versions = await sql<{ id: string; round: number; labelCount: number }[]>`
    select id, round, label_count from model_versions where project_id = ${projectId} order by round`;
  const steps: RoundGain[] = [];
  // Each version is read once: the later side of one step is the earlier side of the next.
  let previous: EvalRows | null = null;
  for (let i = Math.max(1, versions.length - window); i < versions.length; i++) {
    const [a, b] = [versions[i - 1], versions[i]];
    const rowsA: EvalRows = previous ?? (await evaluationSlices(sql, live.id, a.id));
    const rowsB = await evaluationSlices(sql, live.id, b.id);
    previous = rowsB;
    const rows = pairRows(rowsA, rowsB);
    const r = pairedAucDifference(rows.patients, { seed: evaluationSeed(live.id), resamples });
    steps.push(
      'insufficient' in r
        ? { fromRound: a.round, toRound: b.round, labels: b.labelCount, delta: null, insufficient: r.insufficient }
        : {
            fromRound: a.round,
            toRound: b.round,
            labels: b.labelCount,
            delta: { ...r.estimate, method: provisional(rows) + r.estimate.method },
            insufficient: null,
          },
    );
  }
  const flat = steps.filter((s) => s.delta && s.delta.low <= 0 && s.delta.high >= 0).length;
  const plateau = steps.length === window && flat === window;
  const short = steps.find((s) => s.insufficient);
  const verdict =
    steps.length < window
      ? `insufficient: ${steps.length} of ${window} round-to-round comparisons exist; train more rounds`
      : short
        ? `insufficient: ${short.insufficient} in round ${short.toRound}`
        : plateau
          ? `plateau: the last ${window} rounds each changed AUC by an amount whose 95% CI includes 0; more labels of this kind may not improve the model`
          : `improving: ${window - flat} of the last ${window} rounds changed AUC by more than its 95% CI`;
  return { window, steps, plateau, verdict };
}

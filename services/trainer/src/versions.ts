import type { Sql, TxSql } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import type { SerializedHead } from './model/head.js';
import type { RoundMetrics } from './eval/metrics.js';
import type { BatchPick } from './al/select.js';
import { rocAuc } from '@concord/stats';
import type { Strategy } from './al/uncertainty.js';
import { promoteInTx, publish, stillHeld, type HeldRun, type ModelStatus } from '@concord/training';
import { JobFencedOut } from './jobs/liveness.js';

// Promotion is shared with the API (a lead's promoteModel); the package owns it.
export { promote, type ModelStatus } from '@concord/training';

export interface NewModelVersion {
  projectId: string;
  backbone: string;
  weightsHash: string | null;
  backend: string;
  strategy: Strategy;
  labelCount: number;
  /** Patients per split (exports unnest it: arrays only). Validation roles are in metrics.training. */
  split: { test: string[]; train: string[]; val: string[] };
  metrics: RoundMetrics & { training?: unknown; validation?: ValidationComparison };
  head: SerializedHead;
  predictions: { sliceId: string; probability: number }[];
  scores: { sliceId: string; score: number }[];
  selected: (Omit<BatchPick, 'mode'> & { mode?: BatchPick['mode'] })[];
  /** Calibration-patient slices with this version's probability: what the gate decides on (TR11). */
  validation?: { sliceId: string; label: 0 | 1; probability: number }[];
}

/** The gate's evidence, stored in metrics.validation. */
export interface ValidationComparison {
  slices: number;
  candidateAuc: number | null;
  currentAuc: number | null;
}

export interface WrittenVersion {
  id: string;
  round: number;
  status: ModelStatus;
  previousAuc: number | null;
}

/** Called after each step of the write; a test throws from one to prove the write is all or nothing. */
export type WriteHook = (stage: 'version' | 'predictions' | 'scores' | 'selection' | 'published') => void | Promise<void>;

const CHUNK = 5000;

async function insertChunked<T extends Record<string, unknown>>(tx: TxSql, table: 'predictions' | 'uncertainty_scores', rows: T[], cols: (keyof T & string)[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx`insert into ${tx(table)} ${tx(rows.slice(i, i + CHUNK) as never, ...(cols as never[]))}`;
  }
}

/**
 * The promotion gate (TR11): a new version becomes CURRENT only when its VALIDATION AUC is at
 * least the current version's, on the same calibration slices, minus the project's tolerance.
 * Without a current version the first model is promoted; a version whose AUC cannot be measured
 * never replaces one; a tolerance of 1 (the simulator's "always") promotes every version.
 */
export function passesGate(newAuc: number | null, currentAuc: number | null, hasCurrent: boolean, tolerance: number): boolean {
  if (!hasCurrent || tolerance >= 1) return true;
  if (newAuc === null) return false;
  if (currentAuc === null) return true;
  return newAuc >= currentAuc - tolerance;
}

/**
 * Both versions' AUC on the candidate's calibration slices (non-test by construction, TR18). The
 * only query reads the current version's predictions for exactly those slice ids, so the gate
 * never touches a test row (tested at the SQL level, [EV4]).
 */
export async function compareOnValidation(
  tx: TxSql,
  currentId: string | null,
  validation: { sliceId: string; label: 0 | 1; probability: number }[],
): Promise<ValidationComparison> {
  const labels = validation.map((v) => v.label);
  const candidateAuc = validation.length
    ? rocAuc(
        validation.map((v) => v.probability),
        labels,
      )
    : null;
  let currentAuc: number | null = null;
  if (currentId && validation.length) {
    const rows = await tx<{ sliceId: string; probability: number }[]>`
      select slice_id, probability from predictions -- promotion gate
       where model_version_id = ${currentId} and slice_id = any(${validation.map((v) => v.sliceId)}::uuid[])`;
    const p = new Map(rows.map((r) => [r.sliceId, r.probability]));
    const both = validation.filter((v) => p.has(v.sliceId));
    currentAuc =
      both.length === validation.length
        ? rocAuc(
            both.map((v) => p.get(v.sliceId)!),
            both.map((v) => v.label),
          )
        : null;
  }
  return { slices: validation.length, candidateAuc, currentAuc };
}

const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

/**
 * Writes a model version with its predictions, uncertainty scores and selection in ONE
 * transaction (TR12), applies the promotion gate and publishes the round, so readers see the
 * whole version or none of it and the NOTIFYs go out only on commit.
 */
export async function writeModelVersion(sql: Sql, v: NewModelVersion, hook?: WriteHook, fence?: HeldRun): Promise<WrittenVersion> {
  return sql.begin(async (tx) => {
    // A run whose job was reaped and handed on must not write a second version; the row lock makes
    // a reaper wait until this version is committed (then it retries a round that has a version).
    if (fence && !(await stillHeld(tx, fence, true))) throw new JobFencedOut(fence.jobId);
    const [project] = await tx<{ currentModelVersionId: string | null; promotionTolerance: number }[]>`
      select current_model_version_id, promotion_tolerance from projects where id = ${v.projectId} for update`;
    if (!project) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project no longer exists; reload the project list');
    const [{ next }] = await tx<{ next: number }[]>`select coalesce(max(round), 0) + 1 as next from model_versions where project_id = ${v.projectId}`;
    const [mv] = await tx<{ id: string }[]>`
      insert into model_versions (project_id, round, status, backbone, weights_hash, backend, strategy, label_count, split, metrics, head)
      values (${v.projectId}, ${next}, 'CANDIDATE', ${v.backbone}, ${v.weightsHash}, ${v.backend}, ${v.strategy}, ${v.labelCount},
              ${tx.json(v.split as never)}, ${tx.json(v.metrics as never)}, ${tx.json(v.head as never)})
      returning id`;
    await hook?.('version');
    await insertChunked(
      tx,
      'predictions',
      v.predictions.map((p) => ({ modelVersionId: mv.id, sliceId: p.sliceId, probability: p.probability })),
      ['modelVersionId', 'sliceId', 'probability'],
    );
    await hook?.('predictions');
    const rank = new Map(v.selected.map((s) => [s.sliceId, s.rank]));
    await insertChunked(
      tx,
      'uncertainty_scores',
      v.scores.map((s) => ({ modelVersionId: mv.id, sliceId: s.sliceId, strategy: v.strategy, score: s.score, rank: rank.get(s.sliceId) ?? null })),
      ['modelVersionId', 'sliceId', 'strategy', 'score', 'rank'],
    );
    await hook?.('scores');
    if (v.selected.length) {
      const log = v.selected.map((s) => ({
        projectId: v.projectId,
        sliceId: s.sliceId,
        modelVersionId: mv.id,
        strategy: v.strategy,
        score: s.score,
        rank: s.rank,
        mode: s.mode ?? 'ACTIVE',
      }));
      await tx`insert into selection_log ${tx(log, 'projectId', 'sliceId', 'modelVersionId', 'strategy', 'score', 'rank', 'mode')}`;
    }
    await hook?.('selection');
    const gate = await compareOnValidation(tx, project.currentModelVersionId, v.validation ?? []);
    await tx`update model_versions set metrics = metrics || ${tx.json({ validation: gate } as never)} where id = ${mv.id}`;
    const currentAuc = gate.currentAuc;
    const promoted = passesGate(gate.candidateAuc, currentAuc, project.currentModelVersionId !== null, project.promotionTolerance);
    if (promoted) {
      const note = project.currentModelVersionId
        ? `validation AUC ${fmt(gate.candidateAuc)} vs current ${fmt(currentAuc)} on ${gate.slices} calibration slices, tolerance ${project.promotionTolerance}`
        : `first version; validation AUC ${fmt(gate.candidateAuc)} on ${gate.slices} calibration slices`;
      await promoteInTx(tx, v.projectId, mv.id, { basis: 'VALIDATION', decidedBy: null, note });
    }
    await publish(tx, {
      type: 'training:round',
      projectId: v.projectId,
      modelVersionId: mv.id,
      round: next,
      status: promoted ? 'CURRENT' : 'CANDIDATE',
      auc: v.metrics.auc,
      accuracy: v.metrics.accuracy,
      labelCount: v.labelCount,
    });
    await hook?.('published');
    return { id: mv.id, round: next, status: promoted ? 'CURRENT' : 'CANDIDATE', previousAuc: currentAuc };
  });
}

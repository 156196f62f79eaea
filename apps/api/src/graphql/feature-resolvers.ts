import type { Sql } from '@concord/db';
import type { RequestContext } from '../server/context.js';
import type { Resolvers, MutationResolvers, QueryResolvers } from './generated.js';
import { ConcordError, ErrorCode, isConcordError } from '../errors/codes.js';
import { isUuid, requireProjectRole, requireUser } from '../auth/guard.js';
import { agreementFor } from '../agreement/agreement.service.js';
import { batchById, batchesFor, batchFiles } from '../upload/ingest-batches.queries.js';
import { modelVersionById, modelVersionsFor, screeningInputs } from '../model-versions/model-versions.queries.js';
import { screening } from '@concord/stats';
import { enqueueTrainingFor, promoteFor } from '../model-versions/training-bridge.js';
import { compareVersions, evaluationFor, evaluationSetView, freezeEvaluationSetFor, stoppingSignal } from '@concord/evaluation';
import { ingestFromDicomweb } from '../dicomweb/ingest-from-dicomweb.js';
import type { IngestProgress } from '../ingest/ingest.js';

/** At most five progress events a second, and always the last one. */
function throttled(fn: (p: IngestProgress) => void): (p: IngestProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.finished || now - last >= 200) { last = now; fn(p); }
  };
}

export async function agreementResolver(sql: Sql, projectId: string) {
  return agreementFor(sql, projectId);
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const LEADS = ['LEAD', 'ADMIN'] as const;

/**
 * A row of some project, for a caller who leads that project [EX1]. A malformed id, an unknown id
 * and another project's row all give the same NOT_FOUND (membership is checked before the role),
 * so ids cannot be probed; only a member hears FORBIDDEN.
 */
async function rowForLead<T extends { project_id: string }>(
  ctx: RequestContext, id: string, byId: (sql: Sql, id: string) => Promise<T | undefined>, notFoundMessage: string,
): Promise<T> {
  const notFound = () => new ConcordError(ErrorCode.NOT_FOUND, notFoundMessage);
  requireUser(ctx.user);
  const row = isUuid(id) ? await byId(ctx.sql, id) : undefined;
  if (!row) throw notFound();
  try {
    await requireProjectRole(ctx.sql, ctx.user, row.project_id, LEADS);
  } catch (e) {
    throw isConcordError(e) && e.code === ErrorCode.PROJECT_NOT_FOUND ? notFound() : e;
  }
  return row;
}

export const ingestResolvers: { Query: QueryResolvers; Mutation: MutationResolvers; types: Resolvers } = {
  Query: {
    ingestBatches: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return batchesFor(ctx.sql, projectId);
    },
    ingestBatch: async (_p, { id }, ctx) => rowForLead(ctx, id, batchById, 'No such ingest batch in your projects.'),
  },
  Mutation: {
    ingestDicomweb: async (_p, { projectId, url, studyUid }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['ADMIN']);
      const summary = await ingestFromDicomweb(ctx.sql, ctx.store, {
        projectId, baseUrl: url, studyUid: studyUid ?? undefined, secret: ctx.config.pseudonymSecret, createdBy: u.id,
        onProgress: throttled((p) => ctx.hub.emit({ type: 'ingest:progress', projectId, ...p })),
      });
      return (await batchById(ctx.sql, summary.batchId))!;
    },
  },
  types: {
    IngestBatch: {
      startedAt: (b) => iso(b.started_at)!,
      finishedAt: (b) => iso(b.finished_at),
      files: async (b, { status, limit, offset }, ctx) => {
        const lim = Math.min(Math.max(limit ?? 500, 1), 5000);
        return batchFiles(ctx.sql, b.id, status ?? null, lim, Math.max(offset ?? 0, 0));
      },
    },
  },
};

/** A model version the caller leads; unknown ids and other projects' versions look the same. */
function modelVersionForLead(ctx: RequestContext, id: string) {
  return rowForLead(ctx, id, modelVersionById, 'No such model version in your projects.');
}

/** A JSON object stored in metrics by the trainer (older versions lack it: null). */
const jsonObject = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? x : null);
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export const trainingResolvers: { Query: QueryResolvers; Mutation: MutationResolvers; types: Resolvers } = {
  Query: {
    modelVersions: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return modelVersionsFor(ctx.sql, projectId);
    },
    learningCurve: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      const versions = await modelVersionsFor(ctx.sql, projectId);
      return versions.map((v) => ({
        round: v.round, labelCount: v.label_count, modelVersionId: v.id,
        auc: num(v.metrics.auc), accuracy: num(v.metrics.accuracy),
      }));
    },
    screening: async (_p, { modelVersionId, minPositiveSlices }, ctx) => {
      await modelVersionForLead(ctx, modelVersionId);
      const k = minPositiveSlices ?? 1;
      if (!Number.isInteger(k) || k < 0 || k > 100) throw new ConcordError(ErrorCode.BAD_INPUT, 'minPositiveSlices must be a whole number from 0 to 100.');
      const rows = await screeningInputs(ctx.sql, modelVersionId);
      const result = screening(rows.map((r) => ({ patientId: r.patient_id, positive: r.cohort === 'DCM', predictedPositiveSlices: r.positives })), k);
      return { modelVersionId, minPositiveSlices: k, row: result.row, roc: result.roc };
    },
    evaluationSet: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return evaluationSetView(ctx.sql, projectId);
    },
    stoppingSignal: async (_p, { projectId, window }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return stoppingSignal(ctx.sql, projectId, window ?? undefined);
    },
    compareVersions: async (_p, { a, b }, ctx) => {
      await modelVersionForLead(ctx, a);
      await modelVersionForLead(ctx, b);
      return compareVersions(ctx.sql, a, b);
    },
  },
  Mutation: {
    triggerTraining: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return enqueueTrainingFor(ctx.sql, projectId, ctx.user!.id);
    },
    promoteModel: async (_p, { modelVersionId, note }, ctx) => {
      await modelVersionForLead(ctx, modelVersionId);
      if (note != null && note.length > 2000) throw new ConcordError(ErrorCode.BAD_INPUT, 'The promotion note is limited to 2000 characters; shorten it.');
      await promoteFor(ctx.sql, modelVersionId, ctx.user!.id, note ?? null);
      return (await modelVersionById(ctx.sql, modelVersionId))!;
    },
    freezeEvaluationSet: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return freezeEvaluationSetFor(ctx.sql, projectId, u.id);
    },
  },
  types: {
    ModelVersion: {
      labelCount: (v) => v.label_count,
      createdAt: (v) => iso(v.created_at)!,
      metrics: (v) => ({
        accuracy: num(v.metrics.accuracy), sensitivity: num(v.metrics.sensitivity), specificity: num(v.metrics.specificity),
        auc: num(v.metrics.auc), aucLow: num(v.metrics.aucLow), aucHigh: num(v.metrics.aucHigh), ece: num(v.metrics.ece),
        testSlices: num(v.metrics.testSlices) ?? 0, testPatients: num(v.metrics.testPatients) ?? 0,
        threshold: num(v.metrics.threshold) ?? 0.5,
        thresholdChosenOn: v.metrics.thresholdChosenOn === 'validation' ? 'VALIDATION' : 'DEFAULT',
      }),
      evaluation: (v, _a, ctx) => evaluationFor(ctx.sql, v.id),
      promotion: (v) => (v.promotion_basis && v.promotion_decided_at
        ? { basis: v.promotion_basis, decidedAt: iso(v.promotion_decided_at)!, decidedBy: v.promotion_decided_by, note: v.promotion_note }
        : null),
      validation: (v) => jsonObject(v.metrics.validation) as never,
      operatingPoint: (v) => jsonObject(v.metrics.operatingPoint) as never,
      calibration: (v) => jsonObject(v.metrics.calibration) as never,
    },
  },
};

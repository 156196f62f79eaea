import type { Resolvers } from '../graphql/generated.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { requireProjectRole } from '../auth/guard.js';
import { isoTime } from '../graphql/iso-time.js';
import { screening } from '@concord/stats';
import { evaluationFor } from '@concord/evaluation';
import { modelVersionById, modelVersionsFor, screeningInputs } from './model-versions.queries.js';
import { enqueueTrainingFor, promoteFor } from './training-bridge.js';
import { requireLeadOfModelVersion } from './model-version-guard.js';

const LEADS = ['LEAD', 'ADMIN'] as const;

/** A JSON object stored in metrics by the trainer (older versions lack it: null). */
const jsonObject = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? x : null);
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export const modelVersionsResolvers: Resolvers = {
  Query: {
    modelVersions: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return modelVersionsFor(ctx.sql, projectId);
    },
    learningCurve: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      const versions = await modelVersionsFor(ctx.sql, projectId);
      return versions.map((v) => ({
        round: v.round,
        labelCount: v.labelCount,
        modelVersionId: v.id,
        auc: num(v.metrics.auc),
        accuracy: num(v.metrics.accuracy),
      }));
    },
    screening: async (_p, { modelVersionId, minPositiveSlices }, ctx) => {
      await requireLeadOfModelVersion(ctx.sql, ctx.user, modelVersionId);
      const k = minPositiveSlices ?? 1;
      if (!Number.isInteger(k) || k < 0 || k > 100) throw new ConcordError(ErrorCode.BAD_INPUT, 'minPositiveSlices must be a whole number from 0 to 100.');
      const rows = await screeningInputs(ctx.sql, modelVersionId);
      const result = screening(
        rows.map((r) => ({ patientId: r.patientId, positive: r.cohort === 'DCM', predictedPositiveSlices: r.positives })),
        k,
      );
      return { modelVersionId, minPositiveSlices: k, row: result.row, roc: result.roc };
    },
  },
  Mutation: {
    triggerTraining: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return enqueueTrainingFor(ctx.sql, projectId, ctx.user!.id);
    },
    promoteModel: async (_p, { modelVersionId, note }, ctx) => {
      await requireLeadOfModelVersion(ctx.sql, ctx.user, modelVersionId);
      if (note != null && note.length > 2000) throw new ConcordError(ErrorCode.BAD_INPUT, 'The promotion note is limited to 2000 characters; shorten it.');
      await promoteFor(ctx.sql, modelVersionId, ctx.user!.id, note ?? null);
      return (await modelVersionById(ctx.sql, modelVersionId))!;
    },
  },
  ModelVersion: {
    createdAt: (v) => isoTime(v.createdAt),
    metrics: (v) => ({
      accuracy: num(v.metrics.accuracy),
      sensitivity: num(v.metrics.sensitivity),
      specificity: num(v.metrics.specificity),
      auc: num(v.metrics.auc),
      aucLow: num(v.metrics.aucLow),
      aucHigh: num(v.metrics.aucHigh),
      ece: num(v.metrics.ece),
      testSlices: num(v.metrics.testSlices) ?? 0,
      testPatients: num(v.metrics.testPatients) ?? 0,
      threshold: num(v.metrics.threshold) ?? 0.5,
      thresholdChosenOn: v.metrics.thresholdChosenOn === 'validation' ? 'VALIDATION' : 'DEFAULT',
    }),
    evaluation: (v, _a, ctx) => evaluationFor(ctx.sql, v.id),
    promotion: (v) =>
      v.promotionBasis && v.promotionDecidedAt
        ? { basis: v.promotionBasis, decidedAt: isoTime(v.promotionDecidedAt), decidedBy: v.promotionDecidedBy, note: v.promotionNote }
        : null,
    validation: (v) => jsonObject(v.metrics.validation) as never,
    operatingPoint: (v) => jsonObject(v.metrics.operatingPoint) as never,
    calibration: (v) => jsonObject(v.metrics.calibration) as never,
  },
};

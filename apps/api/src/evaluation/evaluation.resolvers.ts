import type { Resolvers } from '../graphql/generated.js';
import { requireProjectRole } from '../auth/guard.js';
import { requireLeadOfModelVersion } from '../model-versions/model-version-guard.js';
import { compareVersions, evaluationSetView, freezeEvaluationSetFor, stoppingSignal } from '@concord/evaluation';

const LEADS = ['LEAD', 'ADMIN'] as const;

export const evaluationResolvers: Resolvers = {
  Query: {
    evaluationSet: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return evaluationSetView(ctx.sql, projectId);
    },
    stoppingSignal: async (_p, { projectId, window }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return stoppingSignal(ctx.sql, projectId, window ?? undefined);
    },
    compareVersions: async (_p, { a, b }, ctx) => {
      await requireLeadOfModelVersion(ctx.sql, ctx.user, a);
      await requireLeadOfModelVersion(ctx.sql, ctx.user, b);
      return compareVersions(ctx.sql, a, b);
    },
  },
  Mutation: {
    freezeEvaluationSet: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return freezeEvaluationSetFor(ctx.sql, projectId, u.id);
    },
  },
};

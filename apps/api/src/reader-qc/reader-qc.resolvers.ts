import type { MutationResolvers, QueryResolvers } from '../graphql/generated.js';
import { requireProjectRole } from '../auth/guard.js';
import { addGoldSlices } from './gold.service.js';
import { performanceFor, resumeReader } from './reader-qc.service.js';

const LEADS = ['LEAD', 'ADMIN'] as const;

/** Reader QC for leads and admins of the project [RQ12]; labelers get FORBIDDEN before any lookup. */
export const readerQcResolvers: { Query: QueryResolvers; Mutation: MutationResolvers } = {
  Query: {
    readerPerformance: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return performanceFor(ctx.sql, projectId);
    },
  },
  Mutation: {
    addGoldSlices: async (_p, { projectId, items }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return addGoldSlices(ctx.sql, projectId, items, u.id);
    },
    resumeReader: async (_p, { projectId, userId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return resumeReader(ctx.sql, projectId, userId, u.id);
    },
  },
};

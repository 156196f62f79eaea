import type { Resolvers } from '../graphql/generated.js';
import { requireProjectRole } from '../auth/guard.js';
import { isoTime } from '../graphql/iso-time.js';
import { sliceById } from '../slices/slices.queries.js';
import { nextSlice, nextSlices } from './assignment.service.js';
import { labelerProgress } from './assignment.queries.js';

export const assignmentResolvers: Resolvers = {
  Query: {
    nextSlice: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['LABELER']);
      return nextSlice(ctx.sql, projectId, u.id);
    },
    nextSlices: async (_p, { projectId, count }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['LABELER']);
      return nextSlices(ctx.sql, projectId, u.id, count ?? 2);
    },
    myProgress: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['LABELER']);
      return labelerProgress(ctx.sql, projectId, u.id);
    },
  },
  Assignment: {
    leaseExpiresAt: (a) => isoTime(a.expiresAt),
    // A lease from submitLabel's round trip carries its slice: no second query for it.
    slice: async (a, _x, ctx) => a.slice ?? sliceById(ctx.sql, a.sliceId),
  },
};

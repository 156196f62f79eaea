import type { Resolvers } from '../graphql/generated.js';
import { requireProjectRole } from '../auth/guard.js';
import { agreementFor } from './agreement.service.js';

export const agreementResolvers: Resolvers = {
  Query: {
    agreement: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, ['LEAD', 'ADMIN']);
      return agreementFor(ctx.sql, projectId);
    },
  },
};

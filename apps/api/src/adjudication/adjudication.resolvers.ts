import type { Resolvers } from '../graphql/generated.js';
import { requireProjectRole, requireRole } from '../auth/guard.js';
import { isoTime } from '../graphql/iso-time.js';
import { getProject } from '../projects/projects.queries.js';
import { sliceById } from '../slices/slices.queries.js';
import { afterLabel } from '../labels/after-label.js';
import { adjudicate } from './adjudication.service.js';
import { openItemsFor } from './adjudication.queries.js';

export const adjudicationResolvers: Resolvers = {
  Query: {
    adjudicationQueue: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['ADJUDICATOR']);
      const p = await getProject(ctx.sql, projectId);
      return openItemsFor(ctx.sql, projectId, u.id, p.adjudicatorMayHaveRead);
    },
  },
  Mutation: {
    adjudicate: async (_p, { itemId, value, reason, note }, ctx) => {
      const u = requireRole(ctx.user, ['ADJUDICATOR']);
      const row = await adjudicate(ctx.sql, { itemId, userId: u.id, value, reason, note: note ?? null });
      void ctx.hub.broadcastAdjudicationQueue(row.projectId);
      void ctx.hub.broadcastProgress(row.projectId);
      afterLabel(ctx, row.projectId, null, 'ADJUDICATED');
      return { id: String(row.id), itemId: row.itemId, value: row.value, reason: row.reasonCode, note: row.note, createdAt: isoTime(row.createdAt) };
    },
  },
  AdjudicationItem: {
    slice: (i, _a, ctx) => sliceById(ctx.sql, i.sliceId),
    // Readers are A and B, never names: the adjudicator decides blind to who read what.
    reads: (i) => [
      { reader: 'A', value: i.readAValue },
      { reader: 'B', value: i.readBValue },
    ],
    openedAt: (i) => isoTime(i.openedAt),
  },
};

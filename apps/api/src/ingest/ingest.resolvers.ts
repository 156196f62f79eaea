import type { Resolvers } from '../graphql/generated.js';
import { requireLeadOfRow, requireProjectRole } from '../auth/guard.js';
import { isoTime, isoTimeOrNull } from '../graphql/iso-time.js';
import { batchById, batchesFor, batchFiles } from './ingest-batches.queries.js';

/** Ingest reports (uploads, DICOMweb pulls, CLI runs) for the project's leads and admins. */
export const ingestResolvers: Resolvers = {
  Query: {
    ingestBatches: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, ['LEAD', 'ADMIN']);
      return batchesFor(ctx.sql, projectId);
    },
    ingestBatch: async (_p, { id }, ctx) => requireLeadOfRow(ctx.sql, ctx.user, id, batchById, 'No such ingest batch in your projects.'),
  },
  IngestBatch: {
    startedAt: (b) => isoTime(b.startedAt),
    finishedAt: (b) => isoTimeOrNull(b.finishedAt),
    files: async (b, { status, limit, offset }, ctx) => {
      const lim = Math.min(Math.max(limit ?? 500, 1), 5000);
      return batchFiles(ctx.sql, b.id, status ?? null, lim, Math.max(offset ?? 0, 0));
    },
  },
};

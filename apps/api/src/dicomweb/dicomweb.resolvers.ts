import type { Resolvers } from '../graphql/generated.js';
import { requireProjectRole } from '../auth/guard.js';
import { batchById } from '../ingest/ingest-batches.queries.js';
import type { IngestProgress } from '../ingest/ingest.js';
import { ingestFromDicomweb } from './ingest-from-dicomweb.js';

/** At most five progress events a second, and always the last one. */
function throttled(fn: (p: IngestProgress) => void): (p: IngestProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.finished || now - last >= 200) {
      last = now;
      fn(p);
    }
  };
}

export const dicomwebResolvers: Resolvers = {
  Mutation: {
    ingestDicomweb: async (_p, { projectId, url, studyUid }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['ADMIN']);
      const summary = await ingestFromDicomweb(ctx.sql, ctx.store, {
        projectId,
        baseUrl: url,
        studyUid: studyUid ?? undefined,
        secret: ctx.config.pseudonymSecret,
        createdBy: u.id,
        onProgress: throttled((p) => ctx.hub.emit({ type: 'ingest:progress', projectId, ...p })),
      });
      return (await batchById(ctx.sql, summary.batchId))!;
    },
  },
};

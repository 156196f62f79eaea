import type { AppServices } from '../server/context.js';
import { ingest, type IngestProgress } from '../ingest/ingest.js';

/**
 * Ingest of an uploaded folder (files and .zip archives, as received) with progress fanned out to
 * admins and leads over sockets. Zips are read from disk entry by entry, never whole into memory.
 */
export async function runIngest(services: AppServices, input: { projectId: string; userId: string; label: string; dir: string }) {
  let lastEmit = 0;
  return ingest(services.sql, services.store, {
    projectId: input.projectId,
    source: { kind: 'path', path: input.dir, label: input.label },
    secret: services.config.pseudonymSecret,
    createdBy: input.userId,
    onProgress: (p: IngestProgress) => {
      const now = Date.now();
      if (!p.finished && now - lastEmit < 200) return;
      lastEmit = now;
      services.hub.emit({ type: 'ingest:progress', projectId: input.projectId, ...p });
    },
  });
}

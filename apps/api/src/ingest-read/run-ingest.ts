import type { AppServices } from '../server/context.js';
import { ingest, type IngestProgress } from '../ingest/ingest.js';

/** Ingest of in-memory files with progress fanned out to admins and leads over sockets. */
export async function runIngest(
  services: AppServices,
  input: { projectId: string; userId: string; label: string; files: { name: string; bytes: Uint8Array }[] },
) {
  async function* iterate() { for (const f of input.files) yield f; }
  let lastEmit = 0;
  return ingest(services.sql, services.store, {
    projectId: input.projectId,
    source: { kind: 'buffers', label: input.label, files: iterate() },
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

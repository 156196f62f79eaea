import cliProgress from 'cli-progress';
import type { Sql } from '@concord/db';
import { loadConfig } from '../config/config.js';
import { fileStoreFor } from '@concord/db';
import { generatePhantom } from '@concord/phantom';
import { ingest, type IngestProgress } from '../ingest/ingest.js';
import { ingestFromDicomweb } from '../dicomweb/ingest-from-dicomweb.js';
import { importCohorts } from '../ingest/cohorts.js';
import { publishEvent } from '../realtime/hub.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';

function bar(label: string) {
  return new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} {extra}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
}

export async function runPhantomCommand(o: { patients: number; out: string; seed: string; enhanced?: boolean; cohortCues?: number }): Promise<void> {
  const b = bar('phantom');
  let started = false;
  const r = await generatePhantom({
    patients: o.patients,
    outDir: o.out,
    seed: o.seed,
    enhanced: o.enhanced,
    cohortCues: o.cohortCues,
    onProgress: (done, total) => {
      if (!started) {
        b.start(total, 0, { extra: '' });
        started = true;
      }
      b.update(done, { extra: 'files' });
    },
  });
  if (started) b.stop();
  console.log(`wrote ${r.files} files for ${r.patients.length} patients to ${o.out} (ground truth: ground_truth_slices.csv, ground_truth_patients.csv)`);
}

export async function runIngestCommand(sql: Sql, o: { path?: string; dicomweb?: string; study?: string; projectId: string; cohorts?: string }): Promise<void> {
  const config = loadConfig();
  const [p] = await sql`select 1 from projects where id::text = ${o.projectId}`;
  if (!p) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, `no project with id ${o.projectId}; list them with \`npm run concord -- project list\``);
  const b = bar('ingest');
  let started = false;
  let lastPublish = 0;
  const onProgress = (pr: IngestProgress) => {
    if (!started && pr.total > 0) {
      b.start(pr.total, 0, { extra: '' });
      started = true;
    }
    if (started) {
      b.setTotal(pr.total);
      b.update(pr.done, { extra: `accepted ${pr.accepted} skipped ${pr.skipped} rejected ${pr.rejected}` });
    }
    // Browsers watching the admin page hear of CLI ingests through the API nodes.
    const now = Date.now();
    if (pr.finished || now - lastPublish > 500) {
      lastPublish = now;
      void publishEvent(sql, { type: 'ingest:progress', projectId: o.projectId, ...pr }).catch(() => {});
    }
  };
  const store = fileStoreFor(config.dataDir);
  const summary = o.dicomweb
    ? await ingestFromDicomweb(sql, store, { projectId: o.projectId, baseUrl: o.dicomweb, studyUid: o.study, secret: config.pseudonymSecret, onProgress })
    : await ingest(sql, store, { projectId: o.projectId, source: { kind: 'path', path: o.path! }, secret: config.pseudonymSecret, onProgress });
  if (started) b.stop();
  console.log(`batch ${summary.batchId}: ${summary.total} files — ${summary.accepted} accepted, ${summary.skipped} skipped, ${summary.rejected} rejected`);
  if (o.cohorts) {
    const c = await importCohorts(sql, o.projectId, config.pseudonymSecret, o.cohorts);
    console.log(`cohorts set for ${c.updated} patients${c.unmatched ? ` (${c.unmatched} rows matched no ingested patient)` : ''}`);
  }
}

/**
 * push-sr: every study's SR to a PACS over STOW-RS, one outcome per study (SR9). An instance the
 * server already holds (same SOP Instance UID: same content version, SR6) is not sent again, so a
 * re-run stores nothing new. A server that cannot be reached or refuses access stops the run; a
 * refusal of one instance is that study's outcome and the run goes on.
 */
import type { Sql } from '@concord/db';
import { parseDicomwebUrl } from '../dicomweb/dicomweb-endpoint.js';
import { projectSrs, type SrOptions } from './sr-build.js';
import { instanceExists, stowInstance } from './stow.js';

export type PushStatus = 'STORED' | 'ALREADY_STORED' | 'REFUSED' | 'SKIPPED';

export interface PushOutcome {
  /** De-identified study UID (never an original one: outcomes are printed and logged). */
  studyUid: string;
  status: PushStatus;
  sopUid?: string;
  instanceNumber?: number;
  slices?: number;
  reason?: string;
}

export interface PushSummary {
  server: string;
  outcomes: PushOutcome[];
  counts: Record<PushStatus, number>;
}

export async function pushProjectSrs(
  sql: Sql,
  secret: string,
  projectId: string,
  dicomwebUrl: string,
  opts: SrOptions & { actorId?: string | null; onOutcome?: (o: PushOutcome) => void },
): Promise<PushSummary> {
  const endpoint = parseDicomwebUrl(dicomwebUrl);
  const outcomes: PushOutcome[] = [];
  const counts: Record<PushStatus, number> = { STORED: 0, ALREADY_STORED: 0, REFUSED: 0, SKIPPED: 0 };
  const record = (o: PushOutcome) => {
    outcomes.push(o);
    counts[o.status]++;
    opts.onOutcome?.(o);
  };
  try {
    for await (const sr of projectSrs(sql, secret, projectId, opts)) {
      if (sr.kind === 'skipped') {
        record({ studyUid: sr.studyUid, status: 'SKIPPED', reason: sr.reason });
        continue;
      }
      const base = { studyUid: sr.studyUid, sopUid: sr.sopUid, instanceNumber: sr.instanceNumber, slices: sr.slices };
      if (await instanceExists(endpoint, sr.sopUid)) {
        record({ ...base, status: 'ALREADY_STORED' });
        continue;
      }
      const verdict = await stowInstance(endpoint, sr.sopUid, sr.bytes());
      if (verdict.stored === 'unconfirmed') {
        record(
          (await instanceExists(endpoint, sr.sopUid))
            ? { ...base, status: 'STORED' }
            : { ...base, status: 'REFUSED', reason: 'the server answered success without a STOW-RS response, and a search does not find the instance' },
        );
      } else {
        record(verdict.stored ? { ...base, status: 'STORED' } : { ...base, status: 'REFUSED', reason: verdict.reason });
      }
    }
  } finally {
    // Audited even when the run stops part-way: what reached the PACS is on record.
    await sql`insert into audit_log (project_id, actor_id, action, payload)
              values (${projectId}, ${opts.actorId ?? null}, 'SR_PUSH', ${sql.json({
                server: endpoint.root,
                reidentified: opts.reidentified,
                includeModels: opts.includeModels,
                ...counts,
              })})`.catch(() => {});
  }
  return { server: endpoint.root, outcomes, counts };
}

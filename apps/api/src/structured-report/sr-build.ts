/**
 * A project's SRs, one study at a time: content from the database, a version row per distinct
 * content, and the Part 10 bytes. Callers (zip route, export-sr, push-sr) only consume the stream.
 */
import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { MR_IMAGE_STORAGE } from '@concord/dicom';
import { pseudonymousUid } from '../ingest/pseudonym.js';
import { getProject } from '../projects/projects.queries.js';
import { isAbnormal } from '@concord/stats';
import { contentHash, type SrSlice, type SrStudyContent } from './sr-content.js';
import { writeSr } from './sr-document.js';
import { reidentificationAllowed } from './reidentification.js';
import { patientScreening, studiesWithFinalLabels, studyFinalLabels, studyOrigins, studyProbabilities, versionFor, type SrStudyRow } from './sr.queries.js';

export interface SrOptions {
  /** Reference the original UIDs and identity kept at ingest, for the site's own PACS (SR5). */
  reidentified: boolean;
  /** Add each model version's probability per slice and the patient's screening result (SR3). */
  includeModels: boolean;
}

export interface BuiltSr {
  kind: 'sr';
  /** De-identified study UID: how Concord names the study in files and reports. */
  studyUid: string;
  /** The study the SR belongs to (the original one in re-identified output). */
  srStudyUid: string;
  seriesUid: string;
  sopUid: string;
  instanceNumber: number;
  slices: number;
  /**
   * The Part 10 bytes, encoded on first call. dcmjs takes ~4 ms per labelled slice, so push-sr
   * asks the PACS first and encodes only what it has to send (bench/structured-report).
   */
  bytes(): Uint8Array;
}

export interface SkippedStudy {
  kind: 'skipped';
  studyUid: string;
  reason: string;
}

/** Deterministic UIDs under 2.25 from the deployment secret: nothing to look up, nothing reversible. */
function derivedUid(secret: string, ...parts: string[]): string {
  return pseudonymousUid(secret, ['concord-sr', ...parts].join('\0'));
}

async function studyContent(sql: Sql, secret: string, projectId: string, k: number, study: SrStudyRow, opts: SrOptions): Promise<SrStudyContent | string> {
  const labels = await studyFinalLabels(sql, study.studyId);
  const probabilities = opts.includeModels ? await studyProbabilities(sql, study.studyId) : [];
  const bySlice = new Map<string, SrSlice['probabilities']>();
  for (const p of probabilities) {
    const list = bySlice.get(p.sliceId) ?? [];
    list.push({ modelVersionId: p.modelVersionId, round: p.round, probability: p.probability });
    bySlice.set(p.sliceId, list);
  }
  let identity = { studyUid: study.studyUid, patientId: study.pseudonym, patientName: study.pseudonym };
  let origins = new Map<string, { seriesUid: string; sopUid: string; sopClassUid: string }>();
  if (opts.reidentified) {
    const rows = await studyOrigins(sql, study.studyId);
    origins = new Map(rows.map((r) => [r.sliceId, r]));
    const missing = labels.filter((l) => !origins.has(l.sliceId)).length;
    if (missing)
      return `${missing} labelled slice(s) have no original UIDs: they were ingested before re-identification was allowed; re-ingest the study to record them`;
    const studies = new Set(rows.map((r) => r.studyUid));
    if (studies.size !== 1) return 'the original instances of this study belong to more than one original study';
    identity = { studyUid: rows[0].studyUid, patientId: rows[0].patientId ?? '', patientName: rows[0].patientName ?? '' };
  }
  const slices: SrSlice[] = labels.map((l) => {
    const origin = origins.get(l.sliceId);
    return {
      trackingUid: derivedUid(secret, 'tracking', projectId, l.sopUid),
      trackingId: `series ${l.seriesIndex} slice ${l.position + 1}`,
      image: origin
        ? { seriesUid: origin.seriesUid, sopUid: origin.sopUid, sopClassUid: origin.sopClassUid }
        : { seriesUid: l.seriesUid, sopUid: l.sopUid, sopClassUid: MR_IMAGE_STORAGE },
      ...(origin ? { deidentifiedSopUid: l.sopUid } : {}),
      positive: l.value === 1,
      decision: l.source,
      reasonCode: l.reasonCode,
      probabilities: bySlice.get(l.sliceId) ?? [],
    };
  });
  const screening = opts.includeModels
    ? (await patientScreening(sql, study.patientId)).map((r) => ({
        modelVersionId: r.modelVersionId,
        round: r.round,
        threshold: r.threshold,
        positiveSlices: r.positives,
        k,
        abnormal: isAbnormal(r.positives, k),
      }))
    : [];
  return { ...identity, reidentified: opts.reidentified, slices, screening };
}

/**
 * Every study of the project with a final label, as an SR or the reason it was skipped. Refuses
 * re-identified output for a project that does not allow it before reading anything (SR5).
 */
export async function* projectSrs(sql: Sql, secret: string, projectId: string, opts: SrOptions): AsyncGenerator<BuiltSr | SkippedStudy> {
  const allowed = await reidentificationAllowed(sql, projectId);
  const project = await getProject(sql, projectId);
  if (opts.reidentified && !allowed) {
    throw new ConcordError(
      ErrorCode.FORBIDDEN,
      'This project does not allow re-identification, so Concord kept no original UIDs: write de-identified SRs, or have an admin allow re-identification and re-ingest.',
    );
  }
  const mode = opts.reidentified ? 'reidentified' : 'deidentified';
  for (const study of await studiesWithFinalLabels(sql, projectId)) {
    const content = await studyContent(sql, secret, projectId, project.screeningK, study, opts);
    if (typeof content === 'string') {
      yield { kind: 'skipped', studyUid: study.studyUid, reason: content };
      continue;
    }
    const hash = contentHash(content);
    const version = await versionFor(sql, {
      projectId,
      studyId: study.studyId,
      reidentified: opts.reidentified,
      contentHash: hash,
      seriesUid: derivedUid(secret, 'series', projectId, study.studyUid, mode),
      sopUid: derivedUid(secret, 'instance', projectId, study.studyUid, mode, hash),
    });
    let encoded: Uint8Array | undefined;
    const bytes = () =>
      (encoded ??= writeSr(content, {
        seriesUid: version.seriesUid,
        sopUid: version.sopUid,
        instanceNumber: version.instanceNumber,
        contentDate: version.createdAt,
        predecessor: version.predecessorSopUid ? { sopUid: version.predecessorSopUid } : undefined,
      }));
    yield {
      kind: 'sr',
      studyUid: study.studyUid,
      srStudyUid: content.studyUid,
      seriesUid: version.seriesUid,
      sopUid: version.sopUid,
      instanceNumber: version.instanceNumber,
      slices: content.slices.length,
      bytes,
    };
  }
}

/** File name inside a zip or folder: the de-identified study UID, never an original one. */
export function srFileName(sr: { studyUid: string }): string {
  return `${sr.studyUid}.dcm`;
}

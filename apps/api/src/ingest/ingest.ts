/**
 * Ingest: files → verdicts → de-identified slices of axial T2 series. Two phases: every file is
 * parsed and judged alone (a failure touches only its own row), then candidate files are grouped
 * by series, checked for geometry and written one series per transaction.
 */
import { createHash } from 'node:crypto';
import type { Sql, TxSql } from '../db/sql.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { FileStore } from '../files/file-store.js';
import { classify, type CandidateInfo } from './classify.js';
import { deidentify, deidentifiedIds } from './deidentify.js';
import { FileVerdictError, type FileVerdict } from './outcome.js';
import { num, parseInstance } from './parse-instance.js';
import { decodePixels } from './pixel-decode.js';
import { resolveSeriesRules } from './series-rules.js';
import { orderSeries } from './series-geometry.js';
import { countSource, readSource, sourceLabel, type IngestSource } from './sources.js';
import { toSixteenBit, writeStoredSlice } from './stored-slice.js';
import { recordOrigins, sliceOrigin, type SliceOrigin } from '../structured-report/reidentification.js';

export type { IngestSource } from './sources.js';

export interface IngestProgress { batchId: string; done: number; total: number; accepted: number; skipped: number; rejected: number; finished: boolean }
export interface IngestSummary { batchId: string; total: number; accepted: number; skipped: number; rejected: number }

export interface IngestOptions {
  projectId: string;
  source: IngestSource;
  /** Pseudonym secret (config.pseudonymSecret). */
  secret: string;
  createdBy?: string;
  onProgress?: (p: IngestProgress) => void;
}

interface FileRow { path: string; sha256: string | null; verdict: FileVerdict; sliceId?: string }

export interface Candidate {
  path: string;
  sha256: string;
  info: CandidateInfo;
  ids: ReturnType<typeof deidentifiedIds>;
  stored: Uint8Array;
  windowCenter?: number;
  windowWidth?: number;
  /** Original identity; written only for projects that allow re-identification (SR10). */
  origin: SliceOrigin;
}

function unexpected(): FileVerdict {
  return { status: 'REJECTED', reason: 'PARSE_ERROR', detail: 'The file could not be read as DICOM (unexpected parser failure).' };
}

/** Phase 1 for one file: a candidate slice ready to store, or the verdict that ends it. */
export function prepareFile(bytes: Uint8Array, secret: string, rules: ReturnType<typeof resolveSeriesRules>): Omit<Candidate, 'path' | 'sha256'> {
  const parsed = parseInstance(bytes);
  const info = classify(parsed.dataset, rules);
  const image = decodePixels(parsed.dataset, parsed.transferSyntax);
  const sixteen = toSixteenBit(image.samples);
  if (!sixteen) throw new FileVerdictError({ status: 'REJECTED', reason: 'UNSUPPORTED_PIXEL_FORMAT', detail: 'The pixel values do not fit in 16 bits.' });
  const clean = deidentify(secret, parsed.dataset);
  return {
    info,
    ids: deidentifiedIds(secret, parsed.dataset),
    stored: writeStoredSlice(clean, image.rows, image.cols, sixteen.pixels),
    windowCenter: num(parsed.dataset, 'WindowCenter'),
    windowWidth: num(parsed.dataset, 'WindowWidth'),
    origin: sliceOrigin(parsed.dataset),
  };
}

export async function ingest(sql: Sql, store: FileStore, opts: IngestOptions): Promise<IngestSummary> {
  const [project] = await sql<{ reads_per_slice: number; series_rules: unknown; allow_reidentification: boolean }[]>`
    select reads_per_slice, series_rules, allow_reidentification from projects where id = ${opts.projectId}`;
  if (!project) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project does not exist.');
  const rules = resolveSeriesRules(project.series_rules);
  const [batch] = await sql<{ id: string }[]>`
    insert into ingest_batches (project_id, source, created_by)
    values (${opts.projectId}, ${sourceLabel(opts.source).slice(0, 1000)}, ${opts.createdBy ?? null}) returning id`;
  const batchId = batch.id;
  const counts = { total: countSource(opts.source) ?? 0, seen: 0, done: 0, accepted: 0, skipped: 0, rejected: 0 };
  const report = (finished = false) => opts.onProgress?.({
    batchId, done: counts.done, total: Math.max(counts.total, counts.seen), accepted: counts.accepted, skipped: counts.skipped, rejected: counts.rejected, finished,
  });
  const tally = (rows: FileRow[]) => {
    for (const r of rows) {
      counts.done++;
      if (r.verdict.status === 'ACCEPTED') counts.accepted++;
      else if (r.verdict.status === 'SKIPPED') counts.skipped++;
      else counts.rejected++;
    }
  };
  const insertRows = async (tx: Sql | TxSql, rows: FileRow[]) => {
    if (!rows.length) return;
    await tx`insert into ingest_files ${sql(rows.map((r) => ({
      batch_id: batchId, path: r.path, sha256: r.sha256, status: r.verdict.status, reason: r.verdict.reason, detail: r.verdict.detail, slice_id: r.sliceId ?? null,
    })))}`;
  };

  try {
    const candidates: Candidate[] = [];
    let pending: FileRow[] = [];
    for await (const entry of readSource(opts.source)) {
      counts.seen++;
      if (!entry.bytes) {
        pending.push({ path: entry.name, sha256: null, verdict: { status: 'REJECTED', reason: 'UNREADABLE', detail: entry.error ?? 'The file could not be read.' } });
      } else {
        const sha256 = createHash('sha256').update(entry.bytes).digest('hex');
        try {
          candidates.push({ path: entry.name, sha256, ...prepareFile(entry.bytes, opts.secret, rules) });
        } catch (e) {
          pending.push({ path: entry.name, sha256, verdict: e instanceof FileVerdictError ? e.verdict : unexpected() });
        }
      }
      if (pending.length >= 200) { await insertRows(sql, pending); tally(pending); pending = []; }
      if (counts.seen % 10 === 0) report();
      // Parsing is synchronous: yield so sockets and timers keep running during a long ingest.
      if (counts.seen % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    await insertRows(sql, pending); tally(pending);
    report();

    const bySeries = new Map<string, Candidate[]>();
    for (const c of candidates) {
      const list = bySeries.get(c.ids.seriesUid) ?? [];
      list.push(c);
      bySeries.set(c.ids.seriesUid, list);
    }
    for (const files of bySeries.values()) {
      const rows = await writeSeries(sql, store, opts.projectId, project.reads_per_slice, files, insertRows, project.allow_reidentification);
      tally(rows);
      report();
    }
    await sql`update ingest_batches set status = 'DONE', finished_at = now(), total = ${counts.done},
      accepted = ${counts.accepted}, skipped = ${counts.skipped}, rejected = ${counts.rejected} where id = ${batchId}`;
  } catch (e) {
    await sql`update ingest_batches set status = 'FAILED', finished_at = now(), total = ${counts.done},
      accepted = ${counts.accepted}, skipped = ${counts.skipped}, rejected = ${counts.rejected} where id = ${batchId}`.catch(() => {});
    if (e instanceof ConcordError) throw e;
    throw new ConcordError(ErrorCode.INGEST_FAILED, 'Ingest stopped before the end; files reported so far are kept in the batch. Check the source and the database, then ingest again (already ingested slices are recognised as duplicates).');
  }
  report(true);
  return { batchId, total: counts.done, accepted: counts.accepted, skipped: counts.skipped, rejected: counts.rejected };
}

type InsertRows = (tx: Sql | TxSql, rows: FileRow[]) => Promise<void>;

/** Geometry, duplicates and one transaction for one series; returns the rows it wrote. */
async function writeSeries(sql: Sql, store: FileStore, projectId: string, readsRequired: number, files: Candidate[], insertRows: InsertRows, keepOrigins: boolean): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  // The same instance twice in one batch (a copied file): keep the first.
  const seen = new Set<string>();
  const unique: Candidate[] = [];
  for (const f of files) {
    if (seen.has(f.ids.sopUid)) rows.push({ path: f.path, sha256: f.sha256, verdict: { status: 'SKIPPED', reason: 'DUPLICATE', detail: 'The same image appears earlier in this batch.' } });
    else { seen.add(f.ids.sopUid); unique.push(f); }
  }
  const ordered = orderSeries(unique.map((f) => f.info));
  if (!ordered.ok) {
    for (const f of unique) rows.push({ path: f.path, sha256: f.sha256, verdict: { status: 'REJECTED', reason: 'INCONSISTENT_GEOMETRY', detail: ordered.detail } });
    await sql.begin((tx) => insertRows(tx, rows));
    return rows;
  }
  const keys = await Promise.all(unique.map((f) => store.put(f.stored)));
  const first = unique[0];
  await sql.begin(async (tx) => {
    const [patient] = await tx<{ id: string }[]>`
      insert into patients (project_id, pseudonym) values (${projectId}, ${first.ids.pseudonym})
      on conflict (project_id, pseudonym) do update set pseudonym = excluded.pseudonym returning id`;
    const [study] = await tx<{ id: string }[]>`
      insert into studies (project_id, patient_id, study_uid) values (${projectId}, ${patient.id}, ${first.ids.studyUid})
      on conflict (project_id, study_uid) do update set study_uid = excluded.study_uid returning id`;
    const [existing] = await tx<{ id: string }[]>`select id from series where project_id = ${projectId} and series_uid = ${first.ids.seriesUid}`;
    if (existing) {
      const known = new Map((await tx<{ id: string; sop_uid: string }[]>`
        select id, sop_uid from slices where series_id = ${existing.id}`).map((r) => [r.sop_uid, r.id]));
      for (const f of unique) {
        const sliceId = known.get(f.ids.sopUid);
        rows.push(sliceId
          ? { path: f.path, sha256: f.sha256, sliceId, verdict: { status: 'SKIPPED', reason: 'DUPLICATE', detail: 'This image was ingested before; the existing slice is kept.' } }
          : { path: f.path, sha256: f.sha256, verdict: { status: 'SKIPPED', reason: 'SERIES_ALREADY_INGESTED', detail: 'Its series was ingested by an earlier batch without this image; slices are not added to an existing series.' } });
      }
    } else {
      const info = first.info;
      const [series] = await tx<{ id: string }[]>`
        insert into series (project_id, study_id, series_uid, description, echo_time, repetition_time, normal, rows, cols)
        values (${projectId}, ${study.id}, ${first.ids.seriesUid}, ${info.description?.slice(0, 64) ?? null}, ${info.echoTime ?? null},
          ${info.repetitionTime ?? null}, ${ordered.normal}, ${info.rows}, ${info.cols}) returning id`;
      for (const [position, { index, location }] of ordered.order.entries()) {
        const f = unique[index];
        const [slice] = await tx<{ id: string }[]>`
          insert into slices (project_id, series_id, sop_uid, position, location, file_key, window_center, window_width, reads_required)
          values (${projectId}, ${series.id}, ${f.ids.sopUid}, ${position}, ${location}, ${keys[index]},
            ${f.windowCenter ?? null}, ${f.windowWidth ?? null}, ${readsRequired}) returning id`;
        rows.push({ path: f.path, sha256: f.sha256, sliceId: slice.id, verdict: { status: 'ACCEPTED', reason: 'ACCEPTED', detail: `Slice ${position + 1} of ${ordered.order.length} of an axial T2 series.` } });
      }
    }
    await insertRows(tx, rows);
    // Re-ingesting a known slice also records its origin, so a project that allowed
    // re-identification late can fill in what earlier ingests did not keep.
    if (keepOrigins) {
      const byPath = new Map(unique.map((f) => [f.path, f.origin]));
      await recordOrigins(tx, projectId, rows.flatMap((r) => {
        const origin = r.sliceId ? byPath.get(r.path) : undefined;
        return r.sliceId && origin ? [{ sliceId: r.sliceId, origin }] : [];
      }));
    }
  });
  return rows;
}

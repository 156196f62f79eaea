/**
 * Ingest: files → verdicts → de-identified slices of axial T2 series. Two phases: every file is
 * parsed and judged alone (a failure touches only its own row), then candidate slices (a classic
 * image, or one frame of an enhanced multi-frame object) are grouped by series, checked for
 * geometry and written one series per transaction.
 */
import { createHash } from 'node:crypto';
import type { Sql, TxSql, FileStore } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { loadCodecs } from './codecs.js';
import { ingestLimitsFromEnv, ingestWorkersFromEnv, type IngestLimits } from './limits.js';
import type { FileVerdict } from './outcome.js';
import type { PreparedSlice } from './prepare-file.js';
import { preparerFor } from './prepare-pool.js';
import { resolveSeriesRules } from './series-rules.js';
import { orderSeries } from './series-geometry.js';
import { countSource, readSource, sourceLabel, type IngestSource } from './sources.js';
import { recordOrigins } from '../structured-report/reidentification.js';

export type { IngestSource } from './sources.js';
export { prepareFile, type PreparedSlice, type SliceSource } from './prepare-file.js';

import type { IngestProgress } from '@concord/contracts';

export type { IngestProgress };
export interface IngestSummary {
  batchId: string;
  total: number;
  accepted: number;
  skipped: number;
  rejected: number;
}

export interface IngestOptions {
  projectId: string;
  source: IngestSource;
  /** Pseudonym secret (config.pseudonymSecret). */
  secret: string;
  createdBy?: string;
  onProgress?: (p: IngestProgress) => void;
  /** Per-file caps; CONCORD_INGEST_MAX_PIXELS / CONCORD_INGEST_MAX_FRAMES when absent. */
  limits?: IngestLimits;
  /** Decoding threads; CONCORD_INGEST_WORKERS when absent; 0 decodes on this thread. */
  workers?: number;
}

interface FileRow {
  path: string;
  sha256: string | null;
  verdict: FileVerdict;
  sliceId?: string;
  /** Set on the rows of frames: merged into one row per file after every series is written. */
  frame?: { total: number };
}

export interface Candidate extends PreparedSlice {
  path: string;
  sha256: string;
  /** Position of its file in the source: decoding finishes out of order, "first" must not. */
  seq: number;
}

/** One row per multi-frame file from the rows of its frames. */
function mergeFrameRows(rows: FileRow[]): FileRow {
  const first = rows[0];
  const total = first.frame!.total;
  const accepted = rows.filter((r) => r.verdict.status === 'ACCEPTED');
  const notPicked = total - rows.length;
  const unpicked = notPicked ? `; ${notPicked} other frames are not axial T2` : '';
  const refused = rows.find((r) => r.verdict.status !== 'ACCEPTED');
  if (accepted.length) {
    // Frames of another stack in the same object may have been refused (e.g. its geometry).
    const also = refused ? `; ${rows.length - accepted.length} axial T2 frames were not: ${refused.verdict.detail}` : '';
    return {
      path: first.path,
      sha256: first.sha256,
      sliceId: accepted[0].sliceId,
      verdict: {
        status: 'ACCEPTED',
        reason: 'ACCEPTED',
        detail: `${accepted.length} of ${total} frames became slices of axial T2 series${unpicked}${also}`.replace(/\.?$/, '.'),
      },
    };
  }
  const why = rows.find((r) => r.verdict.status === 'REJECTED') ?? first;
  return {
    path: first.path,
    sha256: first.sha256,
    sliceId: why.sliceId,
    verdict: { ...why.verdict, detail: `${rows.length} of ${total} frames are axial T2, but: ${why.verdict.detail}` },
  };
}

export async function ingest(sql: Sql, store: FileStore, opts: IngestOptions): Promise<IngestSummary> {
  const [project] = await sql<{ readsPerSlice: number; seriesRules: unknown; allowReidentification: boolean }[]>`
    select reads_per_slice, series_rules, allow_reidentification from projects where id = ${opts.projectId}`;
  if (!project) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project does not exist.');
  const rules = resolveSeriesRules(project.seriesRules);
  let limits: IngestLimits;
  let workers: number;
  try {
    limits = opts.limits ?? ingestLimitsFromEnv();
    workers = opts.workers ?? ingestWorkersFromEnv();
  } catch (e) {
    throw new ConcordError(ErrorCode.BAD_INPUT, (e as Error).message);
  }
  const preparer = preparerFor(workers);
  if (workers === 0) await loadCodecs();
  const [batch] = await sql<{ id: string }[]>`
    insert into ingest_batches (project_id, source, created_by)
    values (${opts.projectId}, ${sourceLabel(opts.source).slice(0, 1000)}, ${opts.createdBy ?? null}) returning id`;
  const batchId = batch.id;
  const counts = { total: countSource(opts.source) ?? 0, seen: 0, done: 0, accepted: 0, skipped: 0, rejected: 0 };
  const report = (finished = false) =>
    opts.onProgress?.({
      batchId,
      done: counts.done,
      total: Math.max(counts.total, counts.seen),
      accepted: counts.accepted,
      skipped: counts.skipped,
      rejected: counts.rejected,
      finished,
    });
  const tally = (rows: FileRow[]) => {
    for (const r of rows) {
      if (r.frame) continue;
      counts.done++;
      if (r.verdict.status === 'ACCEPTED') counts.accepted++;
      else if (r.verdict.status === 'SKIPPED') counts.skipped++;
      else counts.rejected++;
    }
  };
  const insertRows = async (tx: Sql | TxSql, rows: FileRow[]) => {
    if (!rows.length) return;
    await tx`insert into ingest_files ${sql(
      rows.map((r) => ({
        batchId,
        path: r.path,
        sha256: r.sha256,
        status: r.verdict.status,
        reason: r.verdict.reason,
        detail: r.verdict.detail,
        sliceId: r.sliceId ?? null,
      })),
    )}`;
  };

  try {
    const candidates: Candidate[] = [];
    let pending: FileRow[] = [];
    const inFlight = new Set<Promise<void>>();
    for await (const entry of readSource(opts.source)) {
      const seq = counts.seen++;
      if (!entry.bytes) {
        pending.push({
          path: entry.name,
          sha256: null,
          verdict: { status: 'REJECTED', reason: 'UNREADABLE', detail: entry.error ?? 'The file could not be read.' },
        });
      } else {
        const sha256 = createHash('sha256').update(entry.bytes).digest('hex');
        const job = preparer.prepare({ bytes: entry.bytes, secret: opts.secret, rules, limits }).then((result) => {
          if (result.ok) for (const slice of result.slices) candidates.push({ path: entry.name, sha256, seq, ...slice });
          else pending.push({ path: entry.name, sha256, verdict: result.verdict });
        });
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
        // Bounded read-ahead: memory holds a few files per decoding thread, not the whole batch.
        while (inFlight.size >= preparer.concurrency * 2) await Promise.race(inFlight);
      }
      if (pending.length >= 200) {
        const rows = pending;
        pending = [];
        await insertRows(sql, rows);
        tally(rows);
      }
      if (counts.seen % 10 === 0) report();
      // In-thread decoding is synchronous: yield so sockets and timers keep running during a long ingest.
      if (counts.seen % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(inFlight);
    await insertRows(sql, pending);
    tally(pending);
    report();
    candidates.sort((a, b) => a.seq - b.seq);

    const bySeries = new Map<string, Candidate[]>();
    for (const c of candidates) {
      const list = bySeries.get(c.ids.seriesUid) ?? [];
      list.push(c);
      bySeries.set(c.ids.seriesUid, list);
    }
    const frameRows = new Map<string, FileRow[]>();
    for (const files of bySeries.values()) {
      const rows = await writeSeries(sql, store, opts.projectId, project.readsPerSlice, files, insertRows, project.allowReidentification);
      tally(rows);
      for (const r of rows) if (r.frame) frameRows.set(r.path, [...(frameRows.get(r.path) ?? []), r]);
      report();
    }
    // A multi-frame file's frames may land in several series: its one row is written once all are.
    const merged = [...frameRows.values()].map(mergeFrameRows);
    await insertRows(sql, merged);
    tally(merged);
    await sql`update ingest_batches set status = 'DONE', finished_at = now(), total = ${counts.done},
      accepted = ${counts.accepted}, skipped = ${counts.skipped}, rejected = ${counts.rejected} where id = ${batchId}`;
  } catch (e) {
    await sql`update ingest_batches set status = 'FAILED', finished_at = now(), total = ${counts.done},
      accepted = ${counts.accepted}, skipped = ${counts.skipped}, rejected = ${counts.rejected} where id = ${batchId}`.catch(() => {});
    if (e instanceof ConcordError) throw e;
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      'Ingest stopped before the end; files reported so far are kept in the batch. Check the source and the database, then ingest again (already ingested slices are recognised as duplicates).',
    );
  }
  report(true);
  return { batchId, total: counts.done, accepted: counts.accepted, skipped: counts.skipped, rejected: counts.rejected };
}

function fileOf(f: Candidate): Pick<FileRow, 'path' | 'sha256' | 'frame'> {
  return { path: f.path, sha256: f.sha256, frame: f.source && { total: f.source.frames } };
}

type InsertRows = (tx: Sql | TxSql, rows: FileRow[]) => Promise<void>;

/** Geometry, duplicates and one transaction for one series; returns the rows it wrote. */
async function writeSeries(
  sql: Sql,
  store: FileStore,
  projectId: string,
  readsRequired: number,
  files: Candidate[],
  insertRows: InsertRows,
  keepOrigins: boolean,
): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  // The same instance twice in one batch (a copied file): keep the first.
  const seen = new Set<string>();
  const unique: Candidate[] = [];
  const origins: { sliceId: string; origin: Candidate['origin'] }[] = [];
  for (const f of files) {
    if (seen.has(f.ids.sopUid))
      rows.push({ ...fileOf(f), verdict: { status: 'SKIPPED', reason: 'DUPLICATE', detail: 'The same image appears earlier in this batch.' } });
    else {
      seen.add(f.ids.sopUid);
      unique.push(f);
    }
  }
  const ordered = orderSeries(unique.map((f) => f.info));
  if (!ordered.ok) {
    for (const f of unique) rows.push({ ...fileOf(f), verdict: { status: 'REJECTED', reason: 'INCONSISTENT_GEOMETRY', detail: ordered.detail } });
    await sql.begin((tx) =>
      insertRows(
        tx,
        rows.filter((r) => !r.frame),
      ),
    );
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
      const known = new Map(
        (
          await tx<{ id: string; sopUid: string }[]>`
        select id, sop_uid from slices where series_id = ${existing.id}`
        ).map((r) => [r.sopUid, r.id]),
      );
      for (const f of unique) {
        const sliceId = known.get(f.ids.sopUid);
        if (sliceId) origins.push({ sliceId, origin: f.origin });
        rows.push(
          sliceId
            ? {
                ...fileOf(f),
                sliceId,
                verdict: { status: 'SKIPPED', reason: 'DUPLICATE', detail: 'This image was ingested before; the existing slice is kept.' },
              }
            : {
                ...fileOf(f),
                verdict: {
                  status: 'SKIPPED',
                  reason: 'SERIES_ALREADY_INGESTED',
                  detail: 'Its series was ingested by an earlier batch without this image; slices are not added to an existing series.',
                },
              },
        );
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
          insert into slices (project_id, series_id, sop_uid, position, location, file_key, window_center, window_width, reads_required,
            lossy, source_sop_uid, source_frame)
          values (${projectId}, ${series.id}, ${f.ids.sopUid}, ${position}, ${location}, ${keys[index]},
            ${f.windowCenter ?? null}, ${f.windowWidth ?? null}, ${readsRequired},
            ${f.lossy}, ${f.source?.sopUid ?? null}, ${f.source?.frame ?? null}) returning id`;
        rows.push({
          ...fileOf(f),
          sliceId: slice.id,
          verdict: { status: 'ACCEPTED', reason: 'ACCEPTED', detail: `Slice ${position + 1} of ${ordered.order.length} of an axial T2 series.` },
        });
        origins.push({ sliceId: slice.id, origin: f.origin });
      }
    }
    await insertRows(
      tx,
      rows.filter((r) => !r.frame),
    );
    // Re-ingesting a known slice also records its origin, so a project that allowed
    // re-identification late can fill in what earlier ingests did not keep (IN18).
    if (keepOrigins) await recordOrigins(tx, projectId, origins);
  });
  return rows;
}

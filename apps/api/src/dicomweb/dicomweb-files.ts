import { getMultipartBoundary, MultipartParseError, parseMultipartStream } from '@remix-run/multipart-parser';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { firstInt, firstString, Tag } from './dicom-json.js';
import { parseDicomwebUrl, type DicomwebEndpoint } from './dicomweb-endpoint.js';
import { dicomwebGet, qidoSearch } from './dicomweb-http.js';

export interface DicomwebFilesOptions {
  /** Only this study (StudyInstanceUID); otherwise every study the server holds. */
  studyUid?: string;
  /** Instances retrieved so far and the total the server announced. */
  onProgress?: (done: number, total: number) => void;
}

export interface DicomwebFile {
  /** Positional, e.g. `study-1/series-2/3.dcm`: UIDs stay out of names, which end up in logs. */
  name: string;
  bytes: Uint8Array;
}

interface SeriesRef {
  studyUid: string;
  seriesUid: string;
  studyIndex: number;
  seriesIndex: number;
  /** From QIDO; used for the progress total only, so a missing count costs one more search. */
  instances: number;
}

/*
 * transfer-syntax=*: the instances as stored. Without it the standard default is Explicit VR Little
 * Endian, and a server transcodes on the way, which costs it CPU and may itself be lossy (or fail
 * for a syntax it cannot decode). Ingest decodes every syntax a PACS stores (ingest SPEC IN11).
 */
const ACCEPT_DICOM = 'multipart/related; type="application/dicom"; transfer-syntax=*';

/** Large enough for an enhanced multi-frame MR object; parts are held in memory one at a time. */
const MAX_PART_BYTES = 1024 ** 3;

const UID = /^[0-9]+(\.[0-9]+)*$/;

async function listSeries(endpoint: DicomwebEndpoint, studyUid: string | undefined): Promise<SeriesRef[]> {
  if (studyUid !== undefined && (!UID.test(studyUid) || studyUid.length > 64)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'the study UID must be a DICOM UID: digits separated by dots, at most 64 characters');
  }
  const studies = await qidoSearch(endpoint, '/studies', studyUid ? { StudyInstanceUID: studyUid } : {});
  const studyUids = studies.map((s) => firstString(s, Tag.StudyInstanceUID)).filter((u): u is string => !!u);
  if (studyUid && !studyUids.includes(studyUid)) {
    throw new ConcordError(ErrorCode.NOT_FOUND, `the DICOMweb server at ${endpoint.root} has no study with that StudyInstanceUID: check the UID`);
  }
  const out: SeriesRef[] = [];
  for (const [i, uid] of studyUids.entries()) {
    const series = await qidoSearch(endpoint, `/studies/${uid}/series`, { includefield: Tag.NumberOfSeriesRelatedInstances });
    let j = 0;
    for (const s of series) {
      const seriesUid = firstString(s, Tag.SeriesInstanceUID);
      if (!seriesUid) continue;
      let count = firstInt(s, Tag.NumberOfSeriesRelatedInstances);
      if (count === undefined) count = (await qidoSearch(endpoint, `/studies/${uid}/series/${seriesUid}/instances`)).length;
      out.push({ studyUid: uid, seriesUid, studyIndex: i + 1, seriesIndex: ++j, instances: count });
    }
  }
  return out;
}

/** WADO-RS retrieve of one series: a multipart/related stream, one application/dicom part per instance. */
async function* retrieveSeries(endpoint: DicomwebEndpoint, ref: SeriesRef): AsyncGenerator<Uint8Array> {
  const res = await dicomwebGet(endpoint, `/studies/${ref.studyUid}/series/${ref.seriesUid}`, ACCEPT_DICOM);
  const contentType = res.headers.get('content-type') ?? '';
  const boundary = /^multipart\//i.test(contentType) ? getMultipartBoundary(contentType) : null;
  const body = res.body;
  if (!boundary || !body) {
    await body?.cancel().catch(() => {});
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      `the DICOMweb server at ${endpoint.root} answered a WADO-RS retrieve with "${contentType.split(';')[0] || 'no content type'}" instead of multipart/related: check that it supports WADO-RS`,
    );
  }
  try {
    for await (const part of parseMultipartStream(body, {
      boundary,
      maxFileSize: MAX_PART_BYTES,
      maxTotalSize: Number.MAX_SAFE_INTEGER,
      maxParts: 1_000_000,
    })) {
      // Some servers append a non-DICOM part (e.g. a status document); only DICOM parts are files.
      const type = part.mediaType ?? 'application/dicom';
      if (!/^application\/dicom\b/i.test(type)) continue;
      yield part.bytes;
    }
  } catch (e) {
    if (e instanceof MultipartParseError) {
      throw new ConcordError(
        ErrorCode.INGEST_FAILED,
        `the WADO-RS answer from ${endpoint.root} was not valid multipart (${e.message}): check the server's logs`,
      );
    }
    if (e instanceof ConcordError) throw e;
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      `the connection to ${endpoint.root} broke during a WADO-RS retrieve: retry; check the network if it keeps happening`,
    );
  } finally {
    // Reached early when the consumer stops iterating: release the socket instead of draining it.
    await body.cancel().catch(() => {});
  }
}

/**
 * Every DICOM instance of a DICOMweb server (or one study), found with QIDO-RS and fetched series
 * by series with WADO-RS. Files are yielded as they arrive, so memory holds one instance at a time.
 * Which series are axial T2 is ingest's decision, not this client's: everything is yielded.
 */
export async function* dicomwebFiles(baseUrl: string, opts: DicomwebFilesOptions = {}): AsyncIterable<DicomwebFile> {
  const endpoint = parseDicomwebUrl(baseUrl);
  const series = await listSeries(endpoint, opts.studyUid);
  let total = series.reduce((n, s) => n + s.instances, 0);
  let done = 0;
  opts.onProgress?.(done, total);
  for (const ref of series) {
    let k = 0;
    for await (const bytes of retrieveSeries(endpoint, ref)) {
      k++;
      done++;
      // Instances stored between the search and the retrieve would push done past the total.
      if (done > total) total = done;
      yield { name: `study-${ref.studyIndex}/series-${ref.seriesIndex}/${k}.dcm`, bytes };
      opts.onProgress?.(done, total);
    }
  }
}

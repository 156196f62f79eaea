import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { DicomJsonDataset } from './dicom-json.js';
import type { DicomwebEndpoint } from './dicomweb-endpoint.js';

/** QIDO answers are small; a server that takes longer than this is not going to answer. */
const QIDO_TIMEOUT_MS = 30_000;
/** Page size for QIDO-RS searches; servers may cap lower, which paging tolerates. */
const QIDO_PAGE = 500;

function causeText(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((e as Error).name === 'TimeoutError') return 'no answer within 30 s';
  return cause?.message ?? (e as Error).message ?? String(e);
}

/**
 * GET one DICOMweb resource. Network failures and HTTP errors become ConcordErrors that say what to
 * check; they name the service root only, never a UID of the study being fetched.
 */
export async function dicomwebGet(endpoint: DicomwebEndpoint, path: string, accept: string, opts: { timeoutMs?: number } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(endpoint.root + path, {
      headers: { ...endpoint.headers, accept },
      signal: opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined,
    });
  } catch (e) {
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      `could not reach the DICOMweb server at ${endpoint.root} (${causeText(e)}): check the URL, that the server is running, and that this machine can reach it`,
    );
  }
  if (res.ok) return res;
  await res.body?.cancel().catch(() => {});
  if (res.status === 401 || res.status === 403) {
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      `the DICOMweb server at ${endpoint.root} refused access (HTTP ${res.status}): check the user name and password in the URL (http://user:password@host/...)`,
    );
  }
  if (res.status === 404) {
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      `the DICOMweb server at ${endpoint.root} answered 404: check that the URL ends at the DICOMweb root (for Orthanc: http://host:8042/dicom-web) and that the DICOMweb plugin is enabled`,
    );
  }
  throw new ConcordError(ErrorCode.INGEST_FAILED, `the DICOMweb server at ${endpoint.root} answered HTTP ${res.status}: check its logs`);
}

/** One page of a QIDO-RS search. 204 means no match; some servers answer that instead of []. */
async function qidoPage(endpoint: DicomwebEndpoint, path: string, params: URLSearchParams): Promise<DicomJsonDataset[]> {
  const res = await dicomwebGet(endpoint, `${path}?${params}`, 'application/dicom+json, application/json', { timeoutMs: QIDO_TIMEOUT_MS });
  if (res.status === 204) return [];
  const text = await res.text();
  if (!text.trim()) return [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      `the server at ${endpoint.root} did not answer a QIDO-RS search with DICOM JSON: check that the URL is a DICOMweb root`,
    );
  }
  if (!Array.isArray(body)) {
    throw new ConcordError(
      ErrorCode.INGEST_FAILED,
      `the server at ${endpoint.root} answered a QIDO-RS search with something other than a list: check that the URL is a DICOMweb root`,
    );
  }
  return body as DicomJsonDataset[];
}

/**
 * A whole QIDO-RS search, paged with limit/offset so a server's result cap (Orthanc's
 * LimitFindResults, dcm4chee's default page) cannot silently drop studies.
 */
export async function qidoSearch(endpoint: DicomwebEndpoint, path: string, query: Record<string, string> = {}): Promise<DicomJsonDataset[]> {
  const out: DicomJsonDataset[] = [];
  let previousFirst = '';
  for (let offset = 0; ; ) {
    const params = new URLSearchParams({ ...query, limit: String(QIDO_PAGE), offset: String(offset) });
    const page = await qidoPage(endpoint, path, params);
    // A server that ignores offset would repeat its first page forever.
    const first = JSON.stringify(page[0] ?? null);
    if (offset > 0 && first === previousFirst) return out;
    previousFirst = first;
    out.push(...page);
    // A page shorter than asked is the last; one longer means the server ignored limit and sent all.
    if (page.length !== QIDO_PAGE) return out;
    offset += page.length;
  }
}

/**
 * The two DICOMweb calls push-sr makes: a QIDO-RS search for one SOP Instance UID (is it there
 * already?) and a STOW-RS store of one instance, with the server's verdict read from its
 * response (PS3.18 10.5.3: Referenced SOP Sequence, Failed SOP Sequence, Failure Reason).
 */
import { randomBytes } from 'node:crypto';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { DicomwebEndpoint } from '../dicomweb/dicomweb-endpoint.js';

const TIMEOUT_MS = 60_000;

const Tag = {
  SOPInstanceUID: '00080018',
  ReferencedSOPInstanceUID: '00081155',
  FailureReason: '00081197',
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
  WarningReason: '00081196',
} as const;

type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

/** PS3.4 Annex B / PS3.18 failure reasons a STOW-RS server may give, in words a person can act on. */
const FAILURE_REASONS: Record<number, string> = {
  272: 'processing failure on the server',
  274: 'no such object instance',
  290: 'the server does not accept the Comprehensive SR storage class',
  292: 'refused: not authorised',
  42752: 'the server is out of resources',
  42864: 'the server refused: the study instance UID does not match the request',
  43264: 'the dataset does not match the SOP class (the server judged it invalid)',
  49152: 'the server could not understand the dataset',
  49442: 'the referenced transfer syntax is not supported',
};

/** `unconfirmed`: a success status without a readable response; the caller asks with QIDO-RS. */
export type StowVerdict = { stored: true } | { stored: 'unconfirmed' } | { stored: false; reason: string };

function unreachable(endpoint: DicomwebEndpoint, e: unknown): ConcordError {
  const cause = (e as { cause?: { code?: string } }).cause?.code ?? ((e as Error).name === 'TimeoutError' ? 'no answer within 60 s' : (e as Error).message);
  return new ConcordError(
    ErrorCode.PUSH_FAILED,
    `could not reach the DICOMweb server at ${endpoint.root} (${cause}): check the URL, that the server is running, and that this machine can reach it`,
  );
}

function httpFailure(endpoint: DicomwebEndpoint, status: number, what: string): ConcordError {
  if (status === 401 || status === 403) {
    return new ConcordError(
      ErrorCode.PUSH_FAILED,
      `the DICOMweb server at ${endpoint.root} refused access to ${what} (HTTP ${status}): check the user name and password in the URL (http://user:password@host/...)`,
    );
  }
  if (status === 404) {
    return new ConcordError(
      ErrorCode.PUSH_FAILED,
      `the DICOMweb server at ${endpoint.root} answered 404 to ${what}: check that the URL ends at the DICOMweb root (for Orthanc: http://host:8042/dicom-web)`,
    );
  }
  return new ConcordError(ErrorCode.PUSH_FAILED, `the DICOMweb server at ${endpoint.root} answered HTTP ${status} to ${what}: check its logs`);
}

/** True when the server holds an instance with this SOP Instance UID. */
export async function instanceExists(endpoint: DicomwebEndpoint, sopUid: string): Promise<boolean> {
  let res: Response;
  try {
    res = await fetch(`${endpoint.root}/instances?${new URLSearchParams({ SOPInstanceUID: sopUid })}`, {
      headers: { ...endpoint.headers, accept: 'application/dicom+json, application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw unreachable(endpoint, e);
  }
  if (res.status === 204) return false;
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw httpFailure(endpoint, res.status, 'a QIDO-RS search');
  }
  let body: unknown;
  try {
    const text = await res.text();
    body = text.trim() ? JSON.parse(text) : [];
  } catch {
    throw new ConcordError(
      ErrorCode.PUSH_FAILED,
      `the server at ${endpoint.root} did not answer a QIDO-RS search with DICOM JSON: check that the URL is a DICOMweb root`,
    );
  }
  if (!Array.isArray(body))
    throw new ConcordError(
      ErrorCode.PUSH_FAILED,
      `the server at ${endpoint.root} answered a QIDO-RS search with something other than a list: check that the URL is a DICOMweb root`,
    );
  return (body as DicomJson[]).some((ds) => ds[Tag.SOPInstanceUID]?.Value?.[0] === sopUid);
}

function reasonText(ds: DicomJson | undefined): string | undefined {
  const code = ds?.[Tag.FailureReason]?.Value?.[0];
  if (typeof code !== 'number') return undefined;
  return `${FAILURE_REASONS[code] ?? 'the server gave a failure reason Concord does not know'} (failure reason 0x${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

function sequence(body: DicomJson, tag: string): DicomJson[] {
  const v = body[tag]?.Value;
  return Array.isArray(v) ? (v as DicomJson[]) : [];
}

/**
 * STOW-RS of one Part 10 instance to {root}/studies. The study-less form keeps study UIDs (original
 * ones, in re-identified output) out of URLs, which proxies and servers log.
 */
export async function stowInstance(endpoint: DicomwebEndpoint, sopUid: string, bytes: Uint8Array): Promise<StowVerdict> {
  const boundary = `concord-${randomBytes(12).toString('hex')}`;
  const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  let res: Response;
  try {
    res = await fetch(`${endpoint.root}/studies`, {
      method: 'POST',
      headers: { ...endpoint.headers, accept: 'application/dicom+json', 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw unreachable(endpoint, e);
  }
  if (res.status === 401 || res.status === 403 || res.status === 404) {
    await res.body?.cancel().catch(() => {});
    throw httpFailure(endpoint, res.status, 'a STOW-RS store');
  }
  const text = await res.text().catch(() => '');
  let parsed: DicomJson | undefined;
  try {
    const json = text.trim() ? JSON.parse(text) : undefined;
    // Some servers wrap the response dataset in a one-element array.
    parsed = Array.isArray(json) ? json[0] : json;
  } catch {
    parsed = undefined;
  }
  const failed = parsed ? sequence(parsed, Tag.FailedSOPSequence).find((d) => d[Tag.ReferencedSOPInstanceUID]?.Value?.[0] === sopUid) : undefined;
  if (failed) return { stored: false, reason: reasonText(failed) ?? 'the server listed the instance as failed without a reason' };
  const stored = parsed ? sequence(parsed, Tag.ReferencedSOPSequence).some((d) => d[Tag.ReferencedSOPInstanceUID]?.Value?.[0] === sopUid) : false;
  if (res.ok && stored) return { stored: true };
  if (res.ok && !parsed) return { stored: 'unconfirmed' };
  if (res.ok) return { stored: false, reason: `the server answered HTTP ${res.status} without listing the instance as stored` };
  return { stored: false, reason: `the server answered HTTP ${res.status}${reasonText(parsed) ? `: ${reasonText(parsed)}` : ''}` };
}

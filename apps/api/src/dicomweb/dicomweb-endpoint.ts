import { ConcordError, ErrorCode } from '../errors/codes.js';

/**
 * A DICOMweb service root (QIDO-RS and WADO-RS share it), e.g. http://orthanc:8042/dicom-web.
 * Credentials in the URL are moved to an Authorization header: fetch refuses URLs that carry them,
 * and they must never reach a label, a log line or an error message.
 */
export interface DicomwebEndpoint {
  /** Root without credentials, query or trailing slash: safe to show and to store. */
  readonly root: string;
  readonly headers: Readonly<Record<string, string>>;
}

export function parseDicomwebUrl(baseUrl: string): DicomwebEndpoint {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'the DICOMweb URL is not a valid URL: give the service root, e.g. http://orthanc:8042/dicom-web');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConcordError(ErrorCode.BAD_INPUT, `the DICOMweb URL must start with http:// or https:// (got ${url.protocol}//)`);
  }
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return { root: url.toString().replace(/\/+$/, ''), headers };
}

/** The URL a person can safely see: no credentials, query or fragment. */
export function displayUrl(baseUrl: string): string {
  return parseDicomwebUrl(baseUrl).root;
}

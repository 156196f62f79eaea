import type { IncomingMessage, ServerResponse } from 'node:http';
import contentType from 'content-type';
import proxyaddr from 'proxy-addr';
import { ErrorCode } from '../errors/codes.js';
import { endWithError, MALFORMED } from './http-errors.js';

/** What a /graphql request is answered from, whichever way it arrived (Express or the fast path). */
export interface GraphqlCall {
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  /** The client's address, through the proxies `trust proxy` names (Express' req.ip). */
  ip: string;
  /** Whether the request came over HTTPS, as a trusted proxy's X-Forwarded-Proto says (Express' req.secure). */
  secure: boolean;
}

export interface FastPathOptions {
  /** Express' compiled `trust proxy` (app.get('trust proxy fn')): the same proxies name the client on both paths. */
  trust: (address: string, hop: number) => boolean;
  /** express.json's limit, bytes: a larger body goes the Express way and gets its 413. */
  limitBytes: number;
  answer(call: GraphqlCall): Promise<void>;
  /** Before reading the body: CORS headers, latency timer. */
  begin(req: IncomingMessage, res: ServerResponse): void;
  onError(e: unknown, res: ServerResponse): void;
}

/**
 * POST /graphql with a plain JSON body, answered without Express [HP4]. Under bench/labeling the
 * Express stack (its request and response prototypes, the router's layers, body-parser and its
 * helpers) cost about a tenth of the API's CPU per label, for a request that uses none of what
 * it offers. Anything unusual (another method or path, a compressed, chunked, over-limit or
 * non-UTF-8 body, another media type) returns false and goes the Express way, which answers it
 * exactly as before; a body this path reads is held to express.json's rules (strict: an object
 * or an array; empty is `{}`), and breaking them gets the same 400 BAD_INPUT.
 */
export function graphqlFastPath(o: FastPathOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const length = takesFastPath(req, o.limitBytes);
    if (length === undefined) return false;
    o.begin(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = parseStrictJson(Buffer.concat(chunks, length).toString('utf8'));
      if (body === MALFORMED_BODY) return endWithError(res, ErrorCode.BAD_INPUT, MALFORMED);
      o.answer({ req, res, body, ip: clientIp(req, o.trust), secure: isSecure(req, o.trust) }).catch((e) => o.onError(e, res));
    });
    // A client gone mid-body: nothing to answer (raw-body's 'aborted' error reached no one either).
    req.on('error', () => res.destroy());
    return true;
  };
}

/** The body's declared length when the request is one the fast path serves, else undefined. */
function takesFastPath(req: IncomingMessage, limitBytes: number): number | undefined {
  if (req.method !== 'POST') return undefined;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if ((q < 0 ? url : url.slice(0, q)) !== '/graphql') return undefined;
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined) return undefined;
  const encoding = h['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  const declared = h['content-length'];
  if (declared === undefined || !/^\d{1,9}$/.test(declared)) return undefined;
  const length = Number(declared);
  if (length > limitBytes) return undefined;
  const type = h['content-type'];
  if (type === undefined) return undefined;
  try {
    const parsed = contentType.parse(type);
    if (parsed.type !== 'application/json') return undefined;
    const charset = parsed.parameters.charset?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8') return undefined;
  } catch {
    return undefined;
  }
  return length;
}

const MALFORMED_BODY = Symbol('malformed');

/** express.json's defaults: an empty body is `{}`; otherwise an object or an array, in JSON. */
function parseStrictJson(text: string): unknown {
  if (text.length === 0) return {};
  // JSON's whitespace (space, tab, LF, CR) before the first character, as body-parser skips it.
  const first = /^[ \t\n\r]*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') return MALFORMED_BODY;
  try {
    return JSON.parse(text);
  } catch {
    return MALFORMED_BODY;
  }
}

function clientIp(req: IncomingMessage, trust: FastPathOptions['trust']): string {
  return proxyaddr(req, trust) ?? 'unknown';
}

/** Express 5's req.protocol === 'https': the socket's own, or a trusted proxy's first X-Forwarded-Proto. */
function isSecure(req: IncomingMessage, trust: FastPathOptions['trust']): boolean {
  const own = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  if (!trust(req.socket.remoteAddress ?? '', 0)) return own === 'https';
  const header = req.headers['x-forwarded-proto'];
  const value = typeof header === 'string' && header ? header : own;
  const comma = value.indexOf(',');
  return (comma < 0 ? value : value.slice(0, comma)).trim() === 'https';
}

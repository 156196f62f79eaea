import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response, NextFunction } from 'express';
import { tokenFromCookieHeader } from './cookies.js';
import { ErrorCode } from '../errors/codes.js';
import { sendError } from './http-errors.js';

/**
 * Cross-site request checks for the routes a browser's cookie would otherwise open to any page
 * (docs/SECURITY.md, "Cross-site requests"). GraphQL has Apollo's own CSRF prevention; these
 * cover the REST routes and the Socket.io handshake.
 */

/** The header the web app sends on its own fetches. A cross-site page cannot set it without a CORS preflight, which only allowed origins pass. */
export const REQUEST_HEADER = 'x-concord-request';

export type CrossSiteVerdict = { ok: true } | { ok: false; reason: string };

/**
 * A REST request passes when nothing a browser adds says it came from another site and, if it
 * carries the session cookie (the credential a browser attaches on its own), one of these shows
 * it did not come from elsewhere: an allowed Origin; Sec-Fetch-Site same-origin or none (set by
 * the browser itself: the web app's own pages, links and typed URLs); our custom header; or a
 * bearer token. Without the cookie there is no session to ride on: the route's own
 * authentication answers.
 */
export function checkRestRequest(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): CrossSiteVerdict {
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  if (origin !== undefined && !allowedOrigins.includes(origin)) {
    return { ok: false, reason: `Requests from ${origin.slice(0, 100)} are not allowed. Use the Concord web app.` };
  }
  if (origin !== undefined) return { ok: true };
  if (site === 'same-origin' || site === 'none') return { ok: true };
  if (site !== undefined) return { ok: false, reason: 'Cross-site requests are not allowed. Use the Concord web app.' };
  if (!hasSessionCookie(headers.cookie)) return { ok: true };
  if (headers[REQUEST_HEADER] !== undefined) return { ok: true };
  if (/^Bearer\s/i.test(headers.authorization ?? '')) return { ok: true };
  return { ok: false, reason: `Send the ${REQUEST_HEADER} header or a bearer token with requests from scripts.` };
}

/**
 * A session cookie a browser could ride on. One that does not decode is no session (ER1), so the
 * route's own authentication answers it (401), as it answers no cookie at all.
 */
function hasSessionCookie(header: string | undefined): boolean {
  return tokenFromCookieHeader(header) !== undefined;
}

export function crossSiteGuard(allowedOrigins: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const verdict = checkRestRequest(req.headers, allowedOrigins);
    if (verdict.ok) return next();
    sendError(res, ErrorCode.FORBIDDEN, verdict.reason);
  };
}

/**
 * Socket.io handshakes (`allowRequest`): browsers always send Origin on WebSocket upgrades and on
 * cross-origin polling, so a foreign Origin is refused. No Origin at all is a non-browser client
 * (the trainer, tests, scripts), which must still authenticate with a session.
 */
export function socketOriginAllowed(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): boolean {
  const origin = headers.origin;
  return origin === undefined || allowedOrigins.includes(origin);
}

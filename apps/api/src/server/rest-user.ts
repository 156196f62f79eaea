import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { AppServices } from './context.js';
import type { AuthUser } from '../auth/sessions.queries.js';
import { tokenFromRequest } from './cookies.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';

declare global {
  // Express merges this into its Request: routes behind `signedIn` read their caller from it.
  namespace Express {
    interface Request {
      /** The signed-in caller; set only by `signedIn`, read through `restUser`. */
      user?: AuthUser;
    }
  }
}

/** The session a request carries (cookie or bearer token), if any: one lookup for REST and GraphQL. */
export async function sessionOf(
  services: Pick<AppServices, 'sessions'>,
  req: Pick<IncomingMessage, 'headers'>,
): Promise<{ token: string | undefined; user: AuthUser | null }> {
  const token = tokenFromRequest(req.headers);
  return { token, user: token ? await services.sessions.userForToken(token) : null };
}

/**
 * The one session check of the REST routes: the session (cookie or bearer token) becomes
 * `req.user`, or the request ends as 401 UNAUTHENTICATED through the JSON error handler.
 * Mounted after the cross-site guard, so a foreign origin is refused before any lookup [XS1].
 */
export function signedIn(services: Pick<AppServices, 'sessions'>): RequestHandler {
  return async (req, _res, next) => {
    const { user } = await sessionOf(services, req);
    if (!user) throw new ConcordError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
    req.user = user;
    next();
  };
}

/** The caller of a route mounted behind `signedIn`. */
export function restUser(req: Request): AuthUser {
  // Not a client's fault: a route wired without the middleware. It reaches users as INTERNAL.
  if (!req.user) throw new Error(`${req.method} ${req.baseUrl}${req.route?.path ?? ''} is mounted without signedIn`);
  return req.user;
}

import type { Request } from 'express';
import type { AppServices } from './context.js';
import type { AuthUser } from '../auth/sessions.queries.js';
import { tokenFromRequest } from './cookies.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';

/** The signed-in caller of a REST route, or UNAUTHENTICATED for the JSON error handler. */
export async function requireRestUser(services: Pick<AppServices, 'sessions'>, req: Request): Promise<AuthUser> {
  const token = tokenFromRequest(req.headers);
  const user = token ? await services.sessions.userForToken(token) : null;
  if (!user) throw new ConcordError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  return user;
}

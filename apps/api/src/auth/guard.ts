import { isUuid } from '@concord/contracts';
import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode, isConcordError } from '../errors/codes.js';
import type { Role } from '../realtime/roles.js';
import type { AuthUser } from './sessions.queries.js';

export function requireUser(user: AuthUser | null): AuthUser {
  if (!user) throw new ConcordError(ErrorCode.UNAUTHENTICATED, 'Sign in first.');
  return user;
}

export function hasAnyRole(user: AuthUser, roles: readonly Role[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}

export function requireRole(user: AuthUser | null, roles: readonly Role[]): AuthUser {
  const u = requireUser(user);
  if (!hasAnyRole(u, roles)) {
    throw new ConcordError(ErrorCode.FORBIDDEN, `This needs one of the roles ${roles.join(', ')}.`);
  }
  return u;
}

// The id contract is shared with the trainer's CLI; the API's modules keep importing it from here.
export { isUuid };

/**
 * A role in a project: the user is a member of the project (admins reach every project) and
 * holds one of `roles`. Membership is checked before the role [EX1]: to anyone outside a
 * project, an unknown id and that project's real id give the same PROJECT_NOT_FOUND, so probing
 * ids reveals nothing; FORBIDDEN is only ever said to members, who know the project exists.
 */
export async function requireProjectRole(sql: Sql, user: AuthUser | null, projectId: string, roles: readonly Role[]): Promise<AuthUser> {
  const u = requireUser(user);
  // Built only when thrown: an Error captures a stack, and this guard runs on every request.
  const notFound = () => new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'No such project, or you are not a member of it.');
  if (!isUuid(projectId)) throw notFound();
  const [reach] = u.roles.includes('ADMIN')
    ? await sql`select 1 from projects where id = ${projectId}`
    : await sql`select 1 from project_members where project_id = ${projectId} and user_id = ${u.id}`;
  if (!reach) throw notFound();
  return requireRole(u, roles);
}

/**
 * A row of some project, for a caller who leads that project [EX1]. A malformed id, an unknown id
 * and another project's row all give the same NOT_FOUND (membership is checked before the role),
 * so ids cannot be probed; only a member hears FORBIDDEN.
 */
export async function requireLeadOfRow<T extends { projectId: string }>(
  sql: Sql,
  user: AuthUser | null,
  id: string,
  byId: (sql: Sql, id: string) => Promise<T | undefined>,
  notFoundMessage: string,
): Promise<T> {
  const notFound = () => new ConcordError(ErrorCode.NOT_FOUND, notFoundMessage);
  requireUser(user);
  const row = isUuid(id) ? await byId(sql, id) : undefined;
  if (!row) throw notFound();
  try {
    await requireProjectRole(sql, user, row.projectId, ['LEAD', 'ADMIN']);
  } catch (e) {
    throw isConcordError(e) && e.code === ErrorCode.PROJECT_NOT_FOUND ? notFound() : e;
  }
  return row;
}

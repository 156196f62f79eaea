import type { Sql } from '../db/sql.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(x: string): boolean {
  return UUID.test(x);
}

/**
 * A role in a project: the user holds one of `roles` and is a member of the project (admins
 * reach every project). Unknown and foreign projects give the same answer, so probing ids
 * reveals nothing.
 */
export async function requireProjectRole(sql: Sql, user: AuthUser | null, projectId: string, roles: readonly Role[]): Promise<AuthUser> {
  const u = requireRole(user, roles);
  // Built only when thrown: an Error captures a stack, and this guard runs on every request.
  const notFound = () => new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'No such project, or you are not a member of it.');
  if (!isUuid(projectId)) throw notFound();
  if (u.roles.includes('ADMIN')) {
    const [p] = await sql`select 1 from projects where id = ${projectId}`;
    if (!p) throw notFound();
    return u;
  }
  const [m] = await sql`select 1 from project_members where project_id = ${projectId} and user_id = ${u.id}`;
  if (!m) throw notFound();
  return u;
}

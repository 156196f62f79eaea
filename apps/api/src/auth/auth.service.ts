import type { Sql } from '../db/sql.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { isLoginRateLimited, recordLoginAttempt } from './rate-limit.js';
import { createSession, userForToken, type AuthUser } from './sessions.queries.js';

export async function login(
  sql: Sql,
  input: { username: string; password: string; ip: string; ttlHours: number },
): Promise<{ token: string; user: AuthUser }> {
  if (await isLoginRateLimited(sql, input.username, input.ip)) {
    throw new ConcordError(ErrorCode.RATE_LIMITED, 'Too many failed logins. Wait 15 minutes or ask an admin to reset your password.');
  }
  const [row] = await sql<{ id: string; password_hash: string; disabled: boolean }[]>`
    select id, password_hash, disabled from users where lower(username) = lower(${input.username})`;
  const ok = await verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), input.password);
  if (!row || !ok || row.disabled) {
    await recordLoginAttempt(sql, input.username, input.ip, false);
    throw new ConcordError(ErrorCode.UNAUTHENTICATED, 'Wrong username or password.');
  }
  await recordLoginAttempt(sql, input.username, input.ip, true);
  const { token } = await createSession(sql, row.id, input.ttlHours);
  const user = await userForToken(sql, token);
  if (!user) throw new ConcordError(ErrorCode.INTERNAL, 'Session could not be created.');
  return { token, user };
}

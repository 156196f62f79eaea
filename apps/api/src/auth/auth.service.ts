import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { claimLoginAttempt, loginSucceeded, type LoginRefusal } from './rate-limit.js';
import { createSession, userForToken, type AuthUser } from './sessions.queries.js';

export async function login(sql: Sql, input: { username: string; password: string; ip: string; ttlHours: number }): Promise<{ token: string; user: AuthUser }> {
  const claim = await claimLoginAttempt(sql, input.username, input.ip);
  if ('refusal' in claim) throw new ConcordError(ErrorCode.RATE_LIMITED, refusalMessage(claim.refusal));
  const [row] = await sql<{ id: string; passwordHash: string; disabled: boolean }[]>`
    select id, password_hash, disabled from users where lower(username) = lower(${input.username})`;
  const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!row || !ok || row.disabled) {
    throw new ConcordError(ErrorCode.UNAUTHENTICATED, 'Wrong username or password.');
  }
  await loginSucceeded(sql, claim.attemptId);
  const { token } = await createSession(sql, row.id, input.ttlHours);
  const user = await userForToken(sql, token);
  if (!user) throw new ConcordError(ErrorCode.INTERNAL, 'Session could not be created.');
  return { token, user };
}

function refusalMessage(r: LoginRefusal): string {
  const wait = r.retryAfterSeconds >= 120 ? `${Math.ceil(r.retryAfterSeconds / 60)} minutes` : `${r.retryAfterSeconds} seconds`;
  return r.scope === 'ip'
    ? `Too many failed logins from your network address. Try again in ${wait}.`
    : `Too many failed logins for this account. Try again in ${wait}, or ask an admin to unlock it.`;
}

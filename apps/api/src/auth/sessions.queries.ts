import { createHash, randomBytes } from 'node:crypto';
import type { Sql, TxSql } from '@concord/db';
import type { Role } from '../realtime/roles.js';

export interface AuthUser {
  id: string;
  username: string;
  roles: Role[];
}

/**
 * NOTIFY channel for "forget what you cached about this session or user". Sent in the same
 * transaction as the change, so every API node hears of it exactly when it becomes true.
 */
export const AUTH_CHANNEL = 'concord_auth';
export type AuthChange = { tokenHash: string } | { userId: string };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(sql: Sql, userId: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const [row] = await sql<{ expiresAt: Date }[]>`
    insert into sessions (token_hash, user_id, expires_at)
    values (${hashToken(token)}, ${userId}, now() + make_interval(hours => ${ttlHours}))
    returning expires_at`;
  return { token, expiresAt: row.expiresAt };
}

/** The signed-in user behind a token hash, and when the session ends. */
export async function sessionByHash(sql: Sql, tokenHash: string): Promise<{ user: AuthUser; expiresAt: Date } | null> {
  const rows = await sql<{ id: string; username: string; roles: Role[]; expiresAt: Date }[]>`
    select u.id, u.username, s.expires_at,
           coalesce(array_agg(r.role order by r.role) filter (where r.role is not null), '{}') as roles
      from sessions s
      join users u on u.id = s.user_id and not u.disabled
      left join user_roles r on r.user_id = u.id
     where s.token_hash = ${tokenHash} and s.revoked_at is null and s.expires_at > now()
     group by u.id, s.expires_at`;
  const r = rows[0];
  return r ? { user: { id: r.id, username: r.username, roles: r.roles }, expiresAt: r.expiresAt } : null;
}

/** Straight from the database; request paths go through SessionCache instead. */
export async function userForToken(sql: Sql, token: string): Promise<AuthUser | null> {
  return (await sessionByHash(sql, hashToken(token)))?.user ?? null;
}

export async function revokeSession(sql: Sql, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  // One statement, so the revocation and its notification commit together.
  await sql`
    with revoked as (update sessions set revoked_at = now() where token_hash = ${tokenHash} and revoked_at is null returning 1)
    select pg_notify(${AUTH_CHANNEL}, ${JSON.stringify({ tokenHash } satisfies AuthChange)})`;
}

export async function notifyAuthChange(tx: Sql | TxSql, change: AuthChange): Promise<void> {
  await tx`select pg_notify(${AUTH_CHANNEL}, ${JSON.stringify(change)})`;
}

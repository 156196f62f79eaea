import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/sql.js';
import type { Role } from '../realtime/roles.js';

export interface AuthUser { id: string; username: string; roles: Role[] }

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(sql: Sql, userId: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const [row] = await sql<{ expires_at: Date }[]>`
    insert into sessions (token_hash, user_id, expires_at)
    values (${hashToken(token)}, ${userId}, now() + make_interval(hours => ${ttlHours}))
    returning expires_at`;
  return { token, expiresAt: row.expires_at };
}

export async function userForToken(sql: Sql, token: string): Promise<AuthUser | null> {
  const rows = await sql<{ id: string; username: string; roles: Role[] }[]>`
    select u.id, u.username,
           coalesce(array_agg(r.role order by r.role) filter (where r.role is not null), '{}') as roles
      from sessions s
      join users u on u.id = s.user_id and not u.disabled
      left join user_roles r on r.user_id = u.id
     where s.token_hash = ${hashToken(token)} and s.revoked_at is null and s.expires_at > now()
     group by u.id`;
  return rows[0] ?? null;
}

export async function revokeSession(sql: Sql, token: string): Promise<void> {
  await sql`update sessions set revoked_at = now() where token_hash = ${hashToken(token)} and revoked_at is null`;
}

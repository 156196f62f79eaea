import type { Sql, TxSql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { hashPassword } from '../auth/passwords.js';
import { notifyAuthChange } from '../auth/sessions.queries.js';
import type { Role } from '../realtime/roles.js';

export interface UserRow {
  id: string;
  username: string;
  roles: Role[];
}

export async function createUser(
  sql: Sql,
  input: { username: string; password: string; roles: Role[]; projectIds?: string[]; actorId?: string | null },
): Promise<UserRow> {
  if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.username)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'Usernames are 2–64 characters: letters, digits, _ . @ -.');
  }
  if (input.password.length < 8) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'Passwords need at least 8 characters.');
  }
  if (input.roles.length === 0) throw new ConcordError(ErrorCode.BAD_INPUT, 'Give the user at least one role.');
  const hash = await hashPassword(input.password);
  return sql.begin(async (tx) => {
    const [taken] = await tx`select 1 from users where lower(username) = lower(${input.username})`;
    if (taken) throw new ConcordError(ErrorCode.USERNAME_TAKEN, `The username "${input.username}" is taken.`);
    const [u] = await tx<{ id: string }[]>`
      insert into users (username, password_hash) values (${input.username}, ${hash}) returning id`;
    await writeRoles(tx, u.id, input.roles, input.actorId ?? null);
    for (const p of input.projectIds ?? []) {
      await tx`insert into project_members (project_id, user_id) values (${p}, ${u.id}) on conflict do nothing`;
    }
    return { id: u.id, username: input.username, roles: [...input.roles].sort() };
  });
}

/** Replaces a user's roles; each grant and revoke goes to the append-only role_audit. */
export async function writeRoles(tx: TxSql, userId: string, roles: Role[], actorId: string | null): Promise<void> {
  const current = (await tx<{ role: Role }[]>`select role from user_roles where user_id = ${userId} for update`).map((r) => r.role);
  const grant = roles.filter((r) => !current.includes(r));
  const revoke = current.filter((r) => !roles.includes(r));
  for (const role of grant) {
    await tx`insert into user_roles (user_id, role) values (${userId}, ${role})`;
    await tx`insert into role_audit (user_id, role, action, actor_id) values (${userId}, ${role}, 'GRANT', ${actorId})`;
  }
  for (const role of revoke) {
    await tx`delete from user_roles where user_id = ${userId} and role = ${role}`;
    await tx`insert into role_audit (user_id, role, action, actor_id) values (${userId}, ${role}, 'REVOKE', ${actorId})`;
  }
}

export async function setUserRoles(sql: Sql, userId: string, roles: Role[], actorId: string | null): Promise<UserRow> {
  await sql.begin(async (tx) => {
    const [u] = await tx`select 1 from users where id = ${userId}`;
    if (!u) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such user.');
    await writeRoles(tx, userId, roles, actorId);
    // Every API node drops this user's cached sessions when the change commits.
    await notifyAuthChange(tx, { userId });
  });
  return (await getUser(sql, userId))!;
}

export async function getUser(sql: Sql, userId: string): Promise<UserRow | null> {
  const [row] = await sql<UserRow[]>`
    select u.id, u.username,
           coalesce(array_agg(r.role order by r.role) filter (where r.role is not null), '{}') as roles
      from users u left join user_roles r on r.user_id = u.id
     where u.id = ${userId} group by u.id`;
  return row ?? null;
}

export async function listUsers(sql: Sql): Promise<UserRow[]> {
  return sql<UserRow[]>`
    select u.id, u.username,
           coalesce(array_agg(r.role order by r.role) filter (where r.role is not null), '{}') as roles
      from users u left join user_roles r on r.user_id = u.id
     group by u.id order by u.username`;
}

export async function addProjectMember(sql: Sql, projectId: string, userId: string): Promise<void> {
  await sql`insert into project_members (project_id, user_id) values (${projectId}, ${userId}) on conflict do nothing`;
}

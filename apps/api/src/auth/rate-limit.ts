import type { Sql } from '../db/sql.js';

// Failed logins per username and per client address within the window. Kept in PostgreSQL so
// the limit holds across API nodes and restarts.
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_IP = 30;

export async function isLoginRateLimited(sql: Sql, username: string, ip: string): Promise<boolean> {
  const [row] = await sql<{ by_user: number; by_ip: number }[]>`
    select
      count(*) filter (where lower(username) = lower(${username}))::int as by_user,
      count(*) filter (where ip = ${ip})::int as by_ip
    from login_attempts
    where not success and created_at > now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})
      and (lower(username) = lower(${username}) or ip = ${ip})`;
  return row.by_user >= MAX_FAILURES_PER_USERNAME || row.by_ip >= MAX_FAILURES_PER_IP;
}

export async function recordLoginAttempt(sql: Sql, username: string, ip: string, success: boolean): Promise<void> {
  await sql`insert into login_attempts (username, ip, success) values (${username.slice(0, 100)}, ${ip}, ${success})`;
}

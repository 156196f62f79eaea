import type { Sql } from '@concord/db';
import { addressKey } from './address-key.js';

/**
 * Login throttling (docs/SECURITY.md, "Client addresses and login limits"). Kept in PostgreSQL
 * so it holds across API nodes and restarts. Three limits, checked before any password:
 *
 * - per client address: at most MAX_FAILURES_PER_IP failures in IP_WINDOW_MINUTES, whatever the
 *   usernames (password spraying);
 * - per account and address: after PAIR.free failures the next try waits a delay that doubles
 *   with every further failure, up to PAIR.maxSeconds (guessing one password);
 * - per account from anywhere: the same, starting later and capped at ACCOUNT.maxSeconds, so
 *   someone failing on purpose from their own address delays the owner elsewhere by at most a
 *   minute per try instead of locking the account.
 *
 * Failures count since the account's last successful login or admin unlock, within a day.
 */
export const IP_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_IP = 30;
export const PAIR = { free: 3, maxSeconds: 15 * 60 } as const;
export const ACCOUNT = { free: 10, maxSeconds: 60 } as const;
export const FAILURES_FORGOTTEN_AFTER_HOURS = 24;
/** audit_log.action of an admin's unlock; it also marks where failures start counting again. */
export const UNLOCK_ACTION = 'LOGIN_UNLOCK';

/** Seconds to wait after `failures` failures under a limit that lets `free` through. */
export function delaySeconds(failures: number, limit: { free: number; maxSeconds: number }): number {
  if (failures < limit.free) return 0;
  return Math.min(limit.maxSeconds, 2 ** Math.min(30, failures - limit.free));
}

export type LoginRefusal = { scope: 'ip' | 'account'; retryAfterSeconds: number };

/**
 * Checks the limits and, when the try may go ahead, records it as a failure before any password
 * is checked (`loginSucceeded` turns it into a success). Check and record happen under advisory
 * locks on the address and the account, so tries sent in parallel are counted one after the
 * other instead of all passing the same check. The locks are held for milliseconds, not while
 * the password hash is computed.
 */
export async function claimLoginAttempt(sql: Sql, username: string, clientAddress: string): Promise<{ refusal: LoginRefusal } | { attemptId: string }> {
  const key = usernameKey(username);
  const ip = addressKey(clientAddress);
  return sql.begin(async (tx) => {
    // Always address first, then account: one order, so two tries cannot wait on each other.
    await tx`select pg_advisory_xact_lock(hashtextextended(${'concord-login-ip:' + ip}, 0))`;
    await tx`select pg_advisory_xact_lock(hashtextextended(${'concord-login-user:' + key}, 0))`;
    const refusal = await loginRefusal(tx as unknown as Sql, key, ip);
    if (refusal) return { refusal };
    const [row] = await tx<
      { id: string }[]
    >`insert into login_attempts (username, ip, success, created_at) values (${key}, ${ip}, false, clock_timestamp()) returning id::text`;
    return { attemptId: row.id };
  });
}

export async function loginSucceeded(sql: Sql, attemptId: string): Promise<void> {
  await sql`update login_attempts set success = true where id = ${attemptId}`;
}

// clock_timestamp(), not now(): now() is when the transaction began, before it waited for the
// locks, and the tries it waited for may be younger than that.
async function loginRefusal(sql: Sql, key: string, ip: string): Promise<LoginRefusal | null> {
  const [byIp] = await sql<{ n: number; wait: number }[]>`
    select count(*)::int as n,
           coalesce(extract(epoch from min(created_at) + make_interval(mins => ${IP_WINDOW_MINUTES}) - clock_timestamp()), 0)::float8 as wait
    from (select created_at from login_attempts
          where ip = ${ip} and not success and created_at > clock_timestamp() - make_interval(mins => ${IP_WINDOW_MINUTES})
          order by created_at desc limit ${MAX_FAILURES_PER_IP}) recent`;
  if (byIp.n >= MAX_FAILURES_PER_IP) return { scope: 'ip', retryAfterSeconds: Math.max(1, Math.ceil(byIp.wait)) };

  const [a] = await sql<{ account: number; pair: number; accountWait: number; pairWait: number }[]>`
    with since as (
      select greatest(
        clock_timestamp() - make_interval(hours => ${FAILURES_FORGOTTEN_AFTER_HOURS}),
        (select max(created_at) from login_attempts where username = ${key} and success),
        (select max(l.created_at) from audit_log l join users u on l.entity_id = u.id::text
          where l.action = ${UNLOCK_ACTION} and lower(u.username) = ${key})
      ) as t
    ), failed as (
      select f.ip, f.created_at from login_attempts f, since
      where f.username = ${key} and not f.success and f.created_at > since.t
    )
    select count(*)::int as account,
           count(*) filter (where ip = ${ip})::int as pair,
           coalesce(extract(epoch from max(created_at) - clock_timestamp()), 0)::float8 as account_wait,
           coalesce(extract(epoch from max(created_at) filter (where ip = ${ip}) - clock_timestamp()), 0)::float8 as pair_wait
    from failed`;
  // *_wait is minus the age of the last failure; adding the delay gives the time still to wait.
  const pairWait = a.pairWait + delaySeconds(a.pair, PAIR);
  const accountWait = a.accountWait + delaySeconds(a.account, ACCOUNT);
  const wait = Math.max(a.pair > 0 ? pairWait : 0, a.account > 0 ? accountWait : 0);
  return wait > 0 ? { scope: 'account', retryAfterSeconds: Math.max(1, Math.ceil(wait)) } : null;
}

/** Usernames compare case-insensitively; stored lower-case so the (username, created_at) index serves. */
function usernameKey(username: string): string {
  return username.slice(0, 100).toLowerCase();
}

/**
 * An admin's unlock: failures before it stop counting for the account (every address). The
 * audit row is the marker itself, so an unlock is always audited. False when no such user.
 */
export async function unlockLogin(sql: Sql, userId: string, actorId: string): Promise<boolean> {
  const rows = await sql`
    insert into audit_log (actor_id, action, entity_id)
    select ${actorId}, ${UNLOCK_ACTION}, id::text from users where id = ${userId}
    returning id`;
  return rows.length > 0;
}

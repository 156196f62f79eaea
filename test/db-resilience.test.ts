/**
 * The database connection dies under a running transaction (server restart, terminated backend,
 * network): the caller gets a coded rejection and the process and its pool live on. postgres.js
 * 3.4.9 crashes the process if a dead reserved connection is written to or released (sql.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from './helpers/db.js';
import { eventually } from './helpers/eventually.js';
import { createSessionClient, createSql, isConnectionLost } from '@concord/db';

const { url, onBeforeDrop } = await freshDatabase('dbresilience');
const pool = createSql(url, { max: 2, appName: 'concord-resilience' });
const killer = createSql(url, { max: 1, appName: 'concord-killer' });
onBeforeDrop(async () => {
  await pool.end({ timeout: 5 });
  await killer.end({ timeout: 5 });
});

// Only for windows that are the thing under test [TW1]: a crash that would come after them.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('[DB1] a transaction whose backend is terminated mid-statement rejects as connection lost; the pool recovers and the process lives', async () => {
  for (let round = 0; round < 3; round++) {
    let pid = 0;
    // Settled into a value at once: the rejection arrives while this test awaits the kill.
    const outcome = pool
      .begin(async (tx) => {
        [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await tx`select pg_sleep(5)`;
      })
      .then(
        () => null,
        (e: Error) => e,
      );
    // Mid-statement: the backend is inside pg_sleep when it is terminated.
    await eventually(
      async () => pid && (await killer`select 1 from pg_stat_activity where pid = ${pid} and state = 'active' and query like '%pg_sleep%'`).length > 0,
      { timeoutMs: 5000, intervalMs: 20, what: 'the transaction to be inside pg_sleep' },
    );
    await killer`select pg_terminate_backend(${pid})`;
    const error = await outcome;
    assert.ok(error && isConnectionLost(error), `the caller learns the connection was lost (${String(error)})`);
    await sleep(200); // the dead socket's close is processed: the crash came after this
    // The next statement may still meet the dead session's farewell (57P01): one such rejection,
    // coded as connection loss, then the pool has reconnected.
    let lostAgain = 0;
    for (let ok = 0; ok < 4; ) {
      try {
        assert.equal((await pool<{ i: number }[]>`select ${ok}::int as i`)[0].i, ok);
        ok++;
      } catch (e) {
        assert.ok(isConnectionLost(e) && ++lostAgain <= 1, `at most one more statement sees the lost connection (${String(e)})`);
      }
    }
    assert.equal(await pool.begin(async (tx) => (await tx<{ x: number }[]>`select 42::int as x`)[0].x), 42, 'transactions work again');
  }
});

test('[DB1] a session client whose backend is terminated reconnects on its next statement, without its session state', async () => {
  const session = createSessionClient(pool, 'concord-session-test');
  try {
    const [{ pid, locked }] = await session<{ pid: number; locked: boolean }[]>`select pg_backend_pid() as pid, pg_try_advisory_lock(4242) as locked`;
    assert.equal(locked, true);
    await killer`select pg_terminate_backend(${pid})`;
    // The session is found dead by a later statement, not raced against the kill: the client must
    // have received the termination, which postgres.js reports through no event this test can await.
    await eventually(async () => (await killer`select 1 from pg_stat_activity where pid = ${pid}`).length === 0, {
      timeoutMs: 5000,
      intervalMs: 20,
      what: 'the terminated backend to be gone',
    });
    await sleep(300);
    const [again] = await session<{ pid: number; held: boolean }[]>`
      select pg_backend_pid() as pid, exists (select 1 from pg_locks where locktype = 'advisory' and objid = 4242 and granted) as held`;
    assert.notEqual(again.pid, pid, 'a new backend');
    assert.equal(again.held, false, 'the lock died with the old session');
  } finally {
    await session.end({ timeout: 5 });
  }
});

test('[DB1] connection loss is told apart from a failed statement', () => {
  for (const code of ['57P01', '08006', 'CONNECTION_CLOSED', 'ECONNRESET']) assert.equal(isConnectionLost({ code }), true, code);
  for (const code of ['23505', '40001', '22P02', undefined]) assert.equal(isConnectionLost({ code }), false, String(code));
  assert.equal(isConnectionLost(null), false);
});

/** The waiting helpers [TW1]: they succeed as soon as the condition holds and fail naming what they waited for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, within, GiveUp, TimedOut } from './helpers/eventually.js';

test('[TW1] eventually returns the first truthy value, as soon as it holds', async () => {
  let calls = 0;
  const started = Date.now();
  const v = await eventually(() => (++calls >= 3 ? { n: calls } : null), { what: 'the third call', intervalMs: 10 });
  assert.deepEqual(v, { n: 3 });
  assert.equal(calls, 3, 'stops polling once the condition holds');
  assert.ok(Date.now() - started < 1000, 'does not wait out its timeout');
});

test('[TW1] eventually retries an attempt that throws and returns once it stops throwing', async () => {
  let calls = 0;
  const v = await eventually(
    async () => {
      calls++;
      assert.ok(calls > 2, 'not yet');
      return 'ready';
    },
    { what: 'a check that passes on the third try', intervalMs: 5 },
  );
  assert.equal(v, 'ready');
  assert.equal(calls, 3);
});

test('[TW1] eventually times out with an error naming what it waited for and the last value seen', async () => {
  const started = Date.now();
  await assert.rejects(
    eventually(() => ({ state: 'queued' }).state === 'completed' && 'done', { what: 'the job to complete', timeoutMs: 200, intervalMs: 20 }),
    (e: unknown) => {
      assert.ok(e instanceof TimedOut);
      assert.match(e.message, /waiting for the job to complete/);
      assert.match(e.message, /last value false/);
      return true;
    },
  );
  const took = Date.now() - started;
  assert.ok(took >= 200 && took < 2000, `gave up after its timeout (${took} ms)`);
});

test('[TW1] eventually times out naming the last error when every attempt threw', async () => {
  await assert.rejects(
    eventually(
      () => {
        throw new Error('connection refused');
      },
      { what: 'the server to answer', timeoutMs: 100, intervalMs: 10 },
    ),
    /waiting for the server to answer; last error Error: connection refused/,
  );
});

test('[TW1] eventually stops at once when an attempt gives up (a condition that can no longer come true)', async () => {
  let calls = 0;
  const started = Date.now();
  await assert.rejects(
    eventually(
      () => {
        calls++;
        throw new GiveUp('the API process exited with 1');
      },
      { what: 'the API to be ready', timeoutMs: 10_000, intervalMs: 10 },
    ),
    (e: unknown) => e instanceof GiveUp && /exited with 1/.test(e.message),
  );
  assert.equal(calls, 1);
  assert.ok(Date.now() - started < 1000, 'does not wait out its timeout');
});

test('[TW1] within awaits a promise with a deadline, naming the event on timeout', async () => {
  assert.equal(await within(Promise.resolve(7), 1000, 'a resolved promise'), 7);
  await assert.rejects(within(Promise.reject(new Error('boom')), 1000, 'a rejected promise'), /boom/, 'a rejection passes through');
  const never = new Promise<never>(() => {});
  await assert.rejects(
    within(never, 50, 'the queue:size event'),
    (e: unknown) => e instanceof TimedOut && /the queue:size event: not within 50 ms/.test(e.message),
  );
});

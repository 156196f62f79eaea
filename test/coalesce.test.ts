import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer } from '../apps/api/src/server/coalesce.js';

test('[OP3] calls inside a window share one trailing run; a failing run is reported, never rejected', async () => {
  const errors: unknown[] = [];
  const c = new Coalescer(30, (e) => errors.push(e));
  let runs = 0;
  await Promise.all([
    c.run('p', async () => {
      runs++;
    }),
    c.run('p', async () => {
      runs++;
    }),
    c.run('q', async () => {
      runs++;
    }),
  ]);
  assert.equal(runs, 2, 'one run per key');
  await c.run('p', async () => {
    throw new Error('queue unreachable');
  });
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['queue unreachable'],
  );
  c.close();
  await c.run('p', async () => {
    runs++;
  });
  assert.equal(runs, 2, 'nothing runs after close');
});

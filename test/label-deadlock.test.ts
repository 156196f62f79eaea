/**
 * Two labels whose next leases cross cannot deadlock [LB9]: X labels S1 while Y labels S2, and
 * each one's next lease is the slice the other is labelling. Before migration 0018 each took its
 * next lease (locking that slice's row) before updating the row of the slice it labelled, so the
 * two waited for each other until PostgreSQL's deadlock check (deadlock_timeout, 1 s) killed one:
 * a second of stall and a retry, seen in bench/labeling on small projects.
 *
 * The interleaving is forced, not hoped for: a third transaction holds `reads` in SHARE mode, so
 * both labels stop at their read's insert, the point where each has done everything before it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { nextSlice } from '../apps/api/src/assignment/assignment.service.js';
import { submitLabelStatement } from '../apps/api/src/labels/labels.queries.js';
import { seedProject, startTestApi } from './helpers/api.js';
import { eventually, within } from './helpers/eventually.js';

const t = await startTestApi('labeldeadlock');

test('[LB9] two labels whose next leases cross both store, neither a deadlock victim', async () => {
  const p = await seedProject(t, { slicesPerSeries: 2, reads: 2, users: { lx: ['LABELER'], ly: ['LABELER'] } });
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  const [s1, s2] = p.sliceIds;
  const x = p.users.lx.id;
  const y = p.users.ly.id;
  assert.equal((await nextSlice(t.sql, p.projectId, x))?.sliceId, s1);
  // Y's first lease is S2: S2 goes first in the queue for it.
  await t.sql`update slices set queue_order = -queue_order where id = ${s2}`;
  assert.equal((await nextSlice(t.sql, p.projectId, y))?.sliceId, s2);

  const blocker = await t.sql.reserve();
  const cx = await t.sql.reserve();
  const cy = await t.sql.reserve();
  try {
    await blocker`begin`;
    await blocker`lock table reads in share mode`;
    const waiting = async (c: typeof cx) => {
      const [{ pid }] = await c<{ pid: number }[]>`select pg_backend_pid() as pid`;
      return async () => {
        const [row] = await t.sql<{ w: string | null }[]>`select wait_event_type as w from pg_stat_activity where pid = ${pid}`;
        return row?.w === 'Lock';
      };
    };
    const xWaits = await waiting(cx);
    const yWaits = await waiting(cy);
    // The statement itself, not the service, which would run a deadlock victim again.
    const submit = (c: typeof cx, sliceId: string, userId: string) =>
      submitLabelStatement(c, { sliceId, userId, value: 1, clientRequestId: randomUUID(), screenSeconds: null, swap: false, want: 1 }).catch(
        (e: { code?: string }) => ({ status: `error ${e.code}` }),
      );
    const xLabel = submit(cx, s1, x);
    await eventually(xWaits, { what: "X's label to stop at its read (reads held in SHARE mode)" });
    const yLabel = submit(cy, s2, y);
    await eventually(yWaits, { what: "Y's label to wait" });
    await blocker`commit`;
    const [rx, ry] = await within(Promise.all([xLabel, yLabel]), 15_000, 'both labels');
    assert.equal(rx.status, 'OK', `X: ${JSON.stringify(rx)}`);
    assert.equal(ry.status, 'OK', `Y: ${JSON.stringify(ry)} (40P01 is a deadlock)`);
  } finally {
    blocker.release();
    cx.release();
    cy.release();
  }
  const reads = await t.sql<{ n: number }[]>`select count(*)::int as n from reads where slice_id in ${t.sql([s1, s2])}`;
  assert.equal(reads[0].n, 2);
});

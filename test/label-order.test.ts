/**
 * [LB7] concord_submit_label (migration 0016) takes the next lease before it stores the read, as
 * if the read were stored: the repeat washout counts that read, the slice being labelled is never
 * the next lease, and the read gives its lease's place back in the slice update that counts it
 * (the lease's close then leaves slices.leases_open alone), so the counter stays exact [AS11].
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { nextSlice } from '../apps/api/src/assignment/assignment.service.js';
import { submitLabel, submitLabelStepwise } from '../apps/api/src/labels/labels.service.js';
import { seedProject, startTestApi } from './helpers/api.js';

const t = await startTestApi('labelorder');

async function counterMismatches(projectId: string): Promise<string[]> {
  const rows = await t.sql<{ id: string; leasesOpen: number; n: number }[]>`
    select s.id, s.leases_open, (select count(*)::int from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and not a.is_gold and not a.is_calibration) as n
      from slices s where s.project_id = ${projectId}`;
  return rows.filter((r) => r.leasesOpen !== r.n).map((r) => `${r.id}: counter ${r.leasesOpen}, open leases ${r.n}`);
}

class Rollback extends Error {}

test('[LB7][AS6] the lease taken before the read counts that read in the repeat washout', async () => {
  const p = await seedProject(t, { slicesPerSeries: 6, reads: 2, users: { ro1: ['LABELER'] } });
  await t.sql`update projects set gold_rate = 0, evaluation_share = 0 where id = ${p.projectId}`;
  const userId = p.users.ro1.id;
  const first = await nextSlice(t.sql, p.projectId, userId);
  assert.ok(first);
  const r1 = await submitLabel(t.sql, { sliceId: first.sliceId, userId, value: 1, clientRequestId: randomUUID(), lease: 1 });
  const second = r1.next?.[0];
  assert.ok(second && second.sliceId !== first.sliceId);
  // One lease attempt as the label on `second` makes it, with repeats always due after one read
  // (the table allows at most 0.5: the project row is changed for this call only).
  const attempt = (pending: boolean) =>
    t.sql
      .begin(async (tx) => {
        const [row] = await tx<{ pStatus: string; sliceId: string | null; isRepeat: boolean | null }[]>`
          select l.p_status, (l.p_out).slice_id, (l.p_out).is_repeat
            from projects p,
                 concord_try_lease(jsonb_populate_record(p, '{"repeat_rate": 1, "repeat_washout": 1}'::jsonb), ${userId}::uuid,
                                   ${pending ? second.id : null}::uuid, ${pending ? second.sliceId : null}::uuid, false) l
           where p.id = ${p.projectId}`;
        throw new Rollback(JSON.stringify(row));
      })
      .catch((e) => {
        if (!(e instanceof Rollback)) throw e;
        return JSON.parse(e.message) as { pStatus: string; sliceId: string | null; isRepeat: boolean | null };
      });
  // With the read on `second` counted, `first` is two reads back (> washout 1): it is repeated.
  const counted = await attempt(true);
  assert.equal(counted.pStatus, 'LEASED');
  assert.equal(counted.isRepeat, true, 'the pending read counts: the first slice is due for its repeat');
  assert.equal(counted.sliceId, first.sliceId);
  // Without it, `first` is one read back: no repeat yet, a fresh slice other than the two.
  const uncounted = await attempt(false);
  assert.equal(uncounted.pStatus, 'LEASED');
  assert.equal(uncounted.isRepeat, false);
  assert.ok(uncounted.sliceId !== first.sliceId && uncounted.sliceId !== second.sliceId);
  // The label itself then stores the read and leases as the statement's own call did.
  const r2 = await submitLabel(t.sql, { sliceId: second.sliceId, userId, value: 0, clientRequestId: randomUUID(), lease: 1 });
  assert.equal(r2.outcome, 'PENDING');
  assert.notEqual(r2.next?.[0].sliceId, second.sliceId);
  assert.deepEqual(await counterMismatches(p.projectId), []);
});

test('[LB7][AS11][LB1] the counter stays exact on every path that stores a read, and the labelled slice is never the next lease', async () => {
  const p = await seedProject(t, { slicesPerSeries: 8, reads: 2, users: { ro2: ['LABELER'], ro3: ['LABELER'], ro4: ['LABELER'] } });
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  const [u2, u3, u4] = [p.users.ro2.id, p.users.ro3.id, p.users.ro4.id];

  // A lease past its time, not yet marked EXPIRED, is still the labeler's (LB1): the read takes its place.
  const late = await nextSlice(t.sql, p.projectId, u2);
  assert.ok(late);
  await t.sql`update assignments set expires_at = now() - interval '1 second' where id = ${late.id}`;
  const r = await submitLabel(t.sql, { sliceId: late.sliceId, userId: u2, value: 1, clientRequestId: randomUUID(), lease: 1 });
  assert.equal(r.duplicate, false);
  assert.notEqual(r.next?.[0].sliceId, late.sliceId);
  const [closed] = await t.sql`select status from assignments where id = ${late.id}`;
  assert.equal(closed.status, 'DONE');
  assert.deepEqual(await counterMismatches(p.projectId), []);

  // The statement-by-statement path (gold and calibration leases take it) stores a regular read too.
  const step = await nextSlice(t.sql, p.projectId, u3);
  assert.ok(step);
  await submitLabelStepwise(t.sql, { sliceId: step.sliceId, userId: u3, value: 0, clientRequestId: randomUUID() });
  assert.deepEqual(await counterMismatches(p.projectId), []);

  // Then everyone labels to the end, concurrently, each label bringing the next lease.
  const labelled: Record<string, string[]> = { [u2]: [late.sliceId], [u3]: [step.sliceId], [u4]: [] };
  await Promise.all(
    [u2, u3, u4].map(async (userId) => {
      const seen = new Set<string>(labelled[userId]);
      let a = await nextSlice(t.sql, p.projectId, userId);
      while (a) {
        seen.add(a.sliceId);
        const out = await submitLabel(t.sql, { sliceId: a.sliceId, userId, value: Math.random() < 0.5 ? 1 : 0, clientRequestId: randomUUID(), lease: 1 });
        a = out.next?.[0] ?? null;
        if (a) assert.ok(!seen.has(a.sliceId), 'never a slice this labeler holds or has read');
      }
    }),
  );
  assert.deepEqual(await counterMismatches(p.projectId), []);
  const rows = await t.sql<{ readsDone: number; leasesOpen: number }[]>`select reads_done, leases_open from slices where project_id = ${p.projectId}`;
  for (const row of rows) {
    assert.equal(row.readsDone, 2, 'every slice got exactly its two reads');
    assert.equal(row.leasesOpen, 0);
  }
});

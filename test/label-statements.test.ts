/**
 * [LB6] The statements a label costs cannot creep back: the service path sends one statement for
 * a regular read and the next lease, and the HTTP path (GraphQL + socket fan-out) stays within 6
 * statements per label, counted with the driver's debug hook on the API's own pool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createSql } from '@concord/db';
import { nextSlice } from '../apps/api/src/assignment/assignment.service.js';
import { submitLabel } from '../apps/api/src/labels/labels.service.js';
import { connectSocket, gqlOk, seedProject, startTestApi } from './helpers/api.js';

let apiStatements = 0;
const t = await startTestApi('labelstmts', {
  sqlDebug: () => {
    apiStatements++;
  },
});

test('[LB6] the service path: a label and the next lease are one statement, pending or completing', async () => {
  const p = await seedProject(t, { slicesPerSeries: 6, reads: 2, users: { s1: ['LABELER'], s2: ['LABELER'] } });
  // No gold, so every lease is a regular one (gold takes its own path).
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  const recorded: string[] = [];
  const traced = createSql(t.dbUrl, {
    max: 1,
    appName: 'concord-test-stmts',
    debug: (q) => {
      recorded.push(q.replace(/\s+/g, ' ').trim());
    },
  });
  await traced`select 1`;
  try {
    const outcomes: string[] = [];
    for (const name of ['s1', 's2']) {
      const userId = p.users[name].id;
      let a = await nextSlice(t.sql, p.projectId, userId);
      for (let k = 0; k < 3 && a; k++) {
        recorded.length = 0;
        const r = await submitLabel(traced, { sliceId: a.sliceId, userId, value: 1, clientRequestId: randomUUID(), lease: 1 });
        assert.equal(recorded.length, 1, `statements for one label and the next lease: ${recorded.join(' | ')}`);
        outcomes.push(r.outcome);
        assert.equal(r.next?.length, 1, 'the next lease comes with the label');
        assert.notEqual(r.next![0].sliceId, a.sliceId);
        a = r.next![0];
      }
    }
    assert.ok(outcomes.includes('PENDING') && outcomes.includes('CONSENSUS'), `both paths measured: ${outcomes.join(',')}`);
  } finally {
    await traced.end();
  }
});

test('[LB6] the HTTP path: at most 6 statements per label, fan-out included, and no second request for the next slice', async () => {
  const p = await seedProject(t, { slicesPerSeries: 12, reads: 2, users: { h1: ['LABELER'], h2: ['LABELER'], hlead: ['LEAD'] } });
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  const lead = await connectSocket(t.url, p.users.hlead.token, p.projectId);
  const labeler = await connectSocket(t.url, p.users.h1.token, p.projectId);
  const SUBMIT_NEXT = `mutation($s:ID!,$v:Int!,$c:ID){ submitLabel(sliceId:$s,value:$v,clientRequestId:$c){ ok next { id slice { id } } progress { readsDone } } }`;
  const first = await Promise.all(
    ['h1', 'h2'].map((u) => gqlOk(t.url, 'query($p:ID!){nextSlice(projectId:$p){slice{id}}}', { p: p.projectId }, p.users[u].token)),
  );
  apiStatements = 0;
  let labels = 0;
  await Promise.all(
    ['h1', 'h2'].map(async (u, i) => {
      let slice: string | undefined = first[i].nextSlice.slice.id;
      for (let k = 0; k < 5 && slice; k++) {
        const d = await gqlOk(t.url, SUBMIT_NEXT, { s: slice, v: k % 2, c: randomUUID() }, p.users[u].token);
        labels++;
        assert.equal(d.submitLabel.progress.readsDone, k + 1);
        slice = d.submitLabel.next?.slice.id;
      }
    }),
  );
  assert.equal(labels, 10);
  // The fan-out runs after each answer: wait for the last of it (the labeler's 5th queue size,
  // the lead's progress showing all 10 reads) before reading the counter.
  await labeler.waitFor((e) => e.type === 'queue:size' && e.readsDone === 5);
  await lead.waitFor((e) => e.type === 'progress' && e.readsDone === 10);
  const perLabel = apiStatements / labels;
  assert.ok(perLabel <= 6, `${apiStatements} statements for ${labels} labels (${perLabel.toFixed(1)} per label)`);
});

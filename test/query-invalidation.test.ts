/**
 * Which cached queries each realtime event makes stale (apps/web/lib/invalidations.ts): web SPEC
 * WEB15. The browser half (panels that follow live) is test/web.e2e.test.ts WEB2, WEB8.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerEvent, ServerEventType } from '@concord/contracts';
import { EVENT_AUDIENCE } from '@concord/contracts';
import { INVALIDATIONS, invalidatedBy } from '../apps/web/lib/invalidations.js';
import { queryKeys } from '../apps/web/lib/query-keys.js';

const P = 'project-1';
const keys = (e: ServerEvent) => invalidatedBy(e).map((k) => k.join('/'));
const key = (k: readonly unknown[]) => k.join('/');

const progress: ServerEvent = {
  type: 'progress',
  projectId: P,
  slices: 4,
  readsDone: 3,
  readsRequired: 8,
  finalLabels: 1,
  openAdjudications: 1,
  positiveFinal: 0,
};
const round: ServerEvent = {
  type: 'training:round',
  projectId: P,
  modelVersionId: 'v2',
  round: 2,
  status: 'CANDIDATE',
  auc: 0.8,
  accuracy: 0.7,
  labelCount: 40,
};

test('[WEB15] every event type has an entry (the map is typed by the union; this checks the running module too)', () => {
  const types = Object.keys(EVENT_AUDIENCE).sort() as ServerEventType[];
  assert.deepEqual(Object.keys(INVALIDATIONS).sort(), types);
});

test("[WEB15] a read refreshes the lead's figures and reader QC, not the stopping signal, screening or anyone's queue", () => {
  assert.deepEqual(keys(progress), [key(queryKeys.dashboard(P)), key(queryKeys.readerPerformance(P))]);
});

test('[WEB15] a finished round refreshes the model versions (in the dashboard) and the stopping signal, not reader QC', () => {
  assert.deepEqual(keys(round), [key(queryKeys.dashboard(P)), key(queryKeys.stoppingSignal(P))]);
});

test('[WEB15] the adjudication queue refetches on its own event; a flag refreshes reader QC; a finished ingest refreshes the batches', () => {
  assert.deepEqual(keys({ type: 'adjudication:queue', projectId: P, size: 2 }), [key(queryKeys.adjudicationQueue(P))]);
  assert.deepEqual(keys({ type: 'reader:flagged', projectId: P, userId: 'u', reader: 'bob', paused: true, accuracy: 0.5, low: 0.3, high: 0.7, n: 20 }), [
    key(queryKeys.readerPerformance(P)),
  ]);
  const ingest = { type: 'ingest:progress', projectId: P, batchId: 'b', done: 1, total: 2, accepted: 1, skipped: 0, rejected: 0, finished: false } as const;
  assert.deepEqual(keys(ingest), [], 'its running counts are in the event');
  assert.deepEqual(keys({ ...ingest, done: 2, finished: true }), [key(queryKeys.ingestBatches(P))]);
});

test("[WEB15] events that carry their own news refetch nothing: presence, a labeler's counts, reprioritising, training progress", () => {
  assert.deepEqual(keys({ type: 'presence', projectId: P, online: [] }), []);
  assert.deepEqual(keys({ type: 'queue:size', projectId: P, size: 3, readsDone: 1 }), []);
  assert.deepEqual(keys({ type: 'queue:reprioritised', projectId: P }), []);
  assert.deepEqual(keys({ type: 'training:progress', projectId: P, jobId: 'j', stage: 'training', done: 1, total: 5, epoch: 1, loss: 0.5 }), []);
});

test("[WEB15] keys are scoped to the event's project: another project's event never makes this project's queries stale", () => {
  const other = { ...progress, projectId: 'project-2' };
  for (const k of invalidatedBy(other)) assert.deepEqual(k.slice(0, 2), ['project', 'project-2']);
  const { users, ...scoped } = queryKeys;
  assert.deepEqual(users(), ['users'], 'users belong to no project');
  for (const k of Object.values(scoped)) assert.deepEqual((k as (p: string, ...rest: never[]) => readonly unknown[])(P).slice(0, 2), ['project', P]);
});

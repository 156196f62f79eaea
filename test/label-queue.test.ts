/**
 * The label page's queue as a state machine (apps/web/app/label/label-queue.ts), every transition
 * without a browser: web SPEC WEB6, WEB11–WEB14. The browser half is test/web.e2e.test.ts.
 * (Named without the `web` prefix: test/run.ts builds the web app for files named web*.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialLabelQueue,
  labelableAt,
  MIN_VIEW_MS,
  REPRIORITISED,
  step,
  TOO_QUICK,
  type LabelQueueEffect,
  type LabelQueueEvent,
  type LabelQueueState,
  type Lease,
} from '../apps/web/app/label/label-queue.js';

type Feedback = { correct: boolean };
type State = LabelQueueState<Lease, Feedback>;
type Event = LabelQueueEvent<Lease, Feedback>;

const lease = (n: number): Lease => ({ id: `lease-${n}`, slice: { id: `slice-${n}` } });
const progress = (readsDone: number, queueSize: number) => ({ readsDone, queueSize });

/** Runs events in order; answers the last state and every request made on the way. */
function run(events: Event[], from: State = initialLabelQueue()): { state: State; effects: LabelQueueEffect[] } {
  let state = from;
  const effects: LabelQueueEffect[] = [];
  for (const e of events) {
    const r = step(state, e);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

/** A queue loaded at t=0 with leases 1 and 2: 1 on screen, 2 leased ahead. */
const loaded = () => run([{ type: 'start' }, { type: 'leases', leases: [lease(1), lease(2)], progress: progress(0, 5), now: 0 }]).state;
/** Lease 1 labelled 1 at t=1000: lease 2 on screen, the save in flight. */
const saving = () => run([{ type: 'label', value: 1, now: 1000 }], loaded()).state;

test('[WEB11] the first load asks for the queue once and shows the oldest lease, the next one leased ahead for prefetch', () => {
  const started = step(initialLabelQueue<Lease, Feedback>(), { type: 'start' });
  assert.deepEqual(started.effects, [{ type: 'fetchQueue' }]);
  assert.equal(started.state.loaded, false);
  const s = step(started.state, { type: 'leases', leases: [lease(1), lease(2)], progress: progress(0, 5), now: 40 }).state;
  assert.equal(s.loaded, true);
  assert.equal(s.shown?.id, 'lease-1');
  assert.deepEqual(s.shownAt, { id: 'lease-1', at: 40 });
  assert.equal(s.upcoming?.id, 'lease-2');
  assert.deepEqual(s.progress, progress(0, 5));
  assert.equal(s.busy, null);
});

test('[WEB11] an empty queue loads as empty: nothing shown, nothing ahead, and a key press does nothing', () => {
  const s = run([{ type: 'start' }, { type: 'leases', leases: [], progress: progress(3, 0), now: 0 }]).state;
  assert.equal(s.loaded, true);
  assert.equal(s.shown, null);
  assert.equal(s.upcoming, null);
  const pressed = run(
    [
      { type: 'label', value: 1, now: 5000 },
      { type: 'skip', reason: 'artefact', now: 5000 },
    ],
    s,
  );
  assert.deepEqual(pressed.effects, []);
  assert.equal(pressed.state.notice, null);
});

test('[WEB11] a label puts the lease ahead on screen at once and saves in the background, the lease id as its request id', () => {
  const r = step(loaded(), { type: 'label', value: 1, now: 1000 });
  assert.deepEqual(r.effects, [{ type: 'submitLabel', sliceId: 'slice-1', value: 1, clientRequestId: 'lease-1', screenSeconds: 1 }]);
  assert.equal(r.state.shown?.id, 'lease-2', 'the next slice is on screen while the label saves');
  assert.deepEqual(r.state.shownAt, { id: 'lease-2', at: 1000 });
  assert.equal(r.state.upcoming, null);
  assert.deepEqual(
    r.state.leases.map((a) => a.id),
    ['lease-2'],
  );
  assert.equal(r.state.busy, 'saving');
});

test("[WEB11] the label's own answer brings the next leases: no second request, the slice on screen stays, the new one is prefetched", () => {
  const r = step(saving(), { type: 'labelSaved', value: 1, feedback: { correct: true }, leases: [lease(2), lease(3)], progress: progress(1, 4), now: 1200 });
  assert.deepEqual(r.effects, [], 'one request per label');
  assert.equal(r.state.busy, null);
  assert.equal(r.state.shown?.id, 'lease-2');
  assert.deepEqual(r.state.shownAt, { id: 'lease-2', at: 1000 }, 'its on-screen time runs from when it was shown, not from the answer');
  assert.equal(r.state.upcoming?.id, 'lease-3');
  assert.deepEqual(r.state.progress, progress(1, 4));
  assert.equal(r.state.lastLabel, 1);
  assert.deepEqual(r.state.feedback, { correct: true });
});

test('[WEB11] an answer without leases asks for the queue, and the action ends when it comes', () => {
  const r = step(saving(), { type: 'labelSaved', value: 0, feedback: null, leases: null, progress: null, now: 1200 });
  assert.deepEqual(r.effects, [{ type: 'fetchQueue' }]);
  assert.equal(r.state.busy, 'refreshing');
  const done = step(r.state, { type: 'leases', leases: [lease(2), lease(3)], progress: progress(1, 4), now: 1300 });
  assert.equal(done.state.busy, null);
  assert.equal(done.state.upcoming?.id, 'lease-3');
});

test('[WEB11] a slice whose lease is gone from the answer leaves the screen for the oldest open lease', () => {
  const r = step(saving(), { type: 'labelSaved', value: 1, feedback: null, leases: [lease(3), lease(4)], progress: progress(1, 4), now: 1500 });
  assert.equal(r.state.shown?.id, 'lease-3');
  assert.deepEqual(r.state.shownAt, { id: 'lease-3', at: 1500 });
  assert.equal(r.state.upcoming?.id, 'lease-4');
});

test('[WEB11] a label with nothing leased ahead keeps its slice on screen until the answer brings the next', () => {
  const one = run([{ type: 'start' }, { type: 'leases', leases: [lease(1)], progress: progress(0, 1), now: 0 }]).state;
  const r = step(one, { type: 'label', value: 0, now: 800 });
  assert.equal(r.effects.length, 1);
  assert.equal(r.state.shown?.id, 'lease-1');
  const next = step(r.state, { type: 'labelSaved', value: 0, feedback: null, leases: [lease(5)], progress: progress(1, 1), now: 900 });
  assert.equal(next.state.shown?.id, 'lease-5');
});

test('[WEB11] a skip takes the slice off screen, saves the reason, then asks for the queue', () => {
  const r = step(loaded(), { type: 'skip', reason: 'artefact or motion', now: 10 });
  assert.deepEqual(r.effects, [{ type: 'skipSlice', sliceId: 'slice-1', reason: 'artefact or motion' }]);
  assert.equal(r.state.shown, null);
  assert.equal(r.state.busy, 'saving');
  const saved = step(r.state, { type: 'skipSaved' });
  assert.deepEqual(saved.effects, [{ type: 'fetchQueue' }]);
  assert.equal(saved.state.lastLabel, null);
  const done = step(saved.state, { type: 'leases', leases: [lease(2), lease(3)], progress: progress(0, 4), now: 200 });
  assert.equal(done.state.busy, null);
  assert.equal(done.state.shown?.id, 'lease-2');
});

test('[WEB12] [WEB6] a label before the minimum view time is refused visibly and saves nothing; the next accepted label clears the hint', () => {
  const s = loaded();
  assert.equal(labelableAt(s), MIN_VIEW_MS);
  const early = step(s, { type: 'label', value: 1, now: MIN_VIEW_MS - 1 });
  assert.deepEqual(early.effects, []);
  assert.equal(early.state.notice, TOO_QUICK);
  assert.equal(early.state.shown?.id, 'lease-1', 'nothing moved on');
  const onTime = step(early.state, { type: 'label', value: 1, now: MIN_VIEW_MS });
  assert.equal(onTime.effects.length, 1);
  assert.equal(onTime.state.notice, null);
});

test('[WEB12] [WEB6] a double tap labels one slice: the second press lands on the slice just shown and is refused', () => {
  const r = run(
    [
      { type: 'label', value: 0, now: 1000 },
      { type: 'label', value: 0, now: 1030 },
    ],
    loaded(),
  );
  assert.equal(r.effects.filter((e) => e.type === 'submitLabel').length, 1);
  assert.equal(r.state.notice, TOO_QUICK);
  assert.equal(r.state.pending, null, 'the refused press is not queued either');
  assert.equal(labelableAt(r.state), 1000 + MIN_VIEW_MS);
});

test('[WEB12] a skip needs no minimum view time (nothing is read into it), and other notices survive an accepted label', () => {
  const skipped = step(loaded(), { type: 'skip', reason: 'artefact', now: 1 });
  assert.equal(skipped.effects.length, 1);
  const noticed = step(loaded(), { type: 'reprioritised' });
  assert.equal(noticed.state.notice, REPRIORITISED);
  assert.equal(step(noticed.state, { type: 'label', value: 1, now: 1000 }).state.notice, REPRIORITISED);
});

test('[WEB13] [WEB6] a label given while a save runs is pending for the slice on screen and saved when the save ends', () => {
  const pressed = step(saving(), { type: 'label', value: 0, now: 1300 });
  assert.deepEqual(pressed.effects, [], 'nothing is sent while the previous save runs');
  assert.deepEqual(pressed.state.pending, { kind: 'label', value: 0, assignmentId: 'lease-2' });
  const ended = step(pressed.state, { type: 'labelSaved', value: 1, feedback: null, leases: [lease(2), lease(3)], progress: progress(1, 4), now: 1600 });
  assert.deepEqual(ended.effects, [{ type: 'submitLabel', sliceId: 'slice-2', value: 0, clientRequestId: 'lease-2', screenSeconds: 0.6 }]);
  assert.equal(ended.state.pending, null);
  assert.equal(ended.state.busy, 'saving');
  assert.equal(ended.state.shown?.id, 'lease-3', 'and the slice after it comes on screen');
});

test('[WEB13] [WEB6] a skip chosen while a label saves is queued the same way, for the slice it was chosen on', () => {
  const pressed = step(saving(), { type: 'skip', reason: 'image quality too poor', now: 1300 });
  assert.deepEqual(pressed.state.pending, { kind: 'skip', reason: 'image quality too poor', assignmentId: 'lease-2' });
  const ended = step(pressed.state, { type: 'labelSaved', value: 1, feedback: null, leases: [lease(2), lease(3)], progress: progress(1, 4), now: 1600 });
  assert.deepEqual(ended.effects, [{ type: 'skipSlice', sliceId: 'slice-2', reason: 'image quality too poor' }]);
  assert.equal(ended.state.shown, null);
});

test('[WEB13] a pending press whose slice left the screen meanwhile is not applied to another slice: the reader is told', () => {
  const pressed = step(saving(), { type: 'label', value: 1, now: 1300 });
  const ended = step(pressed.state, { type: 'labelSaved', value: 1, feedback: null, leases: [lease(7), lease(8)], progress: progress(1, 4), now: 1600 });
  assert.deepEqual(ended.effects, []);
  assert.equal(ended.state.pending, null);
  assert.equal(ended.state.shown?.id, 'lease-7');
  assert.match(ended.state.notice ?? '', /label given while the slice changed was not saved/);
});

test('[WEB13] the last key pressed during a save is the one kept', () => {
  const r = run(
    [
      { type: 'label', value: 1, now: 1300 },
      { type: 'label', value: 0, now: 1350 },
    ],
    saving(),
  );
  assert.deepEqual(r.state.pending, { kind: 'label', value: 0, assignmentId: 'lease-2' });
});

test('[WEB13] [WEB12] a press during a save on a slice shown less than the minimum time is refused, not queued', () => {
  const early = step(saving(), { type: 'label', value: 1, now: 1000 + MIN_VIEW_MS - 1 });
  assert.equal(early.state.pending, null);
  assert.equal(early.state.notice, TOO_QUICK);
});

test('[WEB14] a refusal that means the lease is gone shows the error and fetches the queue; a failure of that fetch stays quiet', () => {
  for (const code of ['ASSIGNMENT_EXPIRED', 'NO_ASSIGNMENT', 'ALREADY_LABELLED', 'SLICE_NOT_FOUND']) {
    const failed = step(saving(), { type: 'failed', error: { code, message: 'm' }, now: 1500 });
    assert.deepEqual(failed.effects, [{ type: 'fetchQueue' }], code);
    assert.equal(failed.state.busy, 'recovering');
    assert.deepEqual(failed.state.error, { code, message: 'm' });
    const quiet = step(failed.state, { type: 'failed', error: { code: 'NETWORK', message: 'down' }, now: 1600 });
    assert.deepEqual(quiet.state.error, { code, message: 'm' }, 'the refusal is what the reader sees');
    assert.equal(quiet.state.busy, null);
    const fresh = step(failed.state, { type: 'leases', leases: [lease(4)], progress: progress(1, 1), now: 1600 });
    assert.equal(fresh.state.busy, null);
    assert.equal(fresh.state.shown?.id, 'lease-4');
  }
});

test('[WEB14] any other failure is shown and ends the action: the next key press is taken and clears it', () => {
  const failed = step(saving(), { type: 'failed', error: { code: 'NETWORK', message: 'Cannot reach the Concord server.' }, now: 1400 });
  assert.deepEqual(failed.effects, []);
  assert.equal(failed.state.error?.code, 'NETWORK');
  assert.equal(failed.state.busy, null);
  assert.equal(failed.state.shown?.id, 'lease-2', 'the slice on screen stays');
  const next = step(failed.state, { type: 'label', value: 1, now: 1000 + MIN_VIEW_MS });
  assert.equal(next.effects.length, 1);
  assert.equal(next.state.error, null, 'a new action clears the last error');
});

test('[WEB14] [WEB13] a key pressed during a save that then fails is still applied to its slice', () => {
  const pressed = step(saving(), { type: 'label', value: 0, now: 1300 });
  const failed = step(pressed.state, { type: 'failed', error: { code: 'NETWORK', message: 'down' }, now: 1400 });
  assert.deepEqual(failed.effects, [{ type: 'submitLabel', sliceId: 'slice-2', value: 0, clientRequestId: 'lease-2', screenSeconds: 0.4 }]);
  assert.equal(failed.state.pending, null);
  assert.equal(failed.state.busy, 'saving');
});

test('[WEB14] a failed save of a fetched queue is shown; a failed first load is shown and the page stays unloaded', () => {
  const refreshing = step(saving(), { type: 'labelSaved', value: 1, feedback: null, leases: null, progress: null, now: 1200 }).state;
  const failed = step(refreshing, { type: 'failed', error: { code: 'INTERNAL', message: 'boom' }, now: 1300 });
  assert.equal(failed.state.error?.code, 'INTERNAL');
  assert.equal(failed.state.busy, null);
  const first = run([{ type: 'start' }, { type: 'failed', error: { code: 'FORBIDDEN', message: 'no' }, now: 0 }]);
  assert.equal(first.state.error?.code, 'FORBIDDEN');
  assert.equal(first.state.loaded, false);
  assert.deepEqual(first.effects, [{ type: 'fetchQueue' }], 'no retry loop');
});

test('[WEB14] the page can show and dismiss its own errors and notices; socket events set the counts and the reprioritised notice', () => {
  let s = step(loaded(), { type: 'error', error: { code: 'IMAGE', message: 'decode failed' } }).state;
  assert.equal(s.error?.code, 'IMAGE');
  s = step(s, { type: 'error', error: null }).state;
  assert.equal(s.error, null);
  s = step(s, { type: 'progress', progress: progress(9, 2) }).state;
  assert.deepEqual(s.progress, progress(9, 2));
  s = step(s, { type: 'reprioritised' }).state;
  assert.equal(s.notice, REPRIORITISED);
  s = step(s, { type: 'notice', notice: null }).state;
  assert.equal(s.notice, null);
});

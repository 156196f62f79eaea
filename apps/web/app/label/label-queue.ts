/**
 * A labeler's queue as a state machine (web SPEC WEB6, WEB11–WEB14): no React, no fetch, no clock.
 * `step(state, event)` answers the next state and the requests to make; the hook
 * (use-label-queue.ts) makes them and feeds their answers back in as events, each with the time
 * it happened. So every transition (lease, prefetch one ahead, a key pressed while a save runs,
 * the minimum view time, errors) is testable without a browser (test/label-queue.test.ts).
 */

/** Shortest time a slice's image must be on screen before a label for it is taken. */
export const MIN_VIEW_MS = 250;
export const TOO_QUICK = 'Too quick: a slice can be labelled once it has been on screen for a moment. Look, then press again.';
export const REPRIORITISED = 'Your queue was reprioritised by the latest model round.';

/** Refusals after which the fresh assignment is what the reader needs: the queue is asked again. */
export const RELOAD_AFTER: readonly string[] = ['ASSIGNMENT_EXPIRED', 'NO_ASSIGNMENT', 'ALREADY_LABELLED', 'SLICE_NOT_FOUND'];

/** What the queue needs of a lease: its id (the request id of its label) and its slice. */
export type Lease = { id: string; slice: { id: string } };
export type Progress = { readsDone: number; queueSize: number };
export type Failure = { code: string; message: string };

export type PendingAction = { assignmentId: string } & ({ kind: 'label'; value: 0 | 1 } | { kind: 'skip'; reason: string });

/**
 * Which request is in flight for the reader's last action: its save, then (when the save's answer
 * brought no leases) the queue, or after a refusal the queue again, whose own failure is not shown.
 */
export type Busy = null | 'saving' | 'refreshing' | 'recovering';

export type LabelQueueState<A extends Lease, F = unknown> = {
  /** Open leases, oldest first: the one on screen and one leased ahead whose image is prefetched. */
  leases: A[];
  shown: A | null;
  /** When the lease on screen was put there (ms, the caller's clock). */
  shownAt: { id: string; at: number } | null;
  /** The lease leased ahead: its images are prefetched. */
  upcoming: A | null;
  progress: Progress | null;
  loaded: boolean;
  busy: Busy;
  /** A label or skip given while the previous one is still saving, kept for the slice it was given on. */
  pending: PendingAction | null;
  notice: string | null;
  error: Failure | null;
  /** Onboarding only (reader-qc RQ16): the guide's answer to the calibration slice just labelled. */
  feedback: F | null;
  lastLabel: number | null;
};

export type LabelQueueEvent<A extends Lease, F = unknown> =
  | { type: 'start' }
  | { type: 'leases'; leases: A[]; progress: Progress; now: number }
  | { type: 'label'; value: 0 | 1; now: number }
  | { type: 'skip'; reason: string; now: number }
  | { type: 'labelSaved'; value: 0 | 1; feedback: F | null; leases: A[] | null; progress: Progress | null; now: number }
  | { type: 'skipSaved' }
  | { type: 'failed'; error: Failure; now: number }
  | { type: 'progress'; progress: Progress }
  | { type: 'reprioritised' }
  | { type: 'error'; error: Failure | null }
  | { type: 'notice'; notice: string | null };

/** Requests for the hook to make; each answer comes back as an event. */
export type LabelQueueEffect =
  | { type: 'fetchQueue' }
  | { type: 'submitLabel'; sliceId: string; value: 0 | 1; clientRequestId: string; screenSeconds: number }
  | { type: 'skipSlice'; sliceId: string; reason: string };

export type Step<A extends Lease, F> = { state: LabelQueueState<A, F>; effects: LabelQueueEffect[] };

export function initialLabelQueue<A extends Lease, F = unknown>(): LabelQueueState<A, F> {
  return {
    leases: [],
    shown: null,
    shownAt: null,
    upcoming: null,
    progress: null,
    loaded: false,
    busy: null,
    pending: null,
    notice: null,
    error: null,
    feedback: null,
    lastLabel: null,
  };
}

/** When the lease on screen may be labelled (ms, the caller's clock); null when nothing is shown. */
export function labelableAt(s: LabelQueueState<Lease, unknown>): number | null {
  return s.shown && s.shownAt?.id === s.shown.id ? s.shownAt.at + MIN_VIEW_MS : null;
}

function show<A extends Lease, F>(s: LabelQueueState<A, F>, a: A | null, now: number): LabelQueueState<A, F> {
  const shownAt = a && s.shown?.id !== a.id ? { id: a.id, at: now } : s.shownAt;
  return { ...s, shown: a, shownAt };
}

/** The open leases from the queue or from the label just saved; the slice already on screen stays unless its lease is gone. */
function applyLeases<A extends Lease, F>(s: LabelQueueState<A, F>, leases: A[], progress: Progress, now: number): LabelQueueState<A, F> {
  const keep = s.shown ? leases.find((a) => a.id === s.shown?.id) : undefined;
  const current = keep ? s.shown : (leases[0] ?? null);
  const next = keep ? s : show(s, current, now);
  return { ...next, leases, upcoming: leases.find((a) => a.id !== current?.id) ?? null, progress, loaded: true };
}

/** The reader's action has finished: a key pressed meanwhile goes to the slice it was pressed on, or is reported lost. */
function settle<A extends Lease, F>(s: LabelQueueState<A, F>, now: number): Step<A, F> {
  const queued = s.pending;
  const idle = { ...s, busy: null, pending: null };
  if (!queued) return { state: idle, effects: [] };
  if (idle.shown?.id !== queued.assignmentId) {
    return { state: { ...idle, notice: `A ${queued.kind} given while the slice changed was not saved: ${queued.kind} this slice again.` }, effects: [] };
  }
  return queued.kind === 'label' ? label(idle, queued.value, now) : skip(idle, queued.reason);
}

function label<A extends Lease, F>(s: LabelQueueState<A, F>, value: 0 | 1, now: number): Step<A, F> {
  const done = s.shown;
  if (!done) return { state: s, effects: [] };
  const shownAt = s.shownAt;
  if (!shownAt || shownAt.id !== done.id || now - shownAt.at < MIN_VIEW_MS) return { state: { ...s, notice: TOO_QUICK }, effects: [] };
  // The hint is about the press it answered; it must not linger over the next slices.
  const answered = { ...s, notice: s.notice === TOO_QUICK ? null : s.notice };
  if (s.busy) return { state: { ...answered, pending: { kind: 'label', value, assignmentId: done.id } }, effects: [] };
  // The slice leased ahead goes on screen at once; the label is saved meanwhile.
  const next = s.leases.find((a) => a.id !== done.id) ?? null;
  let moved: LabelQueueState<A, F> = { ...answered, leases: s.leases.filter((a) => a.id !== done.id), busy: 'saving', error: null };
  if (next) moved = { ...show(moved, next, now), upcoming: null };
  // The lease id is the request id, so a retried submit can never count twice. On-screen time
  // goes with the label for the lead's statistics only (reader-qc RQ14).
  const submit: LabelQueueEffect = { type: 'submitLabel', sliceId: done.slice.id, value, clientRequestId: done.id, screenSeconds: (now - shownAt.at) / 1000 };
  return { state: moved, effects: [submit] };
}

function skip<A extends Lease, F>(s: LabelQueueState<A, F>, reason: string): Step<A, F> {
  const done = s.shown;
  if (!done) return { state: s, effects: [] };
  if (s.busy) return { state: { ...s, pending: { kind: 'skip', reason, assignmentId: done.id } }, effects: [] };
  const state = { ...s, leases: s.leases.filter((a) => a.id !== done.id), shown: null, busy: 'saving' as const, error: null };
  return { state, effects: [{ type: 'skipSlice', sliceId: done.slice.id, reason }] };
}

const fetchQueue: LabelQueueEffect[] = [{ type: 'fetchQueue' }];

export function step<A extends Lease, F>(s: LabelQueueState<A, F>, e: LabelQueueEvent<A, F>): Step<A, F> {
  switch (e.type) {
    case 'start':
      return { state: { ...s, loaded: false }, effects: fetchQueue };
    case 'leases': {
      const next = applyLeases(s, e.leases, e.progress, e.now);
      // The queue asked for after a save or a refusal ends the reader's action.
      return s.busy === 'refreshing' || s.busy === 'recovering' ? settle(next, e.now) : { state: next, effects: [] };
    }
    case 'label':
      return label(s, e.value, e.now);
    case 'skip':
      return skip(s, e.reason);
    case 'labelSaved': {
      const saved = { ...s, feedback: e.feedback, lastLabel: e.value };
      // The label's answer carries the next leases: no second request.
      if (e.leases && e.progress) return settle(applyLeases(saved, e.leases, e.progress, e.now), e.now);
      return { state: { ...saved, busy: 'refreshing' }, effects: fetchQueue };
    }
    case 'skipSaved':
      return { state: { ...s, lastLabel: null, busy: 'refreshing' }, effects: fetchQueue };
    case 'failed': {
      // The queue asked for after a refusal failed too: the refusal is what the reader sees.
      if (s.busy === 'recovering') return settle(s, e.now);
      const shown = { ...s, error: e.error };
      if (!s.busy) return { state: shown, effects: [] };
      // A lost lease or a label already counted: the fresh assignment is what the reader needs.
      if (RELOAD_AFTER.includes(e.error.code)) return { state: { ...shown, busy: 'recovering' }, effects: fetchQueue };
      return settle(shown, e.now);
    }
    case 'progress':
      return { state: { ...s, progress: e.progress }, effects: [] };
    case 'reprioritised':
      return { state: { ...s, notice: REPRIORITISED }, effects: [] };
    case 'error':
      return { state: { ...s, error: e.error }, effects: [] };
    case 'notice':
      return { state: { ...s, notice: e.notice }, effects: [] };
  }
}

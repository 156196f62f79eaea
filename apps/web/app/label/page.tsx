'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import { ApiError, describeError, gql } from '../../lib/graphql';
import { NEXT_SLICES, PROJECT, SKIP_SLICE, SUBMIT_LABEL } from '../../lib/queries';
import type { Assignment, MyProgress, Project, CalibrationFeedback } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';
import { useHotkeys } from '../../lib/hotkeys';
import { markLabel, markNextImageShown } from '../../lib/metrics';
import { Viewer } from '../../components/viewer/ViewerLoader';
import { imageIdFor } from '../../components/viewer/concord-image-loader';
import type { ViewerHandle } from '../../components/viewer/StackViewer';
import { ViewerTools } from '../../components/ViewerTools';
import { LabelGuide } from '../../components/LabelGuide';
import { HelpOverlay, type Hotkey } from '../../components/HelpOverlay';
import { Empty, ErrorNotice, Forbidden } from '../../components/Notice';

const HOTKEYS: Hotkey[] = [
  { keys: '1', does: 'Label the target slice 1 — cord compression' },
  { keys: '0', does: 'Label the target slice 0 — no compression' },
  { keys: 'S', does: 'Skip with a reason' },
  { keys: '↑ / ↓ / wheel', does: 'Previous / next slice of the series (context)' },
  { keys: 'Space', does: 'Back to the target slice and reset the view' },
  { keys: 'I', does: 'Invert' },
  { keys: '+ / −', does: 'Zoom in / out' },
  { keys: 'Drag', does: 'Window/level (left), zoom (right), pan (middle)' },
  { keys: '?', does: 'This help' },
];

const DEFAULT_SKIP_REASONS = ['artefact or motion', 'wrong level or off-axis slice', 'image quality too poor'];

/** Shortest time a slice's image must be on screen before a label for it is taken. */
const MIN_VIEW_MS = 250;
const TOO_QUICK = 'Too quick: a slice can be labelled once it has been on screen for a moment. Look, then press again.';

type PendingAction = { assignmentId: string } & ({ kind: 'label'; value: 0 | 1 } | { kind: 'skip'; reason: string });

export default function LabelPage() {
  const { me, projectId } = useRequireSession();
  const allowed = !!me && mayOpen(me.roles, '/label');
  const [assignment, setAssignment] = useState<Assignment | null>(null);
  const [progress, setProgress] = useState<MyProgress | null>(null);
  const [project, setProject] = useState<Project | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Onboarding only (reader-qc RQ16): the guide's answer to the calibration slice just labelled.
  const [feedback, setFeedback] = useState<CalibrationFeedback | null>(null);
  const [help, setHelp] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const [lastLabel, setLastLabel] = useState<number | null>(null);
  const viewer = useRef<ViewerHandle | null>(null);
  const busyRef = useRef(false);
  // Open leases, oldest first: the one on screen and one leased ahead whose image is prefetched.
  const queueRef = useRef<Assignment[]>([]);
  const shownRef = useRef<Assignment | null>(null);
  const [upcoming, setUpcoming] = useState<Assignment | null>(null);
  // A label or skip given while the previous one is still saving: kept for the slice it was given
  // on and applied once the save ends, so a fast reader's key press is never dropped silently.
  const pendingRef = useRef<PendingAction | null>(null);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const labelRef = useRef<(value: 0 | 1) => void>(() => undefined);
  const skipRef = useRef<(reason: string) => void>(() => undefined);
  // When the assignment on screen was put there: a label is taken only for a slice the reader
  // has had on screen for MIN_VIEW_MS, so a double tap cannot label a slice nobody looked at.
  // (Its image is prefetched and drawn within tens of ms; the viewer's draw event can fire before
  // this page listens, so the time of showing is the reliable mark.)
  const shownAtRef = useRef<{ id: string; at: number } | null>(null);

  // The assignment that has been on screen MIN_VIEW_MS: shown as data-labelable, so a reader's
  // tools and tests can see when a key press will be taken instead of guessing at the delay.
  const [labelableId, setLabelableId] = useState<string | null>(null);
  useEffect(() => {
    const id = assignment?.id;
    if (!id) return;
    const at = shownAtRef.current?.id === id ? shownAtRef.current.at : performance.now();
    const timer = setTimeout(() => setLabelableId(id), Math.max(0, MIN_VIEW_MS - (performance.now() - at)));
    return () => clearTimeout(timer);
  }, [assignment?.id]);

  const show = useCallback((a: Assignment | null) => {
    if (a && shownRef.current?.id !== a.id) shownAtRef.current = { id: a.id, at: performance.now() };
    shownRef.current = a;
    setAssignment(a);
  }, []);

  // The open leases oldest first, from nextSlices or from the label that was just saved.
  const applyQueue = useCallback((leases: Assignment[], mine: MyProgress) => {
    queueRef.current = leases;
    // Keep the slice already on screen (shown ahead of this answer) unless its lease is gone.
    const shown = shownRef.current;
    const keep = shown && leases.find((a) => a.id === shown.id);
    const current = keep ?? leases[0] ?? null;
    if (!keep) show(current);
    setUpcoming(leases.find((a) => a.id !== current?.id) ?? null);
    setProgress(mine);
    setLoaded(true);
  }, [show]);

  const loadNext = useCallback(async () => {
    if (!projectId) return;
    const data = await gql(NEXT_SLICES, { projectId });
    applyQueue(data.nextSlices, data.myProgress);
  }, [projectId, applyQueue]);

  useEffect(() => {
    if (!allowed || !projectId) return;
    setLoaded(false);
    loadNext().catch((e) => setError(describeError(e)));
    gql(PROJECT, { id: projectId })
      .then((d) => setProject(d.project))
      .catch((e) => setError(describeError(e)));
  }, [allowed, projectId, loadNext]);

  const live = useProjectEvents(allowed ? projectId : null, (e: ServerEvent) => {
    switch (e.type) {
      case 'queue:size':
        setProgress({ queueSize: e.size, readsDone: e.readsDone });
        break;
      case 'queue:reprioritised':
        setNotice('Your queue was reprioritised by the latest model round.');
        break;
      default:
        break;
    }
  });

  const act = useCallback(
    // `run` answers true when it already brought the next leases (a label does): no second request.
    async (run: () => Promise<boolean | void>) => {
      if (busyRef.current) return;
      busyRef.current = true;
      setError(null);
      try {
        if (!(await run())) await loadNext();
      } catch (e) {
        setError(describeError(e));
        // A lost lease or a label already counted: the fresh assignment is what the reader needs.
        if (e instanceof ApiError && ['ASSIGNMENT_EXPIRED', 'NO_ASSIGNMENT', 'ALREADY_LABELLED', 'SLICE_NOT_FOUND'].includes(e.code)) {
          await loadNext().catch(() => undefined);
        }
      } finally {
        busyRef.current = false;
        const queued = pendingRef.current;
        pendingRef.current = null;
        setPending(null);
        if (queued) {
          // Only onto the slice the key was pressed on; if the lease was lost meanwhile, say so.
          if (shownRef.current?.id !== queued.assignmentId) {
            setNotice(`A ${queued.kind} given while the slice changed was not saved: ${queued.kind} this slice again.`);
          } else if (queued.kind === 'label') labelRef.current(queued.value);
          else skipRef.current(queued.reason);
        }
      }
    },
    [loadNext],
  );

  const label = useCallback(
    (value: 0 | 1) => {
      if (!assignment) return;
      const shownAt = shownAtRef.current;
      if (!shownAt || shownAt.id !== assignment.id || performance.now() - shownAt.at < MIN_VIEW_MS) {
        setNotice(TOO_QUICK);
        return;
      }
      // The hint is about the press it answered; it must not linger over the next slices.
      setNotice((n) => (n === TOO_QUICK ? null : n));
      if (busyRef.current) {
        pendingRef.current = { kind: 'label', value, assignmentId: assignment.id };
        setPending(pendingRef.current);
        return;
      }
      markLabel();
      const done = assignment;
      // The slice leased ahead goes on screen at once; the label is saved meanwhile. The lease
      // id is the request id, so a retried submit can never count twice.
      const next = queueRef.current.find((a) => a.id !== done.id) ?? null;
      queueRef.current = queueRef.current.filter((a) => a.id !== done.id);
      if (next) {
        show(next);
        setUpcoming(null);
      }
      // On-screen time goes with the label for the lead's statistics only (reader-qc RQ14).
      const screenSeconds = (performance.now() - shownAt.at) / 1000;
      void act(async () => {
        const saved = await gql(SUBMIT_LABEL, { sliceId: done.slice.id, value, clientRequestId: done.id, screenSeconds });
        setFeedback(saved.submitLabel.feedback);
        setLastLabel(value);
        const { upcoming: leases, progress: mine } = saved.submitLabel;
        if (!leases || !mine) return false;
        applyQueue(leases, mine);
        return true;
      });
    },
    [assignment, act, show, applyQueue],
  );
  labelRef.current = label;

  const skip = useCallback(
    (reason: string) => {
      if (!assignment) return;
      setSkipping(false);
      if (busyRef.current) {
        pendingRef.current = { kind: 'skip', reason, assignmentId: assignment.id };
        setPending(pendingRef.current);
        return;
      }
      const sliceId = assignment.slice.id;
      queueRef.current = queueRef.current.filter((a) => a.id !== assignment.id);
      show(null);
      void act(async () => {
        await gql(SKIP_SLICE, { sliceId, reason });
        setLastLabel(null);
      });
    },
    [assignment, act, show],
  );
  skipRef.current = skip;

  const skipReasons = project?.reasonCodes.length ? project.reasonCodes : DEFAULT_SKIP_REASONS;

  useHotkeys(
    {
      // A held key repeats: that is never a second reading.
      '1': (e) => !e.repeat && label(1),
      '0': (e) => !e.repeat && label(0),
      s: () => assignment && setSkipping(true),
      ArrowUp: () => viewer.current?.scroll(-1),
      ArrowDown: () => viewer.current?.scroll(1),
      ' ': () => viewer.current?.reset(),
      i: () => viewer.current?.invert(),
      '+': () => viewer.current?.zoom(1.25),
      '=': () => viewer.current?.zoom(1.25),
      '-': () => viewer.current?.zoom(0.8),
      '?': () => setHelp((h) => !h),
      Escape: () => {
        setHelp(false);
        setSkipping(false);
      },
    },
    allowed && !help && !skipping,
  );
  useHotkeys(
    {
      Escape: () => {
        setHelp(false);
        setSkipping(false);
      },
      '?': () => setHelp(false),
      ...(skipping ? Object.fromEntries(skipReasons.slice(0, 9).map((r, i) => [String(i + 1), () => skip(r)])) : {}),
    },
    help || skipping,
  );

  const stack = useMemo(() => {
    if (!assignment) return { ids: [] as string[], target: 0 };
    const slices = [...assignment.slice.series.slices].sort((a, b) => a.position - b.position);
    const ids = slices.map((s) => imageIdFor(s.imageUrl));
    const target = Math.max(0, slices.findIndex((s) => s.id === assignment.slice.id));
    if (slices.length === 0) return { ids: [imageIdFor(assignment.slice.imageUrl)], target: 0 };
    return { ids, target };
  }, [assignment]);

  // The upcoming slice's whole series, decoded into the cache before it is needed.
  const prefetch = useMemo(() => (upcoming ? upcoming.slice.series.slices.map((x) => imageIdFor(x.imageUrl)) : []), [upcoming]);

  if (!me) return <Empty>Loading…</Empty>;
  if (!allowed) return <Forbidden page="labeling" />;
  if (!projectId) return <Empty>You are not a member of any project yet. Ask your lead to add you.</Empty>;

  return (
    <div className="workspace">
      <div className="workspace-main">
        {assignment ? (
          <Viewer
            imageIds={stack.ids}
            targetIndex={stack.target}
            prefetch={prefetch}
            controls={viewer}
            onTargetRendered={() => markNextImageShown()}
            onError={(m) => setError({ code: 'IMAGE', message: m })}
          />
        ) : (
          <Empty>{loaded ? 'Your queue is empty — thank you. New slices appear here when they are assigned.' : 'Loading your next slice…'}</Empty>
        )}
      </div>
      <aside className="side" aria-label="Labeling panel">
        <div className="row">
          <h2>Label</h2>
          <span className={`live ${live}`} title="Realtime connection">
            {live}
          </span>
        </div>
        {progress && (
          <div className="progress-own" data-testid="my-progress">
            <div>
              <b data-testid="reads-done">{progress.readsDone}</b> read · <b data-testid="queue-size">{progress.queueSize}</b> in your queue
            </div>
            <progress max={Math.max(1, progress.readsDone + progress.queueSize)} value={progress.readsDone} />
          </div>
        )}
        {assignment && (
          <div className="assignment" data-testid="assignment" data-slice-id={assignment.slice.id} data-labelable={labelableId === assignment.id ? 'true' : 'false'}>
            <span className="muted">Hold until {new Date(assignment.leaseExpiresAt).toLocaleTimeString()}</span>
          </div>
        )}
        <div className="label-buttons">
          <button type="button" className="label-1" disabled={!assignment} onClick={() => label(1)} data-testid="label-1">
            <kbd>1</kbd> Compression
          </button>
          <button type="button" className="label-0" disabled={!assignment} onClick={() => label(0)} data-testid="label-0">
            <kbd>0</kbd> None
          </button>
          <button type="button" className="skip" disabled={!assignment} onClick={() => setSkipping(true)}>
            <kbd>S</kbd> Skip…
          </button>
        </div>
        {pending !== null && (
          <div className="muted" data-testid="pending-label">
            {pending.kind === 'label' ? `Label ${pending.value}` : `Skip (${pending.reason})`} queued for this slice: saved as soon as the previous one is.
          </div>
        )}
        {lastLabel !== null && <div className="muted">Last label saved: {lastLabel}</div>}
        <ErrorNotice error={error} onDismiss={() => setError(null)} />
        {feedback && (
          <div className={`notice ${feedback.correct ? 'info' : 'warn'}`} role="status" data-testid="calibration-feedback">
            Calibration {feedback.answered} of {feedback.total}: {feedback.correct ? 'correct' : 'not what the guide says'}.
            {' '}Guide: {feedback.expected === 1 ? 'compression' : 'no compression'}: {feedback.reasoning}
            {feedback.passed === true && ' · Calibration passed: blinded reads start now.'}
            {feedback.passed === false && ' · Calibration not passed: your lead has been told and can unlock you.'}
          </div>
        )}
        {notice && (
          <div className="notice info" role="status" data-testid="notice">
            {notice}{' '}
            <button type="button" className="link" onClick={() => setNotice(null)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
        {assignment && <ViewerTools viewer={viewer} />}
        <LabelGuide reasonCodes={project?.reasonCodes ?? []} />
        <button type="button" className="link" onClick={() => setHelp(true)}>
          Keyboard shortcuts (?)
        </button>
      </aside>
      {help && <HelpOverlay hotkeys={HOTKEYS} onClose={() => setHelp(false)} />}
      {skipping && (
        <div className="modal-backdrop" role="dialog" aria-modal="true" aria-label="Skip this slice" data-testid="skip-dialog">
          <div className="modal">
            <h2>Skip this slice — why?</h2>
            <ol className="choices">
              {skipReasons.slice(0, 9).map((r, i) => (
                <li key={r}>
                  <button type="button" onClick={() => skip(r)} autoFocus={i === 0}>
                    <kbd>{i + 1}</kbd> {r}
                  </button>
                </li>
              ))}
            </ol>
            <button type="button" onClick={() => setSkipping(false)}>
              Cancel (Esc)
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError, gql } from '../../lib/graphql';
import { NEXT_SLICES, PROJECT, SKIP_SLICE, SUBMIT_LABEL } from '../../lib/queries';
import type { Assignment, MyProgress, Project, CalibrationFeedback } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';
import { markLabel } from '../../lib/metrics';

/** Shortest time a slice's image must be on screen before a label for it is taken. */
export const MIN_VIEW_MS = 250;
const TOO_QUICK = 'Too quick: a slice can be labelled once it has been on screen for a moment. Look, then press again.';

export type PendingAction = { assignmentId: string } & ({ kind: 'label'; value: 0 | 1 } | { kind: 'skip'; reason: string });

/**
 * A labeler's queue (LB, AS rules; web SPEC): the lease on screen and one leased ahead (its
 * images prefetched), labels saved in the background while the next slice is already shown, the
 * next leases taken from the label's own answer (one request per label), a key pressed while a
 * save runs kept for the slice it was pressed on, and the minimum view time before a label counts.
 */
export function useLabelQueue(projectId: string | null, allowed: boolean) {
  const [assignment, setAssignment] = useState<Assignment | null>(null);
  const [progress, setProgress] = useState<MyProgress | null>(null);
  const [project, setProject] = useState<Project | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Onboarding only (reader-qc RQ16): the guide's answer to the calibration slice just labelled.
  const [feedback, setFeedback] = useState<CalibrationFeedback | null>(null);
  const [lastLabel, setLastLabel] = useState<number | null>(null);
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

  return { assignment, progress, project, loaded, error, setError, notice, setNotice, feedback, lastLabel, upcoming, pending, labelableId, live, label, skip };
}

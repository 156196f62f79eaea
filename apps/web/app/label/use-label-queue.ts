'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { describeError, gql, gqlWithHeaders } from '../../lib/graphql';
import { NEXT_SLICES, PROJECT, SKIP_SLICE, SUBMIT_LABEL } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import type { Assignment, CalibrationFeedback } from '../../lib/shapes';
import { ownSocketHeader, useProjectEvents, type ServerEvent } from '../../lib/realtime';
import { markLabel } from '../../lib/metrics';
import {
  initialLabelQueue,
  labelableAt,
  MIN_VIEW_MS,
  step,
  type Failure,
  type LabelQueueEffect,
  type LabelQueueEvent,
  type LabelQueueState,
} from './label-queue';

export { MIN_VIEW_MS, type PendingAction } from './label-queue';

type State = LabelQueueState<Assignment, CalibrationFeedback>;
type Event = LabelQueueEvent<Assignment, CalibrationFeedback>;

/**
 * A labeler's queue (LB, AS rules; web SPEC WEB6, WEB11–WEB14): the state machine in label-queue.ts,
 * its requests made here, their answers fed back with the time they arrived. The project's
 * settings (skip reasons) come from the query cache.
 */
export function useLabelQueue(projectId: string | null, allowed: boolean) {
  // The machine's state is read synchronously by the next key press, before React re-renders.
  const stateRef = useRef<State>(initialLabelQueue());
  const [state, setState] = useState<State>(stateRef.current);
  const runRef = useRef<(effect: LabelQueueEffect) => void>(() => undefined);

  const dispatch = useCallback((event: Event) => {
    const { state: next, effects } = step(stateRef.current, event);
    stateRef.current = next;
    setState(next);
    for (const effect of effects) runRef.current(effect);
  }, []);

  const failed = (e: unknown) => dispatch({ type: 'failed', error: describeError(e), now: performance.now() });
  runRef.current = (effect) => {
    switch (effect.type) {
      case 'fetchQueue':
        if (!projectId) return;
        gql(NEXT_SLICES, { projectId }).then((d) => dispatch({ type: 'leases', leases: d.nextSlices, progress: d.myProgress, now: performance.now() }), failed);
        return;
      case 'submitLabel': {
        markLabel();
        const { sliceId, value, clientRequestId, screenSeconds } = effect;
        // This tab's socket is named so the server does not send it the progress this answer carries.
        gqlWithHeaders(projectId ? ownSocketHeader(projectId) : {}, SUBMIT_LABEL, { sliceId, value, clientRequestId, screenSeconds }).then(
          ({ submitLabel: saved }) =>
            dispatch({
              type: 'labelSaved',
              value,
              feedback: saved.feedback ?? null,
              leases: saved.upcoming ?? null,
              progress: saved.progress ?? null,
              now: performance.now(),
            }),
          failed,
        );
        return;
      }
      case 'skipSlice':
        gql(SKIP_SLICE, { sliceId: effect.sliceId, reason: effect.reason }).then(() => dispatch({ type: 'skipSaved' }), failed);
        return;
    }
  };

  useEffect(() => {
    if (allowed && projectId) dispatch({ type: 'start' });
  }, [allowed, projectId, dispatch]);

  const projectQuery = useQuery({
    queryKey: queryKeys.settings(projectId ?? ''),
    queryFn: async () => (await gql(PROJECT, { id: projectId ?? '' })).project,
    enabled: allowed && !!projectId,
  });
  useEffect(() => {
    if (projectQuery.error) dispatch({ type: 'error', error: describeError(projectQuery.error) });
  }, [projectQuery.error, dispatch]);

  const live = useProjectEvents(allowed ? projectId : null, (e: ServerEvent) => {
    switch (e.type) {
      case 'queue:size':
        dispatch({ type: 'progress', progress: { queueSize: e.size, readsDone: e.readsDone } });
        break;
      case 'queue:reprioritised':
        dispatch({ type: 'reprioritised' });
        break;
      default:
        break;
    }
  });

  // The assignment that has been on screen MIN_VIEW_MS: shown as data-labelable, so a reader's
  // tools and tests can see when a key press will be taken instead of guessing at the delay.
  // (Its image is prefetched and drawn within tens of ms; the viewer's draw event can fire before
  // this page listens, so the time of showing is the reliable mark.)
  const [labelableId, setLabelableId] = useState<string | null>(null);
  const shownId = state.shown?.id;
  useEffect(() => {
    if (!shownId) return;
    const at = labelableAt(stateRef.current) ?? performance.now() + MIN_VIEW_MS;
    const timer = setTimeout(() => setLabelableId(shownId), Math.max(0, at - performance.now()));
    return () => clearTimeout(timer);
  }, [shownId]);

  const label = useCallback((value: 0 | 1) => dispatch({ type: 'label', value, now: performance.now() }), [dispatch]);
  const skip = useCallback((reason: string) => dispatch({ type: 'skip', reason, now: performance.now() }), [dispatch]);
  const setError = useCallback((error: Failure | null) => dispatch({ type: 'error', error }), [dispatch]);
  const setNotice = useCallback((notice: string | null) => dispatch({ type: 'notice', notice }), [dispatch]);

  const { shown: assignment, progress, loaded, error, notice, feedback, lastLabel, upcoming, pending } = state;
  return {
    assignment,
    progress,
    project: projectQuery.data ?? null,
    loaded,
    error,
    setError,
    notice,
    setNotice,
    feedback,
    lastLabel,
    upcoming,
    pending,
    labelableId,
    live,
    label,
    skip,
  };
}

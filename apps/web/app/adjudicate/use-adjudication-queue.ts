'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError, gql } from '../../lib/graphql';
import type { AdjudicateMutationVariables } from '../../lib/gql/graphql';
import { ADJUDICATE, ADJUDICATION_QUEUE, PROJECT } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import type { AdjudicationItem, Project } from '../../lib/shapes';
import { useProjectEvents } from '../../lib/realtime';

type ApiFailure = { code: string; message: string };

/**
 * The project's open disagreements, live: cached, made stale by every `adjudication:queue` event
 * (lib/invalidations.ts), keeping the adjudicator on the item they were on while it is still open.
 */
export function useAdjudicationQueue(projectId: string | null, allowed: boolean, onError: (e: ApiFailure) => void) {
  const queryClient = useQueryClient();
  const [currentId, setCurrentId] = useState<string | null>(null);
  const enabled = allowed && !!projectId;
  const queueQuery = useQuery({
    queryKey: queryKeys.adjudicationQueue(projectId ?? ''),
    queryFn: async () => (await gql(ADJUDICATION_QUEUE, { projectId: projectId ?? '' })).adjudicationQueue,
    enabled,
  });
  const projectQuery = useQuery({
    queryKey: queryKeys.settings(projectId ?? ''),
    queryFn: async () => (await gql(PROJECT, { id: projectId ?? '' })).project,
    enabled,
  });
  const queue = queueQuery.data ?? null;

  // After every answer (even an unchanged one): stay on the current item while it is open, else take the first.
  useEffect(() => {
    if (!queue) return;
    setCurrentId((cur) => (cur && queue.some((i) => i.id === cur) ? cur : (queue[0]?.id ?? null)));
  }, [queue, queueQuery.dataUpdatedAt]);
  useEffect(() => {
    const failure = queueQuery.error ?? projectQuery.error;
    if (failure) onError(describeError(failure));
  }, [queueQuery.error, projectQuery.error, onError]);

  const refetch = useCallback(async () => {
    if (projectId) await queryClient.invalidateQueries({ queryKey: queryKeys.adjudicationQueue(projectId) });
  }, [projectId, queryClient]);

  const live = useProjectEvents(allowed ? projectId : null);
  const project: Project | null = projectQuery.data ?? null;

  const current = queue?.find((i) => i.id === currentId) ?? null;
  const move = (delta: number) => {
    if (!queue?.length) return;
    const i = queue.findIndex((q) => q.id === currentId);
    const next = queue[Math.min(Math.max(i + delta, 0), queue.length - 1)];
    if (next) setCurrentId(next.id);
  };
  return { queue, project, current, currentId, setCurrentId, refetch, live, move };
}

/**
 * One decision on the current item: value, reason and note, reset when the item changes; a
 * confirmed decision moves on to the next item and refetches (also after a refusal, since
 * someone else may have decided it).
 */
export function useDecision(current: AdjudicationItem | null, refetch: () => Promise<void>, moveOn: () => void, onError: (e: ApiFailure | null) => void) {
  const [value, setValue] = useState<0 | 1 | null>(null);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(0);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const currentId = current?.id ?? null;

  useEffect(() => {
    setValue(null);
    setNote('');
    setReason('');
  }, [currentId]);

  const adjudicate = useMutation({ mutationFn: (v: AdjudicateMutationVariables) => gql(ADJUDICATE, v) });
  const decide = useCallback(async () => {
    if (!current || value === null || !reason || busy) return;
    setBusy(true);
    onError(null);
    try {
      await adjudicate.mutateAsync({ itemId: current.id, value, reason, note: note.trim() || null });
      setDone((n) => n + 1);
      moveOn();
      await refetch();
    } catch (e) {
      onError(describeError(e));
      await refetch();
    } finally {
      setBusy(false);
    }
  }, [current, value, reason, note, busy, refetch, moveOn, onError, adjudicate]);

  return { value, setValue, reason, setReason, note, setNote, busy, done, decide, reasonRef, noteRef };
}

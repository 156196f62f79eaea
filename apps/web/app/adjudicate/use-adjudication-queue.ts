'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, gql } from '../../lib/graphql';
import { ADJUDICATE, ADJUDICATION_QUEUE, PROJECT } from '../../lib/queries';
import type { AdjudicationItem, Project } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';

type ApiFailure = { code: string; message: string };

/**
 * The project's open disagreements, live: refetched on every `adjudication:queue` event, keeping
 * the adjudicator on the item they were on while it is still open.
 */
export function useAdjudicationQueue(projectId: string | null, allowed: boolean, onError: (e: ApiFailure) => void) {
  const [queue, setQueue] = useState<AdjudicationItem[] | null>(null);
  const [project, setProject] = useState<Project | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);

  const refetch = useCallback(async () => {
    if (!projectId) return;
    try {
      const d = await gql(ADJUDICATION_QUEUE, { projectId });
      setQueue(d.adjudicationQueue);
      setCurrentId((cur) => (cur && d.adjudicationQueue.some((i) => i.id === cur) ? cur : (d.adjudicationQueue[0]?.id ?? null)));
    } catch (e) {
      onError(describeError(e));
    }
  }, [projectId, onError]);

  useEffect(() => {
    if (!allowed || !projectId) return;
    void refetch();
    gql(PROJECT, { id: projectId })
      .then((d) => setProject(d.project))
      .catch((e) => onError(describeError(e)));
  }, [allowed, projectId, refetch, onError]);

  const live = useProjectEvents(allowed ? projectId : null, (e: ServerEvent) => {
    if (e.type === 'adjudication:queue') void refetch();
  });

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

  const decide = useCallback(async () => {
    if (!current || value === null || !reason || busy) return;
    setBusy(true);
    onError(null);
    try {
      await gql(ADJUDICATE, { itemId: current.id, value, reason, note: note.trim() || null });
      setDone((n) => n + 1);
      moveOn();
      await refetch();
    } catch (e) {
      onError(describeError(e));
      await refetch();
    } finally {
      setBusy(false);
    }
  }, [current, value, reason, note, busy, refetch, moveOn, onError]);

  return { value, setValue, reason, setReason, note, setNote, busy, done, decide, reasonRef, noteRef };
}

'use client';
import { useCallback, useEffect, useState } from 'react';
import { describeError, gql } from '../../lib/graphql';
import { DASHBOARD } from '../../lib/queries';
import type { Dashboard, Progress } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';

export type Online = Extract<ServerEvent, { type: 'presence' }>['online'];
type ApiFailure = { code: string; message: string };

/**
 * The lead dashboard's data and its live updates: one query, refetched when reads, adjudications
 * or a training round change what it shows; presence, progress counts, training progress and
 * reader flags come straight from the project's events.
 */
export function useLeadDashboard(projectId: string | null, allowed: boolean) {
  const [data, setData] = useState<Dashboard | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [backlog, setBacklog] = useState<number | null>(null);
  const [training, setTraining] = useState<string | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [readerQcKey, setReaderQcKey] = useState(0);
  const [flagNotice, setFlagNotice] = useState<string | null>(null);
  const [online, setOnline] = useState<Online | null>(null);

  const load = useCallback(async () => {
    if (!projectId) return;
    try {
      const d = await gql(DASHBOARD, { projectId });
      setData(d);
      setProgress(d.project.progress);
      setBacklog(d.project.progress?.openAdjudications ?? null);
    } catch (e) {
      setError(describeError(e));
    }
  }, [projectId]);

  useEffect(() => {
    if (allowed) void load();
  }, [allowed, load]);

  const live = useProjectEvents(allowed ? projectId : null, (e: ServerEvent) => {
    switch (e.type) {
      case 'presence':
        setOnline(e.online);
        break;
      case 'progress':
        setProgress({ slices: e.slices, readsDone: e.readsDone, readsRequired: e.readsRequired, finalLabels: e.finalLabels, openAdjudications: e.openAdjudications, positiveFinal: e.positiveFinal });
        // Agreement figures move with every pair of reads; refetch them with the counts.
        void load();
        break;
      case 'adjudication:queue':
        setBacklog(e.size);
        void load();
        break;
      case 'training:progress':
        setTraining(`${e.stage} ${e.done}/${e.total}${e.epoch !== undefined ? ` · epoch ${e.epoch}` : ''}${e.loss !== undefined ? ` · loss ${e.loss.toFixed(3)}` : ''}`);
        break;
      case 'training:round':
        // No AUC here: the event's figure is on the test slices labelled so far, without an interval;
        // the evaluation table (refetched now) shows the reportable one.
        setTraining(`Round ${e.round} finished (${e.status})`);
        void load();
        break;
      case 'reader:flagged':
        setFlagNotice(`${e.reader} flagged: rolling gold accuracy ${e.accuracy.toFixed(2)} (95% CI ${e.low.toFixed(2)}–${e.high.toFixed(2)}, n ${e.n})${e.paused ? '; paused until resumed' : ''}`);
        setReaderQcKey((k) => k + 1);
        break;
      default:
        break;
    }
  });

  return { data, progress, backlog, training, setTraining, error, setError, readerQcKey, flagNotice, online, live, load };
}

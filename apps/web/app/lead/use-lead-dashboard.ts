'use client';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError, gql } from '../../lib/graphql';
import { DASHBOARD, FREEZE_EVALUATION_SET, PROMOTE_MODEL, TRIGGER_TRAINING } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import type { Progress } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';

export type Online = Extract<ServerEvent, { type: 'presence' }>['online'];
type ApiFailure = { code: string; message: string };

/**
 * The lead dashboard's data and its live updates: one cached query, made stale by the events that
 * change what it shows (reads, decisions, a training round: lib/invalidations.ts); presence,
 * progress counts, training progress and reader flags come straight from the project's events.
 */
export function useLeadDashboard(projectId: string | null, allowed: boolean) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [backlog, setBacklog] = useState<number | null>(null);
  const [training, setTraining] = useState<string | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [flagNotice, setFlagNotice] = useState<string | null>(null);
  const [online, setOnline] = useState<Online | null>(null);

  const { data, error: loadError } = useQuery({
    queryKey: queryKeys.dashboard(projectId ?? ''),
    queryFn: () => gql(DASHBOARD, { projectId: projectId ?? '' }),
    enabled: allowed && !!projectId,
  });
  // Each answer brings the counts as of its reading; events move them on between answers.
  useEffect(() => {
    if (!data) return;
    setProgress(data.project.progress);
    setBacklog(data.project.progress?.openAdjudications ?? null);
  }, [data]);
  useEffect(() => {
    if (loadError) setError(describeError(loadError));
  }, [loadError]);

  const live = useProjectEvents(allowed ? projectId : null, (e: ServerEvent) => {
    switch (e.type) {
      case 'presence':
        setOnline(e.online);
        break;
      case 'progress':
        setProgress({
          slices: e.slices,
          readsDone: e.readsDone,
          readsRequired: e.readsRequired,
          finalLabels: e.finalLabels,
          openAdjudications: e.openAdjudications,
          positiveFinal: e.positiveFinal,
        });
        break;
      case 'adjudication:queue':
        setBacklog(e.size);
        break;
      case 'training:progress':
        setTraining(
          `${e.stage} ${e.done}/${e.total}${e.epoch !== undefined ? ` · epoch ${e.epoch}` : ''}${e.loss !== undefined ? ` · loss ${e.loss.toFixed(3)}` : ''}`,
        );
        break;
      case 'training:round':
        // No AUC here: the event's figure is on the test slices labelled so far, without an interval;
        // the evaluation table (refetched now) shows the reportable one.
        setTraining(`Round ${e.round} finished (${e.status})`);
        break;
      case 'reader:flagged':
        setFlagNotice(
          `${e.reader} flagged: rolling gold accuracy ${e.accuracy.toFixed(2)} (95% CI ${e.low.toFixed(2)}–${e.high.toFixed(2)}, n ${e.n})${e.paused ? '; paused until resumed' : ''}`,
        );
        break;
      default:
        break;
    }
  });

  return { data: data ?? null, progress, backlog, training, setTraining, error, setError, flagNotice, online, live };
}

/**
 * The lead's actions. Each failure shows in the page's notice; promotion and freezing refetch
 * what they change, so every lead's dashboard shows the new state.
 */
export function useLeadActions(projectId: string | null, setError: (e: ApiFailure | null) => void, setTraining: (s: string) => void) {
  const queryClient = useQueryClient();
  const refetchDashboard = () => (projectId ? queryClient.invalidateQueries({ queryKey: queryKeys.dashboard(projectId) }) : undefined);
  const onMutate = () => setError(null);
  const onError = (e: unknown) => setError(describeError(e));

  const train = useMutation({
    mutationFn: (id: string) => gql(TRIGGER_TRAINING, { projectId: id }),
    onMutate,
    onError,
    onSuccess: (d) => setTraining(`Training job ${d.triggerTraining.state}`),
  });
  const promote = useMutation({
    mutationFn: (v: { modelVersionId: string; note: string | null }) => gql(PROMOTE_MODEL, v),
    onMutate,
    onError,
    onSuccess: refetchDashboard,
  });
  const freeze = useMutation({
    mutationFn: (id: string) => gql(FREEZE_EVALUATION_SET, { projectId: id }),
    onMutate,
    onError,
    onSuccess: refetchDashboard,
  });

  return {
    trainNow: () =>
      projectId
        ? train.mutateAsync(projectId).then(
            () => undefined,
            () => undefined,
          )
        : Promise.resolve(),
    promote: (modelVersionId: string, note: string | null) =>
      promote.mutateAsync({ modelVersionId, note }).then(
        () => undefined,
        () => undefined,
      ),
    freeze: () =>
      projectId
        ? freeze.mutateAsync(projectId).then(
            () => undefined,
            () => undefined,
          )
        : Promise.resolve(),
  };
}

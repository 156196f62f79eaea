'use client';
/**
 * The ingest batches of a project, the selected batch's per-file report, and the running counts
 * that arrive in ingest:progress events while a batch works.
 */
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError, gql } from '../../lib/graphql';
import { INGEST_BATCHES, INGEST_FILES } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import type { IngestBatch } from '../../lib/shapes';
import { useProjectEvents, type ServerEvent } from '../../lib/realtime';
import type { Err } from './errors';

export type LiveCounts = Record<string, { done: number; total: number }>;

export function useIngestBatches(projectId: string, setError: (e: Err) => void) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [live, setLive] = useState<LiveCounts>({});

  const batchesKey = queryKeys.ingestBatches(projectId);
  const batchesQuery = useQuery({ queryKey: batchesKey, queryFn: async () => (await gql(INGEST_BATCHES, { projectId })).ingestBatches });
  // The report stays on the last answer while another batch or filter loads, as it always has.
  const filesQuery = useQuery({
    queryKey: queryKeys.ingestFiles(projectId, selected ?? '', filter),
    queryFn: async () => (await gql(INGEST_FILES, { id: selected ?? '', status: filter || null })).ingestBatch.files,
    enabled: !!selected,
    placeholderData: keepPreviousData,
  });
  const batches = batchesQuery.data ?? null;
  useEffect(() => {
    const failure = batchesQuery.error ?? filesQuery.error;
    if (failure) setError(describeError(failure));
  }, [batchesQuery.error, filesQuery.error, setError]);
  const reload = () => void queryClient.invalidateQueries({ queryKey: batchesKey });

  // A batch's running counts come in its events; the list refetches when one finishes
  // (lib/invalidations.ts) or is new to this page.
  useProjectEvents(projectId, (e: ServerEvent) => {
    if (e.type !== 'ingest:progress') return;
    setLive((l) => ({ ...l, [e.batchId]: { done: e.done, total: e.total } }));
    if (!batches?.some((b) => b.id === e.batchId)) reload();
    queryClient.setQueryData<IngestBatch[]>(batchesKey, (bs) =>
      bs?.map((b) =>
        b.id === e.batchId
          ? { ...b, total: e.total, accepted: e.accepted, skipped: e.skipped, rejected: e.rejected, status: e.finished ? 'DONE' : b.status }
          : b,
      ),
    );
  });

  return { batches, files: filesQuery.data ?? null, live, selected, setSelected, filter, setFilter, reload };
}

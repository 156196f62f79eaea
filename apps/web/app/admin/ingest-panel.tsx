'use client';
/** Ingest from the browser: start a batch, watch it run, read what each file became. */
import { useCallback, useState } from 'react';
import { Empty, ErrorNotice } from '../../components/Notice';
import type { Err } from './errors';
import { IngestForms } from './ingest-forms';
import { BatchTable, FileReport } from './ingest-tables';
import { useIngestBatches } from './use-ingest-batches';

export function Ingest({ projectId }: { projectId: string }) {
  const [error, setErrorState] = useState<Err>(null);
  const setError = useCallback((e: Err) => setErrorState(e), []);
  const { batches, files, live, selected, setSelected, filter, setFilter, reload } = useIngestBatches(projectId, setError);
  const onStarted = (batchId: string) => {
    setSelected(batchId);
    reload();
  };

  return (
    <section className="panel" aria-label="Ingest">
      <h3>Ingest</h3>
      <IngestForms projectId={projectId} onStarted={onStarted} setError={setError} />
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {batches?.length === 0 && <Empty>No ingest batches yet.</Empty>}
      {!!batches?.length && <BatchTable batches={batches} live={live} onShowFiles={setSelected} />}
      {selected && files && <FileReport files={files} filter={filter} onFilter={setFilter} />}
    </section>
  );
}

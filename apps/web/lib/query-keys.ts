/**
 * Every query key the web app caches under, in one place, each beginning with the project it
 * belongs to (users alone belong to none): a socket event names its project, and
 * `invalidations.ts` maps it to these keys.
 */
export type QueryKey = readonly unknown[];

export const queryKeys = {
  /** Everything cached for one project. */
  project: (projectId: string) => ['project', projectId] as const,
  settings: (projectId: string) => ['project', projectId, 'settings'] as const,
  /** The lead's figures: counts, agreement, evaluation set and model versions (one request). */
  dashboard: (projectId: string) => ['project', projectId, 'dashboard'] as const,
  readerPerformance: (projectId: string) => ['project', projectId, 'reader-performance'] as const,
  stoppingSignal: (projectId: string) => ['project', projectId, 'stopping-signal'] as const,
  screening: (projectId: string, modelVersionId: string, k: number) => ['project', projectId, 'screening', modelVersionId, k] as const,
  adjudicationQueue: (projectId: string) => ['project', projectId, 'adjudication-queue'] as const,
  ingestBatches: (projectId: string) => ['project', projectId, 'ingest-batches'] as const,
  ingestFiles: (projectId: string, batchId: string, status: string) => ['project', projectId, 'ingest-files', batchId, status] as const,
  users: () => ['users'] as const,
} satisfies Record<string, (...args: never[]) => QueryKey>;

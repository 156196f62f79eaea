/**
 * The operation names the `operation` metric label may take: the web app's named operations.
 * Any other name (clients choose names freely) is counted as `other`, so no request can add a
 * series. A test checks this list against the names used in apps/web.
 */
export const KNOWN_OPERATIONS = [
  'Adjudicate',
  'AdjudicationQueue',
  'CompareVersions',
  'CreateUser',
  'Dashboard',
  'FreezeEvaluationSet',
  'IngestBatches',
  'IngestDicomweb',
  'IngestFiles',
  'Login',
  'Logout',
  'Me',
  'NextSlices',
  'Project',
  'PromoteModel',
  'ReaderPerformance',
  'ResumeReader',
  'Screening',
  'SetUserRoles',
  'SkipSlice',
  'StoppingSignal',
  'SubmitLabel',
  'TriggerTraining',
  'UnlockReader',
  'UnlockUser',
  'UpdateProject',
  'Users',
] as const;

const known: ReadonlySet<string> = new Set(KNOWN_OPERATIONS);

export function operationLabel(name: string | null | undefined): string {
  return name && known.has(name) ? name : 'other';
}

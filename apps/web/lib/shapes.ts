/**
 * Names for the answer shapes the pages pass around. Every one is derived from a type codegen
 * generates from schema.graphql and the documents in queries.ts (lib/gql/), so none can drift
 * from the API: ask for a new field in the document and it appears here.
 */
import type {
  AdjudicationQueueQuery,
  DashboardQuery,
  EstimateFieldsFragment,
  IngestBatchesQuery,
  IngestFilesQuery,
  NextSlicesQuery,
  ProjectFieldsFragment,
  ReaderPerformanceQuery,
  ScreeningQuery,
  ScreeningRowFieldsFragment,
  SliceFieldsFragment,
  StoppingSignalQuery,
  SubmitLabelMutation,
  UsersQuery,
} from './gql/graphql';

type Item<T> = T extends readonly (infer U)[] ? U : never;

export type { Role } from '@concord/contracts';
export type Slice = SliceFieldsFragment;
export type Assignment = Item<NextSlicesQuery['nextSlices']>;
export type MyProgress = NextSlicesQuery['myProgress'];
export type Project = ProjectFieldsFragment;
export type CalibrationFeedback = NonNullable<SubmitLabelMutation['submitLabel']['feedback']>;
export type AdjudicationItem = Item<AdjudicationQueueQuery['adjudicationQueue']>;

export type Dashboard = DashboardQuery;
export type Progress = NonNullable<NonNullable<DashboardQuery['project']>['progress']>;
export type AgreementStats = DashboardQuery['agreement'];
export type SelectionAgreement = Item<DashboardQuery['agreement']['bySelection']>;
export type EvaluationSet = NonNullable<DashboardQuery['evaluationSet']>;
export type ModelVersion = Item<DashboardQuery['modelVersions']>;
export type Estimate = EstimateFieldsFragment;
export type Screening = ScreeningQuery['screening'];
export type ScreeningRow = ScreeningRowFieldsFragment;
export type StoppingSignal = StoppingSignalQuery['stoppingSignal'];

export type ReaderPerformance = Item<ReaderPerformanceQuery['readerPerformance']>;
export type ReaderKappa = NonNullable<ReaderPerformance['agreementWithOthers']>;

export type UserRow = Item<UsersQuery['users']>;
export type IngestBatch = Item<IngestBatchesQuery['ingestBatches']>;
export type IngestFile = Item<NonNullable<IngestFilesQuery['ingestBatch']>['files']>;

/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { Role } from '@concord/contracts';
import type { Strategy as AlStrategy } from '@concord/contracts';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export { AlStrategy };

/** temperature (prior shift + temperature scaling) or none. */
export type CalibrationMethod =
  | 'none'
  | 'temperature';

export type IngestBatchStatus =
  | 'DONE'
  | 'FAILED'
  | 'RUNNING';

export type IngestFileStatus =
  | 'ACCEPTED'
  | 'REJECTED'
  | 'SKIPPED';

/** CURRENT is the version assignment ranks by; a project has at most one. */
export type ModelStatus =
  | 'CANDIDATE'
  | 'CURRENT'
  | 'RETIRED';

export type ProjectSettingsInput = {
  adjudicatorMayHaveRead?: boolean | null | undefined;
  /** 0–0.5. */
  alAuditShare?: number | null | undefined;
  /** 1–1000. */
  alBatchSize?: number | null | undefined;
  /** 1 or more. */
  alMaxPerPatient?: number | null | undefined;
  /** 0 or more (0: neighbouring slices may both be selected). */
  alMinGap?: number | null | undefined;
  alStrategy?: string | null | undefined;
  /** Above 0, at most 1 (default 0.8). */
  calibrationPassAt?: number | null | undefined;
  /** Needs calibration slices first. */
  calibrationRequired?: boolean | null | undefined;
  /** 0–1. */
  evaluationShare?: number | null | undefined;
  /** Above 0 and below 1; 0 turns flagging off. */
  goldFlagBelow?: number | null | undefined;
  /** 0–0.5 (default 0.05). */
  goldRate?: number | null | undefined;
  leaseSeconds?: number | null | undefined;
  pauseFlaggedReaders?: boolean | null | undefined;
  /** 0–0.5 (AUC). */
  promotionTolerance?: number | null | undefined;
  readsPerSlice?: number | null | undefined;
  reasonCodes?: Array<string> | null | undefined;
  repeatRate?: number | null | undefined;
  repeatWashout?: number | null | undefined;
  retrainEvery?: number | null | undefined;
  screeningK?: number | null | undefined;
  seriesRules?: SeriesRulesInput | null | undefined;
  /** 0.5–1. */
  targetSensitivity?: number | null | undefined;
};

/** How a version became current: the automatic validation gate, or a lead's promotion or rollback. */
export type PromotionBasis =
  | 'MANUAL'
  | 'VALIDATION';

/** A read as an adjudicator sees it: first or second, never who read it. */
export type ReaderSlot =
  | 'A'
  | 'B';

export { Role };

/** How a slice came to be read: RANDOM or SERIES (the plain queue), ACTIVE, AUDIT (active-learning batch), TEST (evaluation set). */
export type SelectionMode =
  | 'ACTIVE'
  | 'AUDIT'
  | 'RANDOM'
  | 'SERIES'
  | 'TEST';

export type SeriesRulesInput = {
  descriptionPattern?: string | null | undefined;
  maxAxialAngleDeg?: number | null | undefined;
  maxEchoTimeMs?: number | null | undefined;
  minEchoTimeMs?: number | null | undefined;
  minRepetitionTimeMs?: number | null | undefined;
};

/** Where a model's slice threshold came from. */
export type ThresholdSource =
  | 'DEFAULT'
  | 'VALIDATION';

/** A queued training round's state, as the job queue names it (a round waiting or running). */
export type TrainingJobState =
  | 'active'
  | 'created'
  | 'retry';

export type SliceFieldsFragment = { id: string, imageUrl: string, position: number, windowCenter: number | null, windowWidth: number | null, series: { id: string, description: string | null, slices: Array<{ id: string, position: number, imageUrl: string }> } };

export type EstimateFieldsFragment = { value: number, low: number, high: number, method: string, patients: number, slices: number };

export type ScreeningRowFieldsFragment = { minPositiveSlices: number, sensitivity: number | null, sensitivityLow: number | null, sensitivityHigh: number | null, specificity: number | null, specificityLow: number | null, specificityHigh: number | null, truePositives: number, falseNegatives: number, trueNegatives: number, falsePositives: number };

export type ProjectFieldsFragment = { id: string, name: string, readsPerSlice: number, leaseSeconds: number, reasonCodes: Array<string>, repeatRate: number, repeatWashout: number, adjudicatorMayHaveRead: boolean, retrainEvery: number, alStrategy: AlStrategy, screeningK: number, alBatchSize: number, alMaxPerPatient: number, alMinGap: number, promotionTolerance: number, seriesRules: { maxAxialAngleDeg: number, minEchoTimeMs: number, maxEchoTimeMs: number, minRepetitionTimeMs: number, descriptionPattern: string } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, username: string, roles: Array<Role>, projects: Array<{ id: string, name: string }> } };

export type LoginMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type LoginMutation = { login: { token: string } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type NextSlicesQueryVariables = Exact<{
  projectId: string;
}>;


export type NextSlicesQuery = { nextSlices: Array<{ id: string, leaseExpiresAt: string, slice: { id: string, imageUrl: string, position: number, windowCenter: number | null, windowWidth: number | null, series: { id: string, description: string | null, slices: Array<{ id: string, position: number, imageUrl: string }> } } }>, myProgress: { readsDone: number, queueSize: number } };

export type ProjectQueryVariables = Exact<{
  id: string;
}>;


export type ProjectQuery = { project: { id: string, name: string, readsPerSlice: number, leaseSeconds: number, reasonCodes: Array<string>, repeatRate: number, repeatWashout: number, adjudicatorMayHaveRead: boolean, retrainEvery: number, alStrategy: AlStrategy, screeningK: number, alBatchSize: number, alMaxPerPatient: number, alMinGap: number, promotionTolerance: number, seriesRules: { maxAxialAngleDeg: number, minEchoTimeMs: number, maxEchoTimeMs: number, minRepetitionTimeMs: number, descriptionPattern: string } } };

export type SubmitLabelMutationVariables = Exact<{
  sliceId: string;
  value: number;
  clientRequestId?: string | null | undefined;
  screenSeconds?: number | null | undefined;
}>;


export type SubmitLabelMutation = { submitLabel: { ok: boolean, sliceId: string, value: number, duplicate: boolean, feedback: { correct: boolean, expected: number, reasoning: string, answered: number, total: number, passed: boolean | null } | null, upcoming: Array<{ id: string, leaseExpiresAt: string, slice: { id: string, imageUrl: string, position: number, windowCenter: number | null, windowWidth: number | null, series: { id: string, description: string | null, slices: Array<{ id: string, position: number, imageUrl: string }> } } }> | null, progress: { readsDone: number, queueSize: number } | null } };

export type SkipSliceMutationVariables = Exact<{
  sliceId: string;
  reason: string;
}>;


export type SkipSliceMutation = { skipSlice: boolean };

export type AdjudicationQueueQueryVariables = Exact<{
  projectId: string;
}>;


export type AdjudicationQueueQuery = { adjudicationQueue: Array<{ id: string, openedAt: string, reads: Array<{ reader: ReaderSlot, value: number }>, slice: { id: string, imageUrl: string, position: number, windowCenter: number | null, windowWidth: number | null, series: { id: string, description: string | null, slices: Array<{ id: string, position: number, imageUrl: string }> } } }> };

export type AdjudicateMutationVariables = Exact<{
  itemId: string;
  value: number;
  reason: string;
  note?: string | null | undefined;
}>;


export type AdjudicateMutation = { adjudicate: { id: string, itemId: string, value: number, reason: string, note: string | null, createdAt: string } };

export type DashboardQueryVariables = Exact<{
  projectId: string;
}>;


export type DashboardQuery = { project: { id: string, name: string, screeningK: number, retrainEvery: number, progress: { slices: number, readsDone: number, readsRequired: number, finalLabels: number, openAdjudications: number, positiveFinal: number } | null }, agreement: { pairs: number, percentAgreement: number, positiveAgreement: number, negativeAgreement: number, kappa: number, kappaLow: number, kappaHigh: number, pabak: number, gwetAc1: number, table: Array<Array<number>>, readerPairs: Array<{ readerA: string, readerB: string, pairs: number, percentAgreement: number, kappa: number, kappaLow: number, kappaHigh: number }>, readers: Array<{ reader: string, reads: number, sensitivity: number | null, specificity: number | null, mcnemarP: number | null, positiveRate: number }>, intraReader: Array<{ reader: string, pairs: number, percentAgreement: number, kappa: number | null }>, bySelection: Array<{ mode: SelectionMode, pairs: number, percentAgreement: number | null, kappa: number | null, kappaLow: number | null, kappaHigh: number | null, positiveAgreement: number | null, negativeAgreement: number | null }> }, evaluationSet: { id: string, frozenAt: string | null, patients: number, cases: number | null, controls: number | null, slices: number, labelledSlices: number, complete: boolean }, modelVersions: Array<{ id: string, round: number, status: ModelStatus, backbone: string, backend: string, strategy: AlStrategy, labelCount: number, createdAt: string, metrics: { accuracy: number | null, sensitivity: number | null, specificity: number | null, auc: number | null, aucLow: number | null, aucHigh: number | null, threshold: number, thresholdChosenOn: ThresholdSource, ece: number | null, testSlices: number, testPatients: number }, evaluation: { complete: boolean, labelledSlices: number, slices: number, insufficient: Array<string>, auc: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, sensitivity: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, specificity: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, balancedAccuracy: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, patientSensitivity: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, patientSpecificity: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null }, promotion: { basis: PromotionBasis, decidedAt: string, decidedBy: string | null, note: string | null } | null, validation: { slices: number, candidateAuc: number | null, currentAuc: number | null } | null, operatingPoint: { threshold: number, rule: string, target: number, achieved: number | null, n: number } | null, calibration: { method: CalibrationMethod, temperature: number, priorShift: number, eceBefore: number | null, eceAfter: number | null, slices: number } | null }> };

export type ScreeningQueryVariables = Exact<{
  modelVersionId: string;
  k?: number | null | undefined;
}>;


export type ScreeningQuery = { screening: { modelVersionId: string, minPositiveSlices: number, row: { minPositiveSlices: number, sensitivity: number | null, sensitivityLow: number | null, sensitivityHigh: number | null, specificity: number | null, specificityLow: number | null, specificityHigh: number | null, truePositives: number, falseNegatives: number, trueNegatives: number, falsePositives: number }, roc: Array<{ minPositiveSlices: number, sensitivity: number | null, sensitivityLow: number | null, sensitivityHigh: number | null, specificity: number | null, specificityLow: number | null, specificityHigh: number | null, truePositives: number, falseNegatives: number, trueNegatives: number, falsePositives: number }> } };

export type PromoteModelMutationVariables = Exact<{
  modelVersionId: string;
  note?: string | null | undefined;
}>;


export type PromoteModelMutation = { promoteModel: { id: string, status: ModelStatus } };

export type FreezeEvaluationSetMutationVariables = Exact<{
  projectId: string;
}>;


export type FreezeEvaluationSetMutation = { freezeEvaluationSet: { id: string, frozenAt: string | null } };

export type CompareVersionsQueryVariables = Exact<{
  a: string;
  b: string;
}>;


export type CompareVersionsQuery = { compareVersions: { value: number, low: number, high: number, method: string, patients: number, slices: number } };

export type StoppingSignalQueryVariables = Exact<{
  projectId: string;
}>;


export type StoppingSignalQuery = { stoppingSignal: { window: number, plateau: boolean, verdict: string, steps: Array<{ fromRound: number, toRound: number, labels: number, insufficient: string | null, delta: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null }> } };

export type TriggerTrainingMutationVariables = Exact<{
  projectId: string;
}>;


export type TriggerTrainingMutation = { triggerTraining: { id: string, state: TrainingJobState } };

export type UsersQueryVariables = Exact<{ [key: string]: never; }>;


export type UsersQuery = { users: Array<{ id: string, username: string, roles: Array<Role>, projects: Array<{ id: string, name: string }> }> };

export type CreateUserMutationVariables = Exact<{
  username: string;
  password: string;
  roles: Array<Role> | Role;
  projectIds?: Array<string> | string | null | undefined;
}>;


export type CreateUserMutation = { createUser: { id: string, username: string, roles: Array<Role>, projects: Array<{ id: string, name: string }> } };

export type SetUserRolesMutationVariables = Exact<{
  userId: string;
  roles: Array<Role> | Role;
}>;


export type SetUserRolesMutation = { setUserRoles: { id: string, username: string, roles: Array<Role>, projects: Array<{ id: string, name: string }> } };

export type UnlockUserMutationVariables = Exact<{
  userId: string;
}>;


export type UnlockUserMutation = { unlockUser: boolean };

export type UpdateProjectMutationVariables = Exact<{
  id: string;
  settings: ProjectSettingsInput;
}>;


export type UpdateProjectMutation = { updateProject: { id: string, name: string, readsPerSlice: number, leaseSeconds: number, reasonCodes: Array<string>, repeatRate: number, repeatWashout: number, adjudicatorMayHaveRead: boolean, retrainEvery: number, alStrategy: AlStrategy, screeningK: number, alBatchSize: number, alMaxPerPatient: number, alMinGap: number, promotionTolerance: number, seriesRules: { maxAxialAngleDeg: number, minEchoTimeMs: number, maxEchoTimeMs: number, minRepetitionTimeMs: number, descriptionPattern: string } } };

export type IngestDicomwebMutationVariables = Exact<{
  projectId: string;
  url: string;
  studyUid?: string | null | undefined;
}>;


export type IngestDicomwebMutation = { ingestDicomweb: { id: string } };

export type IngestBatchesQueryVariables = Exact<{
  projectId: string;
}>;


export type IngestBatchesQuery = { ingestBatches: Array<{ id: string, source: string, status: IngestBatchStatus, total: number, accepted: number, skipped: number, rejected: number, startedAt: string, finishedAt: string | null }> };

export type IngestFilesQueryVariables = Exact<{
  id: string;
  status?: string | null | undefined;
}>;


export type IngestFilesQuery = { ingestBatch: { id: string, files: Array<{ path: string, status: IngestFileStatus, reason: string, detail: string | null }> } };

export type ReaderPerformanceQueryVariables = Exact<{
  projectId: string;
}>;


export type ReaderPerformanceQuery = { readerPerformance: Array<{ reader: string, userId: string, reads: number, goldReads: number, medianSecondsPerRead: number | null, p90SecondsPerRead: number | null, timedReads: number, fastReads: number, medianScreenSeconds: number | null, screenTimedReads: number, flagged: boolean, paused: boolean, insufficient: Array<string>, goldAccuracy: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, goldSensitivity: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, goldSpecificity: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, rollingGoldAccuracy: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null, goldTrend: Array<{ fromGoldRead: number, toGoldRead: number, accuracy: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null }>, agreementWithOthers: { pairs: number, percentAgreement: number, kappa: number | null, kappaLow: number | null, kappaHigh: number | null, method: string } | null, calibration: { answered: number, total: number, passed: boolean | null, accuracy: { value: number, low: number, high: number, method: string, patients: number, slices: number } | null } | null, intraReader: { pairs: number, percentAgreement: number, kappa: number | null, kappaLow: number | null, kappaHigh: number | null, method: string } | null }> };

export type ResumeReaderMutationVariables = Exact<{
  projectId: string;
  userId: string;
}>;


export type ResumeReaderMutation = { resumeReader: boolean };

export type UnlockReaderMutationVariables = Exact<{
  projectId: string;
  userId: string;
}>;


export type UnlockReaderMutation = { unlockReader: boolean };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const SliceFieldsFragmentDoc = new TypedDocumentString(`
    fragment SliceFields on Slice {
  id
  imageUrl
  position
  windowCenter
  windowWidth
  series {
    id
    description
    slices {
      id
      position
      imageUrl
    }
  }
}
    `, {"fragmentName":"SliceFields"}) as unknown as TypedDocumentString<SliceFieldsFragment, unknown>;
export const EstimateFieldsFragmentDoc = new TypedDocumentString(`
    fragment EstimateFields on Estimate {
  value
  low
  high
  method
  patients
  slices
}
    `, {"fragmentName":"EstimateFields"}) as unknown as TypedDocumentString<EstimateFieldsFragment, unknown>;
export const ScreeningRowFieldsFragmentDoc = new TypedDocumentString(`
    fragment ScreeningRowFields on ScreeningRow {
  minPositiveSlices
  sensitivity
  sensitivityLow
  sensitivityHigh
  specificity
  specificityLow
  specificityHigh
  truePositives
  falseNegatives
  trueNegatives
  falsePositives
}
    `, {"fragmentName":"ScreeningRowFields"}) as unknown as TypedDocumentString<ScreeningRowFieldsFragment, unknown>;
export const ProjectFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProjectFields on Project {
  id
  name
  readsPerSlice
  leaseSeconds
  reasonCodes
  repeatRate
  repeatWashout
  adjudicatorMayHaveRead
  retrainEvery
  alStrategy
  screeningK
  alBatchSize
  alMaxPerPatient
  alMinGap
  promotionTolerance
  seriesRules {
    maxAxialAngleDeg
    minEchoTimeMs
    maxEchoTimeMs
    minRepetitionTimeMs
    descriptionPattern
  }
}
    `, {"fragmentName":"ProjectFields"}) as unknown as TypedDocumentString<ProjectFieldsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    username
    roles
    projects {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) {
    token
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const NextSlicesDocument = new TypedDocumentString(`
    query NextSlices($projectId: ID!) {
  nextSlices(projectId: $projectId, count: 2) {
    id
    leaseExpiresAt
    slice {
      ...SliceFields
    }
  }
  myProgress(projectId: $projectId) {
    readsDone
    queueSize
  }
}
    fragment SliceFields on Slice {
  id
  imageUrl
  position
  windowCenter
  windowWidth
  series {
    id
    description
    slices {
      id
      position
      imageUrl
    }
  }
}`) as unknown as TypedDocumentString<NextSlicesQuery, NextSlicesQueryVariables>;
export const ProjectDocument = new TypedDocumentString(`
    query Project($id: ID!) {
  project(id: $id) {
    ...ProjectFields
  }
}
    fragment ProjectFields on Project {
  id
  name
  readsPerSlice
  leaseSeconds
  reasonCodes
  repeatRate
  repeatWashout
  adjudicatorMayHaveRead
  retrainEvery
  alStrategy
  screeningK
  alBatchSize
  alMaxPerPatient
  alMinGap
  promotionTolerance
  seriesRules {
    maxAxialAngleDeg
    minEchoTimeMs
    maxEchoTimeMs
    minRepetitionTimeMs
    descriptionPattern
  }
}`) as unknown as TypedDocumentString<ProjectQuery, ProjectQueryVariables>;
export const SubmitLabelDocument = new TypedDocumentString(`
    mutation SubmitLabel($sliceId: ID!, $value: Int!, $clientRequestId: ID, $screenSeconds: Float) {
  submitLabel(
    sliceId: $sliceId
    value: $value
    clientRequestId: $clientRequestId
    screenSeconds: $screenSeconds
    lookahead: 2
  ) {
    ok
    sliceId
    value
    duplicate
    feedback {
      correct
      expected
      reasoning
      answered
      total
      passed
    }
    upcoming {
      id
      leaseExpiresAt
      slice {
        ...SliceFields
      }
    }
    progress {
      readsDone
      queueSize
    }
  }
}
    fragment SliceFields on Slice {
  id
  imageUrl
  position
  windowCenter
  windowWidth
  series {
    id
    description
    slices {
      id
      position
      imageUrl
    }
  }
}`) as unknown as TypedDocumentString<SubmitLabelMutation, SubmitLabelMutationVariables>;
export const SkipSliceDocument = new TypedDocumentString(`
    mutation SkipSlice($sliceId: ID!, $reason: String!) {
  skipSlice(sliceId: $sliceId, reason: $reason)
}
    `) as unknown as TypedDocumentString<SkipSliceMutation, SkipSliceMutationVariables>;
export const AdjudicationQueueDocument = new TypedDocumentString(`
    query AdjudicationQueue($projectId: ID!) {
  adjudicationQueue(projectId: $projectId) {
    id
    openedAt
    reads {
      reader
      value
    }
    slice {
      ...SliceFields
    }
  }
}
    fragment SliceFields on Slice {
  id
  imageUrl
  position
  windowCenter
  windowWidth
  series {
    id
    description
    slices {
      id
      position
      imageUrl
    }
  }
}`) as unknown as TypedDocumentString<AdjudicationQueueQuery, AdjudicationQueueQueryVariables>;
export const AdjudicateDocument = new TypedDocumentString(`
    mutation Adjudicate($itemId: ID!, $value: Int!, $reason: String!, $note: String) {
  adjudicate(itemId: $itemId, value: $value, reason: $reason, note: $note) {
    id
    itemId
    value
    reason
    note
    createdAt
  }
}
    `) as unknown as TypedDocumentString<AdjudicateMutation, AdjudicateMutationVariables>;
export const DashboardDocument = new TypedDocumentString(`
    query Dashboard($projectId: ID!) {
  project(id: $projectId) {
    id
    name
    screeningK
    retrainEvery
    progress {
      slices
      readsDone
      readsRequired
      finalLabels
      openAdjudications
      positiveFinal
    }
  }
  agreement(projectId: $projectId) {
    pairs
    percentAgreement
    positiveAgreement
    negativeAgreement
    kappa
    kappaLow
    kappaHigh
    pabak
    gwetAc1
    table
    readerPairs {
      readerA
      readerB
      pairs
      percentAgreement
      kappa
      kappaLow
      kappaHigh
    }
    readers {
      reader
      reads
      sensitivity
      specificity
      mcnemarP
      positiveRate
    }
    intraReader {
      reader
      pairs
      percentAgreement
      kappa
    }
    bySelection {
      mode
      pairs
      percentAgreement
      kappa
      kappaLow
      kappaHigh
      positiveAgreement
      negativeAgreement
    }
  }
  evaluationSet(projectId: $projectId) {
    id
    frozenAt
    patients
    cases
    controls
    slices
    labelledSlices
    complete
  }
  modelVersions(projectId: $projectId) {
    id
    round
    status
    backbone
    backend
    strategy
    labelCount
    createdAt
    metrics {
      accuracy
      sensitivity
      specificity
      auc
      aucLow
      aucHigh
      threshold
      thresholdChosenOn
      ece
      testSlices
      testPatients
    }
    evaluation {
      complete
      labelledSlices
      slices
      insufficient
      auc {
        ...EstimateFields
      }
      sensitivity {
        ...EstimateFields
      }
      specificity {
        ...EstimateFields
      }
      balancedAccuracy {
        ...EstimateFields
      }
      patientSensitivity {
        ...EstimateFields
      }
      patientSpecificity {
        ...EstimateFields
      }
    }
    promotion {
      basis
      decidedAt
      decidedBy
      note
    }
    validation {
      slices
      candidateAuc
      currentAuc
    }
    operatingPoint {
      threshold
      rule
      target
      achieved
      n
    }
    calibration {
      method
      temperature
      priorShift
      eceBefore
      eceAfter
      slices
    }
  }
}
    fragment EstimateFields on Estimate {
  value
  low
  high
  method
  patients
  slices
}`) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const ScreeningDocument = new TypedDocumentString(`
    query Screening($modelVersionId: ID!, $k: Int) {
  screening(modelVersionId: $modelVersionId, minPositiveSlices: $k) {
    modelVersionId
    minPositiveSlices
    row {
      ...ScreeningRowFields
    }
    roc {
      ...ScreeningRowFields
    }
  }
}
    fragment ScreeningRowFields on ScreeningRow {
  minPositiveSlices
  sensitivity
  sensitivityLow
  sensitivityHigh
  specificity
  specificityLow
  specificityHigh
  truePositives
  falseNegatives
  trueNegatives
  falsePositives
}`) as unknown as TypedDocumentString<ScreeningQuery, ScreeningQueryVariables>;
export const PromoteModelDocument = new TypedDocumentString(`
    mutation PromoteModel($modelVersionId: ID!, $note: String) {
  promoteModel(modelVersionId: $modelVersionId, note: $note) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<PromoteModelMutation, PromoteModelMutationVariables>;
export const FreezeEvaluationSetDocument = new TypedDocumentString(`
    mutation FreezeEvaluationSet($projectId: ID!) {
  freezeEvaluationSet(projectId: $projectId) {
    id
    frozenAt
  }
}
    `) as unknown as TypedDocumentString<FreezeEvaluationSetMutation, FreezeEvaluationSetMutationVariables>;
export const CompareVersionsDocument = new TypedDocumentString(`
    query CompareVersions($a: ID!, $b: ID!) {
  compareVersions(a: $a, b: $b) {
    ...EstimateFields
  }
}
    fragment EstimateFields on Estimate {
  value
  low
  high
  method
  patients
  slices
}`) as unknown as TypedDocumentString<CompareVersionsQuery, CompareVersionsQueryVariables>;
export const StoppingSignalDocument = new TypedDocumentString(`
    query StoppingSignal($projectId: ID!) {
  stoppingSignal(projectId: $projectId) {
    window
    plateau
    verdict
    steps {
      fromRound
      toRound
      labels
      insufficient
      delta {
        ...EstimateFields
      }
    }
  }
}
    fragment EstimateFields on Estimate {
  value
  low
  high
  method
  patients
  slices
}`) as unknown as TypedDocumentString<StoppingSignalQuery, StoppingSignalQueryVariables>;
export const TriggerTrainingDocument = new TypedDocumentString(`
    mutation TriggerTraining($projectId: ID!) {
  triggerTraining(projectId: $projectId) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<TriggerTrainingMutation, TriggerTrainingMutationVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users {
  users {
    id
    username
    roles
    projects {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($username: String!, $password: String!, $roles: [Role!]!, $projectIds: [ID!]) {
  createUser(
    username: $username
    password: $password
    roles: $roles
    projectIds: $projectIds
  ) {
    id
    username
    roles
    projects {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const SetUserRolesDocument = new TypedDocumentString(`
    mutation SetUserRoles($userId: ID!, $roles: [Role!]!) {
  setUserRoles(userId: $userId, roles: $roles) {
    id
    username
    roles
    projects {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<SetUserRolesMutation, SetUserRolesMutationVariables>;
export const UnlockUserDocument = new TypedDocumentString(`
    mutation UnlockUser($userId: ID!) {
  unlockUser(userId: $userId)
}
    `) as unknown as TypedDocumentString<UnlockUserMutation, UnlockUserMutationVariables>;
export const UpdateProjectDocument = new TypedDocumentString(`
    mutation UpdateProject($id: ID!, $settings: ProjectSettingsInput!) {
  updateProject(id: $id, settings: $settings) {
    ...ProjectFields
  }
}
    fragment ProjectFields on Project {
  id
  name
  readsPerSlice
  leaseSeconds
  reasonCodes
  repeatRate
  repeatWashout
  adjudicatorMayHaveRead
  retrainEvery
  alStrategy
  screeningK
  alBatchSize
  alMaxPerPatient
  alMinGap
  promotionTolerance
  seriesRules {
    maxAxialAngleDeg
    minEchoTimeMs
    maxEchoTimeMs
    minRepetitionTimeMs
    descriptionPattern
  }
}`) as unknown as TypedDocumentString<UpdateProjectMutation, UpdateProjectMutationVariables>;
export const IngestDicomwebDocument = new TypedDocumentString(`
    mutation IngestDicomweb($projectId: ID!, $url: String!, $studyUid: String) {
  ingestDicomweb(projectId: $projectId, url: $url, studyUid: $studyUid) {
    id
  }
}
    `) as unknown as TypedDocumentString<IngestDicomwebMutation, IngestDicomwebMutationVariables>;
export const IngestBatchesDocument = new TypedDocumentString(`
    query IngestBatches($projectId: ID!) {
  ingestBatches(projectId: $projectId) {
    id
    source
    status
    total
    accepted
    skipped
    rejected
    startedAt
    finishedAt
  }
}
    `) as unknown as TypedDocumentString<IngestBatchesQuery, IngestBatchesQueryVariables>;
export const IngestFilesDocument = new TypedDocumentString(`
    query IngestFiles($id: ID!, $status: String) {
  ingestBatch(id: $id) {
    id
    files(status: $status, limit: 500) {
      path
      status
      reason
      detail
    }
  }
}
    `) as unknown as TypedDocumentString<IngestFilesQuery, IngestFilesQueryVariables>;
export const ReaderPerformanceDocument = new TypedDocumentString(`
    query ReaderPerformance($projectId: ID!) {
  readerPerformance(projectId: $projectId) {
    reader
    userId
    reads
    goldReads
    goldAccuracy {
      ...EstimateFields
    }
    goldSensitivity {
      ...EstimateFields
    }
    goldSpecificity {
      ...EstimateFields
    }
    rollingGoldAccuracy {
      ...EstimateFields
    }
    goldTrend {
      fromGoldRead
      toGoldRead
      accuracy {
        ...EstimateFields
      }
    }
    medianSecondsPerRead
    p90SecondsPerRead
    timedReads
    fastReads
    medianScreenSeconds
    screenTimedReads
    flagged
    paused
    insufficient
    agreementWithOthers {
      pairs
      percentAgreement
      kappa
      kappaLow
      kappaHigh
      method
    }
    calibration {
      answered
      total
      passed
      accuracy {
        ...EstimateFields
      }
    }
    intraReader {
      pairs
      percentAgreement
      kappa
      kappaLow
      kappaHigh
      method
    }
  }
}
    fragment EstimateFields on Estimate {
  value
  low
  high
  method
  patients
  slices
}`) as unknown as TypedDocumentString<ReaderPerformanceQuery, ReaderPerformanceQueryVariables>;
export const ResumeReaderDocument = new TypedDocumentString(`
    mutation ResumeReader($projectId: ID!, $userId: ID!) {
  resumeReader(projectId: $projectId, userId: $userId)
}
    `) as unknown as TypedDocumentString<ResumeReaderMutation, ResumeReaderMutationVariables>;
export const UnlockReaderDocument = new TypedDocumentString(`
    mutation UnlockReader($projectId: ID!, $userId: ID!) {
  unlockReader(projectId: $projectId, userId: $userId)
}
    `) as unknown as TypedDocumentString<UnlockReaderMutation, UnlockReaderMutationVariables>;
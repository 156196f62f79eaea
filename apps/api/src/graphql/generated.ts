import type { Role } from '@concord/contracts';
import type { Strategy as AlStrategy } from '@concord/contracts';
import type { GraphQLResolveInfo } from 'graphql';
import type { ProjectRow } from '../projects/projects.queries.js';
import type { UserRow } from '../users/users.queries.js';
import type { AssignmentRow } from '../assignment/assignment.queries.js';
import type { SliceRow, SeriesRow } from '../slices/slices.queries.js';
import type { QueueItemRow } from '../adjudication/adjudication.queries.js';
import type { IngestBatchRow } from '../ingest/ingest-batches.queries.js';
import type { ModelVersionRow } from '../model-versions/model-versions.queries.js';
import type { RequestContext } from '../server/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type EnumResolverSignature<T, AllowedValues = any> = { [key in keyof T]?: AllowedValues };
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
};

export type Adjudication = {
  __typename?: 'Adjudication';
  createdAt: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  itemId: Scalars['ID']['output'];
  note: Maybe<Scalars['String']['output']>;
  reason: Scalars['String']['output'];
  value: Scalars['Int']['output'];
};

export type AdjudicationItem = {
  __typename?: 'AdjudicationItem';
  id: Scalars['ID']['output'];
  openedAt: Scalars['String']['output'];
  reads: Array<Read>;
  slice: Slice;
};

export type AgreementStats = {
  __typename?: 'AgreementStats';
  /** Agreement per selection mode (RANDOM or SERIES = the plain queue, ACTIVE, AUDIT, TEST): uncertainty-picked slices agree less. */
  bySelection: Array<SelectionAgreement>;
  gwetAc1: Scalars['Float']['output'];
  intraReader: Array<IntraReaderAgreement>;
  kappa: Scalars['Float']['output'];
  kappaHigh: Scalars['Float']['output'];
  kappaLow: Scalars['Float']['output'];
  negativeAgreement: Scalars['Float']['output'];
  pabak: Scalars['Float']['output'];
  pairs: Scalars['Int']['output'];
  percentAgreement: Scalars['Float']['output'];
  positiveAgreement: Scalars['Float']['output'];
  readerPairs: Array<ReaderPairAgreement>;
  readers: Array<ReaderAccuracy>;
  /** 2x2 table of reader A (first read) against reader B: [[a00, a01], [a10, a11]]. */
  table: Array<Array<Scalars['Int']['output']>>;
};

export { AlStrategy };

export type Assignment = {
  __typename?: 'Assignment';
  id: Scalars['ID']['output'];
  leaseExpiresAt: Scalars['String']['output'];
  slice: Slice;
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  token: Scalars['String']['output'];
  user: User;
};

export type Calibration = {
  __typename?: 'Calibration';
  eceAfter: Maybe<Scalars['Float']['output']>;
  eceBefore: Maybe<Scalars['Float']['output']>;
  /** temperature (prior shift + temperature scaling) or none. */
  method: CalibrationMethod;
  priorShift: Scalars['Float']['output'];
  slices: Scalars['Int']['output'];
  temperature: Scalars['Float']['output'];
};

export type CalibrationFeedback = {
  __typename?: 'CalibrationFeedback';
  answered: Scalars['Int']['output'];
  correct: Scalars['Boolean']['output'];
  expected: Scalars['Int']['output'];
  /** Null until the whole calibration set is answered. */
  passed: Maybe<Scalars['Boolean']['output']>;
  reasoning: Scalars['String']['output'];
  total: Scalars['Int']['output'];
};

export type CalibrationItemInput = {
  reasoning: Scalars['String']['input'];
  sliceId: Scalars['ID']['input'];
  value: Scalars['Int']['input'];
};

/** temperature (prior shift + temperature scaling) or none. */
export type CalibrationMethod =
  | 'none'
  | 'temperature';

export type Estimate = {
  __typename?: 'Estimate';
  high: Scalars['Float']['output'];
  low: Scalars['Float']['output'];
  method: Scalars['String']['output'];
  /** Patients the figure rests on (the resampled clusters). */
  patients: Scalars['Int']['output'];
  /** Slices the figure rests on. */
  slices: Scalars['Int']['output'];
  value: Scalars['Float']['output'];
};

export type Evaluation = {
  __typename?: 'Evaluation';
  auc: Maybe<Estimate>;
  balancedAccuracy: Maybe<Estimate>;
  complete: Scalars['Boolean']['output'];
  /** One line per figure withheld, e.g. "patientSpecificity: insufficient: 2 controls". */
  insufficient: Array<Scalars['String']['output']>;
  labelledSlices: Scalars['Int']['output'];
  patientSensitivity: Maybe<Estimate>;
  patientSpecificity: Maybe<Estimate>;
  sensitivity: Maybe<Estimate>;
  slices: Scalars['Int']['output'];
  specificity: Maybe<Estimate>;
};

export type EvaluationSet = {
  __typename?: 'EvaluationSet';
  cases: Maybe<Scalars['Int']['output']>;
  complete: Scalars['Boolean']['output'];
  controls: Maybe<Scalars['Int']['output']>;
  frozenAt: Maybe<Scalars['String']['output']>;
  /** A frozen set's id; before freezing, proposed:<projectId> (what freezing now would choose). */
  id: Scalars['ID']['output'];
  labelledSlices: Scalars['Int']['output'];
  patients: Scalars['Int']['output'];
  slices: Scalars['Int']['output'];
};

export type GoldItemInput = {
  sliceId: Scalars['ID']['input'];
  value: Scalars['Int']['input'];
};

/** A block of a reader's consecutive gold reads (1-based, in their order) and their accuracy on it. */
export type GoldWindow = {
  __typename?: 'GoldWindow';
  /** Null below 5 gold reads. */
  accuracy: Maybe<Estimate>;
  fromGoldRead: Scalars['Int']['output'];
  toGoldRead: Scalars['Int']['output'];
};

export type IngestBatch = {
  __typename?: 'IngestBatch';
  accepted: Scalars['Int']['output'];
  files: Array<IngestFile>;
  finishedAt: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  rejected: Scalars['Int']['output'];
  skipped: Scalars['Int']['output'];
  source: Scalars['String']['output'];
  startedAt: Scalars['String']['output'];
  status: IngestBatchStatus;
  total: Scalars['Int']['output'];
};


export type IngestBatchFilesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
};

export type IngestBatchStatus =
  | 'DONE'
  | 'FAILED'
  | 'RUNNING';

export type IngestFile = {
  __typename?: 'IngestFile';
  detail: Maybe<Scalars['String']['output']>;
  path: Scalars['String']['output'];
  reason: Scalars['String']['output'];
  status: IngestFileStatus;
};

export type IngestFileStatus =
  | 'ACCEPTED'
  | 'REJECTED'
  | 'SKIPPED';

export type IntraReaderAgreement = {
  __typename?: 'IntraReaderAgreement';
  kappa: Maybe<Scalars['Float']['output']>;
  pairs: Scalars['Int']['output'];
  percentAgreement: Scalars['Float']['output'];
  reader: Scalars['String']['output'];
};

export type LearningCurvePoint = {
  __typename?: 'LearningCurvePoint';
  accuracy: Maybe<Scalars['Float']['output']>;
  auc: Maybe<Scalars['Float']['output']>;
  labelCount: Scalars['Int']['output'];
  modelVersionId: Scalars['ID']['output'];
  round: Scalars['Int']['output'];
};

export type ModelMetrics = {
  __typename?: 'ModelMetrics';
  accuracy: Maybe<Scalars['Float']['output']>;
  auc: Maybe<Scalars['Float']['output']>;
  aucHigh: Maybe<Scalars['Float']['output']>;
  /** 95% interval of the AUC (score-type, Hanley–McNeil variance, AG19); null when the test set lacks a class. */
  aucLow: Maybe<Scalars['Float']['output']>;
  ece: Maybe<Scalars['Float']['output']>;
  sensitivity: Maybe<Scalars['Float']['output']>;
  specificity: Maybe<Scalars['Float']['output']>;
  testPatients: Scalars['Int']['output'];
  testSlices: Scalars['Int']['output'];
  /** Slice probability at or above which this model calls a slice compressed. */
  threshold: Scalars['Float']['output'];
  /** VALIDATION when chosen on validation patients (Youden's J), DEFAULT when left at 0.5 for want of validation data. */
  thresholdChosenOn: ThresholdSource;
};

/** CURRENT is the version assignment ranks by; a project has at most one. */
export type ModelStatus =
  | 'CANDIDATE'
  | 'CURRENT'
  | 'RETIRED';

export type ModelVersion = {
  __typename?: 'ModelVersion';
  backbone: Scalars['String']['output'];
  backend: Scalars['String']['output'];
  calibration: Maybe<Calibration>;
  createdAt: Scalars['String']['output'];
  /** Figures on the project's whole evaluation set (provisional until every slice is labelled). */
  evaluation: Evaluation;
  id: Scalars['ID']['output'];
  labelCount: Scalars['Int']['output'];
  metrics: ModelMetrics;
  /** Threshold rule, target and what it reached on validation; calibration with ECE before/after. */
  operatingPoint: Maybe<OperatingPoint>;
  /** How this version became current; null if it never did. */
  promotion: Maybe<Promotion>;
  round: Scalars['Int']['output'];
  status: ModelStatus;
  strategy: AlStrategy;
  /** The gate's evidence: AUC of this version and of the then-current one on the same validation slices. */
  validation: Maybe<ValidationComparison>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Adds onboarding slices with the guide's label and reasoning (leads); returns how many were added. */
  addCalibrationSlices: Scalars['Int']['output'];
  /** Designates gold slices with their known label (leads); returns how many were added (slices already gold are kept as they were). */
  addGoldSlices: Scalars['Int']['output'];
  addProjectMember: Scalars['Boolean']['output'];
  adjudicate: Adjudication;
  createProject: Project;
  createUser: User;
  /** Freezes the project's evaluation set once (who and when are recorded); an existing set is returned unchanged. */
  freezeEvaluationSet: EvaluationSet;
  /** Pull studies from a DICOMweb server (QIDO-RS + WADO-RS) into the project. Admins only. */
  ingestDicomweb: IngestBatch;
  login: AuthPayload;
  logout: Scalars['Boolean']['output'];
  /** A lead's promotion or rollback, recorded with basis MANUAL and the note. */
  promoteModel: ModelVersion;
  /** Lets a paused reader receive new slices again (leads); false when they were not paused. */
  resumeReader: Scalars['Boolean']['output'];
  setUserRoles: User;
  skipSlice: Scalars['Boolean']['output'];
  /** screenSeconds: how long the slice was on screen, as the client measured it (0 or more; stored up to 3600, for statistics only). */
  submitLabel: SubmitLabelResult;
  triggerTraining: TrainingJob;
  /** Lets a reader who did not reach the calibration threshold read blinded (leads, audited); false when already unlocked. */
  unlockReader: Scalars['Boolean']['output'];
  /** Clears the login delays of a user's account (after failed logins). Admins only; audited. */
  unlockUser: Scalars['Boolean']['output'];
  updateProject: Project;
};


export type MutationAddCalibrationSlicesArgs = {
  items: Array<CalibrationItemInput>;
  projectId: Scalars['ID']['input'];
};


export type MutationAddGoldSlicesArgs = {
  items: Array<GoldItemInput>;
  projectId: Scalars['ID']['input'];
};


export type MutationAddProjectMemberArgs = {
  projectId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationAdjudicateArgs = {
  itemId: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
  reason: Scalars['String']['input'];
  value: Scalars['Int']['input'];
};


export type MutationCreateProjectArgs = {
  name: Scalars['String']['input'];
  readsPerSlice?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationCreateUserArgs = {
  password: Scalars['String']['input'];
  projectIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  roles: Array<Role>;
  username: Scalars['String']['input'];
};


export type MutationFreezeEvaluationSetArgs = {
  projectId: Scalars['ID']['input'];
};


export type MutationIngestDicomwebArgs = {
  projectId: Scalars['ID']['input'];
  studyUid?: InputMaybe<Scalars['String']['input']>;
  url: Scalars['String']['input'];
};


export type MutationLoginArgs = {
  password: Scalars['String']['input'];
  username: Scalars['String']['input'];
};


export type MutationPromoteModelArgs = {
  modelVersionId: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
};


export type MutationResumeReaderArgs = {
  projectId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationSetUserRolesArgs = {
  roles: Array<Role>;
  userId: Scalars['ID']['input'];
};


export type MutationSkipSliceArgs = {
  reason: Scalars['String']['input'];
  sliceId: Scalars['ID']['input'];
};


export type MutationSubmitLabelArgs = {
  clientRequestId?: InputMaybe<Scalars['ID']['input']>;
  lookahead?: InputMaybe<Scalars['Int']['input']>;
  screenSeconds?: InputMaybe<Scalars['Float']['input']>;
  sliceId: Scalars['ID']['input'];
  value: Scalars['Int']['input'];
};


export type MutationTriggerTrainingArgs = {
  projectId: Scalars['ID']['input'];
};


export type MutationUnlockReaderArgs = {
  projectId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationUnlockUserArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationUpdateProjectArgs = {
  id: Scalars['ID']['input'];
  settings: ProjectSettingsInput;
};

/** A labeler's own onboarding: before passing, they receive calibration slices only. */
export type MyCalibration = {
  __typename?: 'MyCalibration';
  answered: Scalars['Int']['output'];
  correct: Scalars['Int']['output'];
  passAt: Scalars['Float']['output'];
  passed: Maybe<Scalars['Boolean']['output']>;
  required: Scalars['Boolean']['output'];
  total: Scalars['Int']['output'];
};

export type MyProgress = {
  __typename?: 'MyProgress';
  queueSize: Scalars['Int']['output'];
  readsDone: Scalars['Int']['output'];
};

export type OperatingPoint = {
  __typename?: 'OperatingPoint';
  achieved: Maybe<Scalars['Float']['output']>;
  n: Scalars['Int']['output'];
  /** patient-sensitivity, slice-sensitivity or default (0.5). */
  rule: Scalars['String']['output'];
  target: Scalars['Float']['output'];
  threshold: Scalars['Float']['output'];
};

export type Progress = {
  __typename?: 'Progress';
  finalLabels: Scalars['Int']['output'];
  openAdjudications: Scalars['Int']['output'];
  positiveFinal: Scalars['Int']['output'];
  readsDone: Scalars['Int']['output'];
  readsRequired: Scalars['Int']['output'];
  slices: Scalars['Int']['output'];
};

export type Project = {
  __typename?: 'Project';
  adjudicatorMayHaveRead: Scalars['Boolean']['output'];
  /** Share of each active-learning batch drawn uniformly (AUDIT), the unbiased sample validation uses. */
  alAuditShare: Scalars['Float']['output'];
  /** Slices an active-learning round selects for labelling. */
  alBatchSize: Scalars['Int']['output'];
  /** At most this many selected slices per patient in one batch. */
  alMaxPerPatient: Scalars['Int']['output'];
  /** No two selected slices of one series lie within this many positions of each other. */
  alMinGap: Scalars['Int']['output'];
  alStrategy: AlStrategy;
  /** Share of the calibration set a labeler must get right to be unlocked. */
  calibrationPassAt: Scalars['Float']['output'];
  /** New labelers answer the calibration set (with feedback) before any blinded read. */
  calibrationRequired: Scalars['Boolean']['output'];
  /** Share of a labeler's new leases offered from the evaluation set first, so it completes early. */
  evaluationShare: Scalars['Float']['output'];
  /** A reader is flagged when the whole 95% interval of their rolling gold accuracy is below this; null: no flagging. */
  goldFlagBelow: Maybe<Scalars['Float']['output']>;
  /** Share of a labeler's new leases served from gold slices, unmarked (reader QC). */
  goldRate: Scalars['Float']['output'];
  id: Scalars['ID']['output'];
  leaseSeconds: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** Flagged readers get no new leases until a lead resumes them. */
  pauseFlaggedReaders: Scalars['Boolean']['output'];
  /** Only for leads and admins; null for other roles. */
  progress: Maybe<Progress>;
  /** A new model becomes current only if its VALIDATION AUC is at least the current one's (same slices) minus this. */
  promotionTolerance: Scalars['Float']['output'];
  readsPerSlice: Scalars['Int']['output'];
  reasonCodes: Array<Scalars['String']['output']>;
  repeatRate: Scalars['Float']['output'];
  repeatWashout: Scalars['Int']['output'];
  retrainEvery: Scalars['Int']['output'];
  screeningK: Scalars['Int']['output'];
  seriesRules: SeriesRules;
  /** Patient-level sensitivity the slice threshold is chosen for on validation (screening use: 0.95). */
  targetSensitivity: Scalars['Float']['output'];
};

export type ProjectSettingsInput = {
  adjudicatorMayHaveRead?: InputMaybe<Scalars['Boolean']['input']>;
  /** 0–0.5. */
  alAuditShare?: InputMaybe<Scalars['Float']['input']>;
  /** 1–1000. */
  alBatchSize?: InputMaybe<Scalars['Int']['input']>;
  /** 1 or more. */
  alMaxPerPatient?: InputMaybe<Scalars['Int']['input']>;
  /** 0 or more (0: neighbouring slices may both be selected). */
  alMinGap?: InputMaybe<Scalars['Int']['input']>;
  alStrategy?: InputMaybe<Scalars['String']['input']>;
  /** Above 0, at most 1 (default 0.8). */
  calibrationPassAt?: InputMaybe<Scalars['Float']['input']>;
  /** Needs calibration slices first. */
  calibrationRequired?: InputMaybe<Scalars['Boolean']['input']>;
  /** 0–1. */
  evaluationShare?: InputMaybe<Scalars['Float']['input']>;
  /** Above 0 and below 1; 0 turns flagging off. */
  goldFlagBelow?: InputMaybe<Scalars['Float']['input']>;
  /** 0–0.5 (default 0.05). */
  goldRate?: InputMaybe<Scalars['Float']['input']>;
  leaseSeconds?: InputMaybe<Scalars['Int']['input']>;
  pauseFlaggedReaders?: InputMaybe<Scalars['Boolean']['input']>;
  /** 0–0.5 (AUC). */
  promotionTolerance?: InputMaybe<Scalars['Float']['input']>;
  readsPerSlice?: InputMaybe<Scalars['Int']['input']>;
  reasonCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  repeatRate?: InputMaybe<Scalars['Float']['input']>;
  repeatWashout?: InputMaybe<Scalars['Int']['input']>;
  retrainEvery?: InputMaybe<Scalars['Int']['input']>;
  screeningK?: InputMaybe<Scalars['Int']['input']>;
  seriesRules?: InputMaybe<SeriesRulesInput>;
  /** 0.5–1. */
  targetSensitivity?: InputMaybe<Scalars['Float']['input']>;
};

export type Promotion = {
  __typename?: 'Promotion';
  /** VALIDATION (the automatic gate) or MANUAL (a lead's promotion or rollback). */
  basis: PromotionBasis;
  decidedAt: Scalars['String']['output'];
  decidedBy: Maybe<Scalars['String']['output']>;
  note: Maybe<Scalars['String']['output']>;
};

/** How a version became current: the automatic validation gate, or a lead's promotion or rollback. */
export type PromotionBasis =
  | 'MANUAL'
  | 'VALIDATION';

export type Query = {
  __typename?: 'Query';
  adjudicationQueue: Array<AdjudicationItem>;
  agreement: AgreementStats;
  /** ΔAUC (b − a) of two versions on the same evaluation set, paired patient bootstrap. Leads and admins. */
  compareVersions: Estimate;
  /** The frozen evaluation set, or the one freezing now would choose (frozenAt null). Leads and admins. */
  evaluationSet: EvaluationSet;
  ingestBatch: IngestBatch;
  ingestBatches: Array<IngestBatch>;
  learningCurve: Array<LearningCurvePoint>;
  me: User;
  modelVersions: Array<ModelVersion>;
  /** The caller's own onboarding state in the project. */
  myCalibration: MyCalibration;
  myProgress: MyProgress;
  nextSlice: Maybe<Assignment>;
  /** The slice to read now followed by up to count-1 more leased ahead (count ≤ 3), for prefetching. */
  nextSlices: Array<Assignment>;
  project: Project;
  projects: Array<Project>;
  /** Per-reader accuracy on gold, drift and time per read. Leads and admins. */
  readerPerformance: Array<ReaderPerformance>;
  /** A patient is abnormal when MORE than minPositiveSlices slices are predicted positive (k = 1: at least two). */
  screening: Screening;
  /** When to stop labelling (leads): each recent round's paired ΔAUC over the round before on the evaluation set [EV9]. */
  stoppingSignal: StoppingSignal;
  users: Array<User>;
};


export type QueryAdjudicationQueueArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryAgreementArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryCompareVersionsArgs = {
  a: Scalars['ID']['input'];
  b: Scalars['ID']['input'];
};


export type QueryEvaluationSetArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryIngestBatchArgs = {
  id: Scalars['ID']['input'];
};


export type QueryIngestBatchesArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryLearningCurveArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryModelVersionsArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryMyCalibrationArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryMyProgressArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryNextSliceArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryNextSlicesArgs = {
  count?: InputMaybe<Scalars['Int']['input']>;
  projectId: Scalars['ID']['input'];
};


export type QueryProjectArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReaderPerformanceArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryScreeningArgs = {
  minPositiveSlices?: InputMaybe<Scalars['Int']['input']>;
  modelVersionId: Scalars['ID']['input'];
};


export type QueryStoppingSignalArgs = {
  projectId: Scalars['ID']['input'];
  window?: InputMaybe<Scalars['Int']['input']>;
};

export type Read = {
  __typename?: 'Read';
  reader: ReaderSlot;
  value: Scalars['Int']['output'];
};

export type ReaderAccuracy = {
  __typename?: 'ReaderAccuracy';
  /** McNemar exact p-value for this reader against final labels (systematic over- or under-calling). */
  mcnemarP: Maybe<Scalars['Float']['output']>;
  positiveRate: Scalars['Float']['output'];
  reader: Scalars['String']['output'];
  reads: Scalars['Int']['output'];
  sensitivity: Maybe<Scalars['Float']['output']>;
  specificity: Maybe<Scalars['Float']['output']>;
};

/** A reader's onboarding, for leads: accuracy on the calibration set with its Wilson interval. */
export type ReaderCalibration = {
  __typename?: 'ReaderCalibration';
  accuracy: Maybe<Estimate>;
  answered: Scalars['Int']['output'];
  passed: Maybe<Scalars['Boolean']['output']>;
  total: Scalars['Int']['output'];
};

/** Cohen's kappa with its large-sample 95% interval (null when undefined), over `pairs` paired reads. */
export type ReaderKappa = {
  __typename?: 'ReaderKappa';
  kappa: Maybe<Scalars['Float']['output']>;
  kappaHigh: Maybe<Scalars['Float']['output']>;
  kappaLow: Maybe<Scalars['Float']['output']>;
  method: Scalars['String']['output'];
  pairs: Scalars['Int']['output'];
  percentAgreement: Scalars['Float']['output'];
};

export type ReaderPairAgreement = {
  __typename?: 'ReaderPairAgreement';
  kappa: Scalars['Float']['output'];
  kappaHigh: Scalars['Float']['output'];
  kappaLow: Scalars['Float']['output'];
  pairs: Scalars['Int']['output'];
  percentAgreement: Scalars['Float']['output'];
  readerA: Scalars['String']['output'];
  readerB: Scalars['String']['output'];
};

/** One reader's quality figures (leads and admins). Estimates are Wilson 95% intervals: slices = gold reads, patients = distinct patients. */
export type ReaderPerformance = {
  __typename?: 'ReaderPerformance';
  /** This reader's independent reads against every other reader's on the same slices; null without pairs. */
  agreementWithOthers: Maybe<ReaderKappa>;
  /** Onboarding: null when the project has no calibration set. */
  calibration: Maybe<ReaderCalibration>;
  /** Reads faster than 2 s: implausibly fast. */
  fastReads: Scalars['Int']['output'];
  flagged: Scalars['Boolean']['output'];
  goldAccuracy: Maybe<Estimate>;
  goldReads: Scalars['Int']['output'];
  /** On gold positives. */
  goldSensitivity: Maybe<Estimate>;
  /** On gold negatives. */
  goldSpecificity: Maybe<Estimate>;
  /** Accuracy per block of 20 consecutive gold reads: drift shows as a falling trend. */
  goldTrend: Array<GoldWindow>;
  /** One line per figure withheld, e.g. "goldSensitivity: insufficient: 3 gold positives". */
  insufficient: Array<Scalars['String']['output']>;
  /** This reader's repeats against their own first reads; null without repeats. */
  intraReader: Maybe<ReaderKappa>;
  /** Median on-screen seconds the web app reported with the label (never trusted beyond statistics). */
  medianScreenSeconds: Maybe<Scalars['Float']['output']>;
  /** Server-measured seconds per read (lease or previous submit, whichever is later, to submit). */
  medianSecondsPerRead: Maybe<Scalars['Float']['output']>;
  p90SecondsPerRead: Maybe<Scalars['Float']['output']>;
  paused: Scalars['Boolean']['output'];
  reader: Scalars['String']['output'];
  /** Independent reads (repeats and gold reads excluded). */
  reads: Scalars['Int']['output'];
  /** Over the last 50 gold reads. */
  rollingGoldAccuracy: Maybe<Estimate>;
  screenTimedReads: Scalars['Int']['output'];
  timedReads: Scalars['Int']['output'];
  userId: Scalars['ID']['output'];
};

/** A read as an adjudicator sees it: first or second, never who read it. */
export type ReaderSlot =
  | 'A'
  | 'B';

export { Role };

/** A figure with its 95% interval, the method that made it and what it rests on. */
export type RoundGain = {
  __typename?: 'RoundGain';
  /** ΔAUC = AUC(toRound) − AUC(fromRound), paired patient bootstrap; null when insufficient. */
  delta: Maybe<Estimate>;
  fromRound: Scalars['Int']['output'];
  insufficient: Maybe<Scalars['String']['output']>;
  /** Final labels the later round trained on. */
  labels: Scalars['Int']['output'];
  toRound: Scalars['Int']['output'];
};

export type Screening = {
  __typename?: 'Screening';
  minPositiveSlices: Scalars['Int']['output'];
  modelVersionId: Scalars['ID']['output'];
  /** Rows for k = 0..10, the ROC over the slice-count threshold. */
  roc: Array<ScreeningRow>;
  row: ScreeningRow;
};

export type ScreeningRow = {
  __typename?: 'ScreeningRow';
  falseNegatives: Scalars['Int']['output'];
  falsePositives: Scalars['Int']['output'];
  minPositiveSlices: Scalars['Int']['output'];
  /** Null when there is no DCM patient in the test set. */
  sensitivity: Maybe<Scalars['Float']['output']>;
  sensitivityHigh: Maybe<Scalars['Float']['output']>;
  sensitivityLow: Maybe<Scalars['Float']['output']>;
  /** Null when there is no control patient in the test set. */
  specificity: Maybe<Scalars['Float']['output']>;
  specificityHigh: Maybe<Scalars['Float']['output']>;
  specificityLow: Maybe<Scalars['Float']['output']>;
  trueNegatives: Scalars['Int']['output'];
  truePositives: Scalars['Int']['output'];
};

export type SelectionAgreement = {
  __typename?: 'SelectionAgreement';
  kappa: Maybe<Scalars['Float']['output']>;
  kappaHigh: Maybe<Scalars['Float']['output']>;
  kappaLow: Maybe<Scalars['Float']['output']>;
  mode: SelectionMode;
  negativeAgreement: Maybe<Scalars['Float']['output']>;
  pairs: Scalars['Int']['output'];
  percentAgreement: Maybe<Scalars['Float']['output']>;
  /** Positive and negative specific agreement (per-class). */
  positiveAgreement: Maybe<Scalars['Float']['output']>;
};

/** How a slice came to be read: RANDOM or SERIES (the plain queue), ACTIVE, AUDIT (active-learning batch), TEST (evaluation set). */
export type SelectionMode =
  | 'ACTIVE'
  | 'AUDIT'
  | 'RANDOM'
  | 'SERIES'
  | 'TEST';

export type Series = {
  __typename?: 'Series';
  description: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Slices of the series in order along the slice normal, for context scrolling. */
  slices: Array<SeriesSlice>;
};

export type SeriesRules = {
  __typename?: 'SeriesRules';
  descriptionPattern: Scalars['String']['output'];
  maxAxialAngleDeg: Scalars['Float']['output'];
  maxEchoTimeMs: Scalars['Float']['output'];
  minEchoTimeMs: Scalars['Float']['output'];
  minRepetitionTimeMs: Scalars['Float']['output'];
};

export type SeriesRulesInput = {
  descriptionPattern?: InputMaybe<Scalars['String']['input']>;
  maxAxialAngleDeg?: InputMaybe<Scalars['Float']['input']>;
  maxEchoTimeMs?: InputMaybe<Scalars['Float']['input']>;
  minEchoTimeMs?: InputMaybe<Scalars['Float']['input']>;
  minRepetitionTimeMs?: InputMaybe<Scalars['Float']['input']>;
};

export type SeriesSlice = {
  __typename?: 'SeriesSlice';
  id: Scalars['ID']['output'];
  imageUrl: Scalars['String']['output'];
  position: Scalars['Int']['output'];
};

export type Slice = {
  __typename?: 'Slice';
  id: Scalars['ID']['output'];
  imageUrl: Scalars['String']['output'];
  position: Scalars['Int']['output'];
  series: Series;
  windowCenter: Maybe<Scalars['Float']['output']>;
  windowWidth: Maybe<Scalars['Float']['output']>;
};

export type StoppingSignal = {
  __typename?: 'StoppingSignal';
  /** True when each of the last window rounds' ΔAUC 95% CI includes 0. */
  plateau: Scalars['Boolean']['output'];
  /** Round-to-round gains, oldest first, at most window of them. */
  steps: Array<RoundGain>;
  /** A sentence for the lead: plateau, improving, or insufficient with the reason. */
  verdict: Scalars['String']['output'];
  window: Scalars['Int']['output'];
};

export type SubmitLabelResult = {
  __typename?: 'SubmitLabelResult';
  /** True when this clientRequestId had already been accepted; nothing new was written. */
  duplicate: Scalars['Boolean']['output'];
  /** Only for onboarding (calibration) slices: the guide's answer and reasoning. Null for every other read. */
  feedback: Maybe<CalibrationFeedback>;
  /**
   * The slice to read next, as nextSlice would answer after this label: leased in the label's own
   * round trip, so the client needs no second request. Null when nothing is left for the labeler.
   * Computed only when selected.
   */
  next: Maybe<Assignment>;
  ok: Scalars['Boolean']['output'];
  /** The labeler's progress after this label, as myProgress answers. */
  progress: Maybe<MyProgress>;
  sliceId: Scalars['ID']['output'];
  /**
   * With submitLabel(lookahead: n): the labeler's open leases oldest first, topped up to n (1–3), as
   * nextSlices(count: n) answers; the first is `next`. Without lookahead, `next` alone.
   */
  upcoming: Maybe<Array<Assignment>>;
  value: Scalars['Int']['output'];
};

/** Where a model's slice threshold came from. */
export type ThresholdSource =
  | 'DEFAULT'
  | 'VALIDATION';

export type TrainingJob = {
  __typename?: 'TrainingJob';
  id: Scalars['ID']['output'];
  state: TrainingJobState;
};

/** A queued training round's state, as the job queue names it (a round waiting or running). */
export type TrainingJobState =
  | 'active'
  | 'created'
  | 'retry';

export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
  projects: Array<Project>;
  roles: Array<Role>;
  username: Scalars['String']['output'];
};

export type ValidationComparison = {
  __typename?: 'ValidationComparison';
  candidateAuc: Maybe<Scalars['Float']['output']>;
  currentAuc: Maybe<Scalars['Float']['output']>;
  slices: Scalars['Int']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Adjudication: ResolverTypeWrapper<Adjudication>;
  AdjudicationItem: ResolverTypeWrapper<QueueItemRow>;
  AgreementStats: ResolverTypeWrapper<AgreementStats>;
  AlStrategy: AlStrategy;
  Assignment: ResolverTypeWrapper<AssignmentRow>;
  AuthPayload: ResolverTypeWrapper<Omit<AuthPayload, 'user'> & { user: ResolversTypes['User'] }>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Calibration: ResolverTypeWrapper<Calibration>;
  CalibrationFeedback: ResolverTypeWrapper<CalibrationFeedback>;
  CalibrationItemInput: CalibrationItemInput;
  CalibrationMethod: CalibrationMethod;
  Estimate: ResolverTypeWrapper<Estimate>;
  Evaluation: ResolverTypeWrapper<Evaluation>;
  EvaluationSet: ResolverTypeWrapper<EvaluationSet>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  GoldItemInput: GoldItemInput;
  GoldWindow: ResolverTypeWrapper<GoldWindow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  IngestBatch: ResolverTypeWrapper<IngestBatchRow>;
  IngestBatchStatus: IngestBatchStatus;
  IngestFile: ResolverTypeWrapper<IngestFile>;
  IngestFileStatus: IngestFileStatus;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  IntraReaderAgreement: ResolverTypeWrapper<IntraReaderAgreement>;
  LearningCurvePoint: ResolverTypeWrapper<LearningCurvePoint>;
  ModelMetrics: ResolverTypeWrapper<ModelMetrics>;
  ModelStatus: ModelStatus;
  ModelVersion: ResolverTypeWrapper<ModelVersionRow>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  MyCalibration: ResolverTypeWrapper<MyCalibration>;
  MyProgress: ResolverTypeWrapper<MyProgress>;
  OperatingPoint: ResolverTypeWrapper<OperatingPoint>;
  Progress: ResolverTypeWrapper<Progress>;
  Project: ResolverTypeWrapper<ProjectRow>;
  ProjectSettingsInput: ProjectSettingsInput;
  Promotion: ResolverTypeWrapper<Promotion>;
  PromotionBasis: PromotionBasis;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Read: ResolverTypeWrapper<Read>;
  ReaderAccuracy: ResolverTypeWrapper<ReaderAccuracy>;
  ReaderCalibration: ResolverTypeWrapper<ReaderCalibration>;
  ReaderKappa: ResolverTypeWrapper<ReaderKappa>;
  ReaderPairAgreement: ResolverTypeWrapper<ReaderPairAgreement>;
  ReaderPerformance: ResolverTypeWrapper<ReaderPerformance>;
  ReaderSlot: ReaderSlot;
  Role: Role;
  RoundGain: ResolverTypeWrapper<RoundGain>;
  Screening: ResolverTypeWrapper<Screening>;
  ScreeningRow: ResolverTypeWrapper<ScreeningRow>;
  SelectionAgreement: ResolverTypeWrapper<SelectionAgreement>;
  SelectionMode: SelectionMode;
  Series: ResolverTypeWrapper<SeriesRow>;
  SeriesRules: ResolverTypeWrapper<SeriesRules>;
  SeriesRulesInput: SeriesRulesInput;
  SeriesSlice: ResolverTypeWrapper<SeriesSlice>;
  Slice: ResolverTypeWrapper<SliceRow>;
  StoppingSignal: ResolverTypeWrapper<StoppingSignal>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  SubmitLabelResult: ResolverTypeWrapper<Omit<SubmitLabelResult, 'next' | 'upcoming'> & { next?: Maybe<ResolversTypes['Assignment']>, upcoming?: Maybe<Array<ResolversTypes['Assignment']>> }>;
  ThresholdSource: ThresholdSource;
  TrainingJob: ResolverTypeWrapper<TrainingJob>;
  TrainingJobState: TrainingJobState;
  User: ResolverTypeWrapper<UserRow>;
  ValidationComparison: ResolverTypeWrapper<ValidationComparison>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Adjudication: Adjudication;
  AdjudicationItem: QueueItemRow;
  AgreementStats: AgreementStats;
  Assignment: AssignmentRow;
  AuthPayload: Omit<AuthPayload, 'user'> & { user: ResolversParentTypes['User'] };
  Boolean: Scalars['Boolean']['output'];
  Calibration: Calibration;
  CalibrationFeedback: CalibrationFeedback;
  CalibrationItemInput: CalibrationItemInput;
  Estimate: Estimate;
  Evaluation: Evaluation;
  EvaluationSet: EvaluationSet;
  Float: Scalars['Float']['output'];
  GoldItemInput: GoldItemInput;
  GoldWindow: GoldWindow;
  ID: Scalars['ID']['output'];
  IngestBatch: IngestBatchRow;
  IngestFile: IngestFile;
  Int: Scalars['Int']['output'];
  IntraReaderAgreement: IntraReaderAgreement;
  LearningCurvePoint: LearningCurvePoint;
  ModelMetrics: ModelMetrics;
  ModelVersion: ModelVersionRow;
  Mutation: Record<PropertyKey, never>;
  MyCalibration: MyCalibration;
  MyProgress: MyProgress;
  OperatingPoint: OperatingPoint;
  Progress: Progress;
  Project: ProjectRow;
  ProjectSettingsInput: ProjectSettingsInput;
  Promotion: Promotion;
  Query: Record<PropertyKey, never>;
  Read: Read;
  ReaderAccuracy: ReaderAccuracy;
  ReaderCalibration: ReaderCalibration;
  ReaderKappa: ReaderKappa;
  ReaderPairAgreement: ReaderPairAgreement;
  ReaderPerformance: ReaderPerformance;
  RoundGain: RoundGain;
  Screening: Screening;
  ScreeningRow: ScreeningRow;
  SelectionAgreement: SelectionAgreement;
  Series: SeriesRow;
  SeriesRules: SeriesRules;
  SeriesRulesInput: SeriesRulesInput;
  SeriesSlice: SeriesSlice;
  Slice: SliceRow;
  StoppingSignal: StoppingSignal;
  String: Scalars['String']['output'];
  SubmitLabelResult: Omit<SubmitLabelResult, 'next' | 'upcoming'> & { next?: Maybe<ResolversParentTypes['Assignment']>, upcoming?: Maybe<Array<ResolversParentTypes['Assignment']>> };
  TrainingJob: TrainingJob;
  User: UserRow;
  ValidationComparison: ValidationComparison;
};

export type AdjudicationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Adjudication'] = ResolversParentTypes['Adjudication']> = {
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  itemId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AdjudicationItemResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AdjudicationItem'] = ResolversParentTypes['AdjudicationItem']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reads?: Resolver<Array<ResolversTypes['Read']>, ParentType, ContextType>;
  slice?: Resolver<ResolversTypes['Slice'], ParentType, ContextType>;
};

export type AgreementStatsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AgreementStats'] = ResolversParentTypes['AgreementStats']> = {
  bySelection?: Resolver<Array<ResolversTypes['SelectionAgreement']>, ParentType, ContextType>;
  gwetAc1?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  intraReader?: Resolver<Array<ResolversTypes['IntraReaderAgreement']>, ParentType, ContextType>;
  kappa?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  kappaHigh?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  kappaLow?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  negativeAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pabak?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pairs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  percentAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  positiveAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  readerPairs?: Resolver<Array<ResolversTypes['ReaderPairAgreement']>, ParentType, ContextType>;
  readers?: Resolver<Array<ResolversTypes['ReaderAccuracy']>, ParentType, ContextType>;
  table?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
};

export type AlStrategyResolvers = EnumResolverSignature<{ badge?: any, balanced?: any, bald?: any, entropy?: any, margin?: any, random?: any }, ResolversTypes['AlStrategy']>;

export type AssignmentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Assignment'] = ResolversParentTypes['Assignment']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  leaseExpiresAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  slice?: Resolver<ResolversTypes['Slice'], ParentType, ContextType>;
};

export type AuthPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = {
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type CalibrationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Calibration'] = ResolversParentTypes['Calibration']> = {
  eceAfter?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  eceBefore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  method?: Resolver<ResolversTypes['CalibrationMethod'], ParentType, ContextType>;
  priorShift?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  slices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  temperature?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type CalibrationFeedbackResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CalibrationFeedback'] = ResolversParentTypes['CalibrationFeedback']> = {
  answered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  correct?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  passed?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  reasoning?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type EstimateResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Estimate'] = ResolversParentTypes['Estimate']> = {
  high?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  low?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  patients?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  slices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type EvaluationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Evaluation'] = ResolversParentTypes['Evaluation']> = {
  auc?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  balancedAccuracy?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  complete?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  insufficient?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  labelledSlices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  patientSensitivity?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  patientSpecificity?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  sensitivity?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  slices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  specificity?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
};

export type EvaluationSetResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EvaluationSet'] = ResolversParentTypes['EvaluationSet']> = {
  cases?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  complete?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  controls?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  frozenAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  labelledSlices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  patients?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  slices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type GoldWindowResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['GoldWindow'] = ResolversParentTypes['GoldWindow']> = {
  accuracy?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  fromGoldRead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  toGoldRead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type IngestBatchResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IngestBatch'] = ResolversParentTypes['IngestBatch']> = {
  accepted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  files?: Resolver<Array<ResolversTypes['IngestFile']>, ParentType, ContextType, RequireFields<IngestBatchFilesArgs, 'limit' | 'offset'>>;
  finishedAt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rejected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  skipped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['IngestBatchStatus'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type IngestFileResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IngestFile'] = ResolversParentTypes['IngestFile']> = {
  detail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['IngestFileStatus'], ParentType, ContextType>;
};

export type IntraReaderAgreementResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IntraReaderAgreement'] = ResolversParentTypes['IntraReaderAgreement']> = {
  kappa?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  pairs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  percentAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  reader?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LearningCurvePointResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['LearningCurvePoint'] = ResolversParentTypes['LearningCurvePoint']> = {
  accuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  auc?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  labelCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  modelVersionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  round?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ModelMetricsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelMetrics'] = ResolversParentTypes['ModelMetrics']> = {
  accuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  auc?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  aucHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  aucLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ece?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sensitivity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  specificity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  testPatients?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  testSlices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  threshold?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  thresholdChosenOn?: Resolver<ResolversTypes['ThresholdSource'], ParentType, ContextType>;
};

export type ModelVersionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelVersion'] = ResolversParentTypes['ModelVersion']> = {
  backbone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  backend?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  calibration?: Resolver<Maybe<ResolversTypes['Calibration']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  evaluation?: Resolver<ResolversTypes['Evaluation'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  labelCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  metrics?: Resolver<ResolversTypes['ModelMetrics'], ParentType, ContextType>;
  operatingPoint?: Resolver<Maybe<ResolversTypes['OperatingPoint']>, ParentType, ContextType>;
  promotion?: Resolver<Maybe<ResolversTypes['Promotion']>, ParentType, ContextType>;
  round?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ModelStatus'], ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes['AlStrategy'], ParentType, ContextType>;
  validation?: Resolver<Maybe<ResolversTypes['ValidationComparison']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addCalibrationSlices?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<MutationAddCalibrationSlicesArgs, 'items' | 'projectId'>>;
  addGoldSlices?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<MutationAddGoldSlicesArgs, 'items' | 'projectId'>>;
  addProjectMember?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAddProjectMemberArgs, 'projectId' | 'userId'>>;
  adjudicate?: Resolver<ResolversTypes['Adjudication'], ParentType, ContextType, RequireFields<MutationAdjudicateArgs, 'itemId' | 'reason' | 'value'>>;
  createProject?: Resolver<ResolversTypes['Project'], ParentType, ContextType, RequireFields<MutationCreateProjectArgs, 'name' | 'readsPerSlice'>>;
  createUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'password' | 'roles' | 'username'>>;
  freezeEvaluationSet?: Resolver<ResolversTypes['EvaluationSet'], ParentType, ContextType, RequireFields<MutationFreezeEvaluationSetArgs, 'projectId'>>;
  ingestDicomweb?: Resolver<ResolversTypes['IngestBatch'], ParentType, ContextType, RequireFields<MutationIngestDicomwebArgs, 'projectId' | 'url'>>;
  login?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'password' | 'username'>>;
  logout?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  promoteModel?: Resolver<ResolversTypes['ModelVersion'], ParentType, ContextType, RequireFields<MutationPromoteModelArgs, 'modelVersionId'>>;
  resumeReader?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationResumeReaderArgs, 'projectId' | 'userId'>>;
  setUserRoles?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationSetUserRolesArgs, 'roles' | 'userId'>>;
  skipSlice?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationSkipSliceArgs, 'reason' | 'sliceId'>>;
  submitLabel?: Resolver<ResolversTypes['SubmitLabelResult'], ParentType, ContextType, RequireFields<MutationSubmitLabelArgs, 'sliceId' | 'value'>>;
  triggerTraining?: Resolver<ResolversTypes['TrainingJob'], ParentType, ContextType, RequireFields<MutationTriggerTrainingArgs, 'projectId'>>;
  unlockReader?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationUnlockReaderArgs, 'projectId' | 'userId'>>;
  unlockUser?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationUnlockUserArgs, 'userId'>>;
  updateProject?: Resolver<ResolversTypes['Project'], ParentType, ContextType, RequireFields<MutationUpdateProjectArgs, 'id' | 'settings'>>;
};

export type MyCalibrationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MyCalibration'] = ResolversParentTypes['MyCalibration']> = {
  answered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  correct?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  passAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  passed?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  required?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MyProgressResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MyProgress'] = ResolversParentTypes['MyProgress']> = {
  queueSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  readsDone?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type OperatingPointResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['OperatingPoint'] = ResolversParentTypes['OperatingPoint']> = {
  achieved?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  n?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  target?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  threshold?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ProgressResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Progress'] = ResolversParentTypes['Progress']> = {
  finalLabels?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  openAdjudications?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  positiveFinal?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  readsDone?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  readsRequired?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  slices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ProjectResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Project'] = ResolversParentTypes['Project']> = {
  adjudicatorMayHaveRead?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  alAuditShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  alBatchSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  alMaxPerPatient?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  alMinGap?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  alStrategy?: Resolver<ResolversTypes['AlStrategy'], ParentType, ContextType>;
  calibrationPassAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  calibrationRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  evaluationShare?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  goldFlagBelow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  goldRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  leaseSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pauseFlaggedReaders?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  progress?: Resolver<Maybe<ResolversTypes['Progress']>, ParentType, ContextType>;
  promotionTolerance?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  readsPerSlice?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reasonCodes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  repeatRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  repeatWashout?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  retrainEvery?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  screeningK?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seriesRules?: Resolver<ResolversTypes['SeriesRules'], ParentType, ContextType>;
  targetSensitivity?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type PromotionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Promotion'] = ResolversParentTypes['Promotion']> = {
  basis?: Resolver<ResolversTypes['PromotionBasis'], ParentType, ContextType>;
  decidedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  decidedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  note?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  adjudicationQueue?: Resolver<Array<ResolversTypes['AdjudicationItem']>, ParentType, ContextType, RequireFields<QueryAdjudicationQueueArgs, 'projectId'>>;
  agreement?: Resolver<ResolversTypes['AgreementStats'], ParentType, ContextType, RequireFields<QueryAgreementArgs, 'projectId'>>;
  compareVersions?: Resolver<ResolversTypes['Estimate'], ParentType, ContextType, RequireFields<QueryCompareVersionsArgs, 'a' | 'b'>>;
  evaluationSet?: Resolver<ResolversTypes['EvaluationSet'], ParentType, ContextType, RequireFields<QueryEvaluationSetArgs, 'projectId'>>;
  ingestBatch?: Resolver<ResolversTypes['IngestBatch'], ParentType, ContextType, RequireFields<QueryIngestBatchArgs, 'id'>>;
  ingestBatches?: Resolver<Array<ResolversTypes['IngestBatch']>, ParentType, ContextType, RequireFields<QueryIngestBatchesArgs, 'projectId'>>;
  learningCurve?: Resolver<Array<ResolversTypes['LearningCurvePoint']>, ParentType, ContextType, RequireFields<QueryLearningCurveArgs, 'projectId'>>;
  me?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  modelVersions?: Resolver<Array<ResolversTypes['ModelVersion']>, ParentType, ContextType, RequireFields<QueryModelVersionsArgs, 'projectId'>>;
  myCalibration?: Resolver<ResolversTypes['MyCalibration'], ParentType, ContextType, RequireFields<QueryMyCalibrationArgs, 'projectId'>>;
  myProgress?: Resolver<ResolversTypes['MyProgress'], ParentType, ContextType, RequireFields<QueryMyProgressArgs, 'projectId'>>;
  nextSlice?: Resolver<Maybe<ResolversTypes['Assignment']>, ParentType, ContextType, RequireFields<QueryNextSliceArgs, 'projectId'>>;
  nextSlices?: Resolver<Array<ResolversTypes['Assignment']>, ParentType, ContextType, RequireFields<QueryNextSlicesArgs, 'count' | 'projectId'>>;
  project?: Resolver<ResolversTypes['Project'], ParentType, ContextType, RequireFields<QueryProjectArgs, 'id'>>;
  projects?: Resolver<Array<ResolversTypes['Project']>, ParentType, ContextType>;
  readerPerformance?: Resolver<Array<ResolversTypes['ReaderPerformance']>, ParentType, ContextType, RequireFields<QueryReaderPerformanceArgs, 'projectId'>>;
  screening?: Resolver<ResolversTypes['Screening'], ParentType, ContextType, RequireFields<QueryScreeningArgs, 'minPositiveSlices' | 'modelVersionId'>>;
  stoppingSignal?: Resolver<ResolversTypes['StoppingSignal'], ParentType, ContextType, RequireFields<QueryStoppingSignalArgs, 'projectId' | 'window'>>;
  users?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
};

export type ReadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Read'] = ResolversParentTypes['Read']> = {
  reader?: Resolver<ResolversTypes['ReaderSlot'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ReaderAccuracyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReaderAccuracy'] = ResolversParentTypes['ReaderAccuracy']> = {
  mcnemarP?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  positiveRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  reader?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sensitivity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  specificity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type ReaderCalibrationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReaderCalibration'] = ResolversParentTypes['ReaderCalibration']> = {
  accuracy?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  answered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  passed?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ReaderKappaResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReaderKappa'] = ResolversParentTypes['ReaderKappa']> = {
  kappa?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  kappaHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  kappaLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  method?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pairs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  percentAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ReaderPairAgreementResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReaderPairAgreement'] = ResolversParentTypes['ReaderPairAgreement']> = {
  kappa?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  kappaHigh?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  kappaLow?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pairs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  percentAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  readerA?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  readerB?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ReaderPerformanceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReaderPerformance'] = ResolversParentTypes['ReaderPerformance']> = {
  agreementWithOthers?: Resolver<Maybe<ResolversTypes['ReaderKappa']>, ParentType, ContextType>;
  calibration?: Resolver<Maybe<ResolversTypes['ReaderCalibration']>, ParentType, ContextType>;
  fastReads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  flagged?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  goldAccuracy?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  goldReads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  goldSensitivity?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  goldSpecificity?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  goldTrend?: Resolver<Array<ResolversTypes['GoldWindow']>, ParentType, ContextType>;
  insufficient?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  intraReader?: Resolver<Maybe<ResolversTypes['ReaderKappa']>, ParentType, ContextType>;
  medianScreenSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  medianSecondsPerRead?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  p90SecondsPerRead?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  paused?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reader?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rollingGoldAccuracy?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  screenTimedReads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  timedReads?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type RoleResolvers = EnumResolverSignature<{ ADJUDICATOR?: any, ADMIN?: any, LABELER?: any, LEAD?: any }, ResolversTypes['Role']>;

export type RoundGainResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RoundGain'] = ResolversParentTypes['RoundGain']> = {
  delta?: Resolver<Maybe<ResolversTypes['Estimate']>, ParentType, ContextType>;
  fromRound?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  insufficient?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  labels?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  toRound?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ScreeningResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Screening'] = ResolversParentTypes['Screening']> = {
  minPositiveSlices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  modelVersionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  roc?: Resolver<Array<ResolversTypes['ScreeningRow']>, ParentType, ContextType>;
  row?: Resolver<ResolversTypes['ScreeningRow'], ParentType, ContextType>;
};

export type ScreeningRowResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ScreeningRow'] = ResolversParentTypes['ScreeningRow']> = {
  falseNegatives?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  falsePositives?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  minPositiveSlices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sensitivity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sensitivityHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sensitivityLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  specificity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  specificityHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  specificityLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  trueNegatives?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  truePositives?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SelectionAgreementResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SelectionAgreement'] = ResolversParentTypes['SelectionAgreement']> = {
  kappa?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  kappaHigh?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  kappaLow?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['SelectionMode'], ParentType, ContextType>;
  negativeAgreement?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  pairs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  percentAgreement?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  positiveAgreement?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type SeriesResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Series'] = ResolversParentTypes['Series']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  slices?: Resolver<Array<ResolversTypes['SeriesSlice']>, ParentType, ContextType>;
};

export type SeriesRulesResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SeriesRules'] = ResolversParentTypes['SeriesRules']> = {
  descriptionPattern?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  maxAxialAngleDeg?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxEchoTimeMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minEchoTimeMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minRepetitionTimeMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type SeriesSliceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SeriesSlice'] = ResolversParentTypes['SeriesSlice']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SliceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Slice'] = ResolversParentTypes['Slice']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  imageUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  position?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  series?: Resolver<ResolversTypes['Series'], ParentType, ContextType>;
  windowCenter?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  windowWidth?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type StoppingSignalResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['StoppingSignal'] = ResolversParentTypes['StoppingSignal']> = {
  plateau?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  steps?: Resolver<Array<ResolversTypes['RoundGain']>, ParentType, ContextType>;
  verdict?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  window?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SubmitLabelResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SubmitLabelResult'] = ResolversParentTypes['SubmitLabelResult']> = {
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  feedback?: Resolver<Maybe<ResolversTypes['CalibrationFeedback']>, ParentType, ContextType>;
  next?: Resolver<Maybe<ResolversTypes['Assignment']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  progress?: Resolver<Maybe<ResolversTypes['MyProgress']>, ParentType, ContextType>;
  sliceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  upcoming?: Resolver<Maybe<Array<ResolversTypes['Assignment']>>, ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrainingJobResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TrainingJob'] = ResolversParentTypes['TrainingJob']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['TrainingJobState'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  projects?: Resolver<Array<ResolversTypes['Project']>, ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['Role']>, ParentType, ContextType>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ValidationComparisonResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ValidationComparison'] = ResolversParentTypes['ValidationComparison']> = {
  candidateAuc?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  currentAuc?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  slices?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Adjudication?: AdjudicationResolvers<ContextType>;
  AdjudicationItem?: AdjudicationItemResolvers<ContextType>;
  AgreementStats?: AgreementStatsResolvers<ContextType>;
  AlStrategy?: AlStrategyResolvers;
  Assignment?: AssignmentResolvers<ContextType>;
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  Calibration?: CalibrationResolvers<ContextType>;
  CalibrationFeedback?: CalibrationFeedbackResolvers<ContextType>;
  Estimate?: EstimateResolvers<ContextType>;
  Evaluation?: EvaluationResolvers<ContextType>;
  EvaluationSet?: EvaluationSetResolvers<ContextType>;
  GoldWindow?: GoldWindowResolvers<ContextType>;
  IngestBatch?: IngestBatchResolvers<ContextType>;
  IngestFile?: IngestFileResolvers<ContextType>;
  IntraReaderAgreement?: IntraReaderAgreementResolvers<ContextType>;
  LearningCurvePoint?: LearningCurvePointResolvers<ContextType>;
  ModelMetrics?: ModelMetricsResolvers<ContextType>;
  ModelVersion?: ModelVersionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  MyCalibration?: MyCalibrationResolvers<ContextType>;
  MyProgress?: MyProgressResolvers<ContextType>;
  OperatingPoint?: OperatingPointResolvers<ContextType>;
  Progress?: ProgressResolvers<ContextType>;
  Project?: ProjectResolvers<ContextType>;
  Promotion?: PromotionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Read?: ReadResolvers<ContextType>;
  ReaderAccuracy?: ReaderAccuracyResolvers<ContextType>;
  ReaderCalibration?: ReaderCalibrationResolvers<ContextType>;
  ReaderKappa?: ReaderKappaResolvers<ContextType>;
  ReaderPairAgreement?: ReaderPairAgreementResolvers<ContextType>;
  ReaderPerformance?: ReaderPerformanceResolvers<ContextType>;
  Role?: RoleResolvers;
  RoundGain?: RoundGainResolvers<ContextType>;
  Screening?: ScreeningResolvers<ContextType>;
  ScreeningRow?: ScreeningRowResolvers<ContextType>;
  SelectionAgreement?: SelectionAgreementResolvers<ContextType>;
  Series?: SeriesResolvers<ContextType>;
  SeriesRules?: SeriesRulesResolvers<ContextType>;
  SeriesSlice?: SeriesSliceResolvers<ContextType>;
  Slice?: SliceResolvers<ContextType>;
  StoppingSignal?: StoppingSignalResolvers<ContextType>;
  SubmitLabelResult?: SubmitLabelResultResolvers<ContextType>;
  TrainingJob?: TrainingJobResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  ValidationComparison?: ValidationComparisonResolvers<ContextType>;
};


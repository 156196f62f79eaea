import { GraphQLResolveInfo } from 'graphql';
import { ProjectModel, UserModel, AssignmentModel, SliceModel, SeriesModel, AdjudicationItemModel, IngestBatchModel, ModelVersionModel } from './models.js';
import { RequestContext } from '../server/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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

export type Assignment = {
  __typename?: 'Assignment';
  id: Scalars['ID']['output'];
  leaseExpiresAt: Scalars['String']['output'];
  /** True when active learning surfaced this slice. Says nothing about the model's opinion. */
  prioritised: Scalars['Boolean']['output'];
  slice: Slice;
};

export type AuthPayload = {
  __typename?: 'AuthPayload';
  token: Scalars['String']['output'];
  user: User;
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
  status: Scalars['String']['output'];
  total: Scalars['Int']['output'];
};


export type IngestBatchFilesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
};

export type IngestFile = {
  __typename?: 'IngestFile';
  detail: Maybe<Scalars['String']['output']>;
  path: Scalars['String']['output'];
  reason: Scalars['String']['output'];
  status: Scalars['String']['output'];
};

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
  thresholdChosenOn: Scalars['String']['output'];
};

export type ModelVersion = {
  __typename?: 'ModelVersion';
  backbone: Scalars['String']['output'];
  backend: Scalars['String']['output'];
  createdAt: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  labelCount: Scalars['Int']['output'];
  metrics: ModelMetrics;
  round: Scalars['Int']['output'];
  status: Scalars['String']['output'];
  strategy: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  addProjectMember: Scalars['Boolean']['output'];
  adjudicate: Adjudication;
  createProject: Project;
  createUser: User;
  /** Pull studies from a DICOMweb server (QIDO-RS + WADO-RS) into the project. Admins only. */
  ingestDicomweb: IngestBatch;
  login: AuthPayload;
  logout: Scalars['Boolean']['output'];
  promoteModel: ModelVersion;
  setUserRoles: User;
  skipSlice: Scalars['Boolean']['output'];
  submitLabel: SubmitLabelResult;
  triggerTraining: TrainingJob;
  /** Clears the login delays of a user's account (after failed logins). Admins only; audited. */
  unlockUser: Scalars['Boolean']['output'];
  updateProject: Project;
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
  sliceId: Scalars['ID']['input'];
  value: Scalars['Int']['input'];
};


export type MutationTriggerTrainingArgs = {
  projectId: Scalars['ID']['input'];
};


export type MutationUnlockUserArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationUpdateProjectArgs = {
  id: Scalars['ID']['input'];
  settings: ProjectSettingsInput;
};

export type MyProgress = {
  __typename?: 'MyProgress';
  queueSize: Scalars['Int']['output'];
  readsDone: Scalars['Int']['output'];
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
  /** Slices an active-learning round selects for labelling. */
  alBatchSize: Scalars['Int']['output'];
  /** At most this many selected slices per patient in one batch. */
  alMaxPerPatient: Scalars['Int']['output'];
  /** No two selected slices of one series lie within this many positions of each other. */
  alMinGap: Scalars['Int']['output'];
  alStrategy: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  leaseSeconds: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** Only for leads and admins; null for other roles. */
  progress: Maybe<Progress>;
  /** A new model becomes current only if its test AUC is at least the current one's minus this. */
  promotionTolerance: Scalars['Float']['output'];
  readsPerSlice: Scalars['Int']['output'];
  reasonCodes: Array<Scalars['String']['output']>;
  repeatRate: Scalars['Float']['output'];
  repeatWashout: Scalars['Int']['output'];
  retrainEvery: Scalars['Int']['output'];
  screeningK: Scalars['Int']['output'];
  seriesRules: SeriesRules;
};

export type ProjectSettingsInput = {
  adjudicatorMayHaveRead?: InputMaybe<Scalars['Boolean']['input']>;
  /** 1–1000. */
  alBatchSize?: InputMaybe<Scalars['Int']['input']>;
  /** 1 or more. */
  alMaxPerPatient?: InputMaybe<Scalars['Int']['input']>;
  /** 0 or more (0: neighbouring slices may both be selected). */
  alMinGap?: InputMaybe<Scalars['Int']['input']>;
  alStrategy?: InputMaybe<Scalars['String']['input']>;
  leaseSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** 0–0.5 (AUC). */
  promotionTolerance?: InputMaybe<Scalars['Float']['input']>;
  readsPerSlice?: InputMaybe<Scalars['Int']['input']>;
  reasonCodes?: InputMaybe<Array<Scalars['String']['input']>>;
  repeatRate?: InputMaybe<Scalars['Float']['input']>;
  repeatWashout?: InputMaybe<Scalars['Int']['input']>;
  retrainEvery?: InputMaybe<Scalars['Int']['input']>;
  screeningK?: InputMaybe<Scalars['Int']['input']>;
  seriesRules?: InputMaybe<SeriesRulesInput>;
};

export type Query = {
  __typename?: 'Query';
  adjudicationQueue: Array<AdjudicationItem>;
  agreement: AgreementStats;
  ingestBatch: IngestBatch;
  ingestBatches: Array<IngestBatch>;
  learningCurve: Array<LearningCurvePoint>;
  me: User;
  modelVersions: Array<ModelVersion>;
  myProgress: MyProgress;
  nextSlice: Maybe<Assignment>;
  /** The slice to read now followed by up to count-1 more leased ahead (count ≤ 3), for prefetching. */
  nextSlices: Array<Assignment>;
  project: Project;
  projects: Array<Project>;
  /** A patient is abnormal when MORE than minPositiveSlices slices are predicted positive (k = 1: at least two). */
  screening: Screening;
  users: Array<User>;
};


export type QueryAdjudicationQueueArgs = {
  projectId: Scalars['ID']['input'];
};


export type QueryAgreementArgs = {
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


export type QueryScreeningArgs = {
  minPositiveSlices?: InputMaybe<Scalars['Int']['input']>;
  modelVersionId: Scalars['ID']['input'];
};

export type Read = {
  __typename?: 'Read';
  reader: Scalars['String']['output'];
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

export type Role =
  | 'ADJUDICATOR'
  | 'ADMIN'
  | 'LABELER'
  | 'LEAD';

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

export type SubmitLabelResult = {
  __typename?: 'SubmitLabelResult';
  /** True when this clientRequestId had already been accepted; nothing new was written. */
  duplicate: Scalars['Boolean']['output'];
  ok: Scalars['Boolean']['output'];
  sliceId: Scalars['ID']['output'];
  value: Scalars['Int']['output'];
};

export type TrainingJob = {
  __typename?: 'TrainingJob';
  id: Scalars['ID']['output'];
  state: Scalars['String']['output'];
};

export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
  projects: Array<Project>;
  roles: Array<Role>;
  username: Scalars['String']['output'];
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
  AdjudicationItem: ResolverTypeWrapper<AdjudicationItemModel>;
  AgreementStats: ResolverTypeWrapper<AgreementStats>;
  Assignment: ResolverTypeWrapper<AssignmentModel>;
  AuthPayload: ResolverTypeWrapper<Omit<AuthPayload, 'user'> & { user: ResolversTypes['User'] }>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  IngestBatch: ResolverTypeWrapper<IngestBatchModel>;
  IngestFile: ResolverTypeWrapper<IngestFile>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  IntraReaderAgreement: ResolverTypeWrapper<IntraReaderAgreement>;
  LearningCurvePoint: ResolverTypeWrapper<LearningCurvePoint>;
  ModelMetrics: ResolverTypeWrapper<ModelMetrics>;
  ModelVersion: ResolverTypeWrapper<ModelVersionModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  MyProgress: ResolverTypeWrapper<MyProgress>;
  Progress: ResolverTypeWrapper<Progress>;
  Project: ResolverTypeWrapper<ProjectModel>;
  ProjectSettingsInput: ProjectSettingsInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Read: ResolverTypeWrapper<Read>;
  ReaderAccuracy: ResolverTypeWrapper<ReaderAccuracy>;
  ReaderPairAgreement: ResolverTypeWrapper<ReaderPairAgreement>;
  Role: Role;
  Screening: ResolverTypeWrapper<Screening>;
  ScreeningRow: ResolverTypeWrapper<ScreeningRow>;
  Series: ResolverTypeWrapper<SeriesModel>;
  SeriesRules: ResolverTypeWrapper<SeriesRules>;
  SeriesRulesInput: SeriesRulesInput;
  SeriesSlice: ResolverTypeWrapper<SeriesSlice>;
  Slice: ResolverTypeWrapper<SliceModel>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  SubmitLabelResult: ResolverTypeWrapper<SubmitLabelResult>;
  TrainingJob: ResolverTypeWrapper<TrainingJob>;
  User: ResolverTypeWrapper<UserModel>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Adjudication: Adjudication;
  AdjudicationItem: AdjudicationItemModel;
  AgreementStats: AgreementStats;
  Assignment: AssignmentModel;
  AuthPayload: Omit<AuthPayload, 'user'> & { user: ResolversParentTypes['User'] };
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  IngestBatch: IngestBatchModel;
  IngestFile: IngestFile;
  Int: Scalars['Int']['output'];
  IntraReaderAgreement: IntraReaderAgreement;
  LearningCurvePoint: LearningCurvePoint;
  ModelMetrics: ModelMetrics;
  ModelVersion: ModelVersionModel;
  Mutation: Record<PropertyKey, never>;
  MyProgress: MyProgress;
  Progress: Progress;
  Project: ProjectModel;
  ProjectSettingsInput: ProjectSettingsInput;
  Query: Record<PropertyKey, never>;
  Read: Read;
  ReaderAccuracy: ReaderAccuracy;
  ReaderPairAgreement: ReaderPairAgreement;
  Screening: Screening;
  ScreeningRow: ScreeningRow;
  Series: SeriesModel;
  SeriesRules: SeriesRules;
  SeriesRulesInput: SeriesRulesInput;
  SeriesSlice: SeriesSlice;
  Slice: SliceModel;
  String: Scalars['String']['output'];
  SubmitLabelResult: SubmitLabelResult;
  TrainingJob: TrainingJob;
  User: UserModel;
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

export type AssignmentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Assignment'] = ResolversParentTypes['Assignment']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  leaseExpiresAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prioritised?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  slice?: Resolver<ResolversTypes['Slice'], ParentType, ContextType>;
};

export type AuthPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = {
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
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
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type IngestFileResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IngestFile'] = ResolversParentTypes['IngestFile']> = {
  detail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
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
  thresholdChosenOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ModelVersionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelVersion'] = ResolversParentTypes['ModelVersion']> = {
  backbone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  backend?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  labelCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  metrics?: Resolver<ResolversTypes['ModelMetrics'], ParentType, ContextType>;
  round?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  strategy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addProjectMember?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationAddProjectMemberArgs, 'projectId' | 'userId'>>;
  adjudicate?: Resolver<ResolversTypes['Adjudication'], ParentType, ContextType, RequireFields<MutationAdjudicateArgs, 'itemId' | 'reason' | 'value'>>;
  createProject?: Resolver<ResolversTypes['Project'], ParentType, ContextType, RequireFields<MutationCreateProjectArgs, 'name' | 'readsPerSlice'>>;
  createUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'password' | 'roles' | 'username'>>;
  ingestDicomweb?: Resolver<ResolversTypes['IngestBatch'], ParentType, ContextType, RequireFields<MutationIngestDicomwebArgs, 'projectId' | 'url'>>;
  login?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'password' | 'username'>>;
  logout?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  promoteModel?: Resolver<ResolversTypes['ModelVersion'], ParentType, ContextType, RequireFields<MutationPromoteModelArgs, 'modelVersionId'>>;
  setUserRoles?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationSetUserRolesArgs, 'roles' | 'userId'>>;
  skipSlice?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationSkipSliceArgs, 'reason' | 'sliceId'>>;
  submitLabel?: Resolver<ResolversTypes['SubmitLabelResult'], ParentType, ContextType, RequireFields<MutationSubmitLabelArgs, 'sliceId' | 'value'>>;
  triggerTraining?: Resolver<ResolversTypes['TrainingJob'], ParentType, ContextType, RequireFields<MutationTriggerTrainingArgs, 'projectId'>>;
  unlockUser?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationUnlockUserArgs, 'userId'>>;
  updateProject?: Resolver<ResolversTypes['Project'], ParentType, ContextType, RequireFields<MutationUpdateProjectArgs, 'id' | 'settings'>>;
};

export type MyProgressResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MyProgress'] = ResolversParentTypes['MyProgress']> = {
  queueSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  readsDone?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
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
  alBatchSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  alMaxPerPatient?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  alMinGap?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  alStrategy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  leaseSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  progress?: Resolver<Maybe<ResolversTypes['Progress']>, ParentType, ContextType>;
  promotionTolerance?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  readsPerSlice?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reasonCodes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  repeatRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  repeatWashout?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  retrainEvery?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  screeningK?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seriesRules?: Resolver<ResolversTypes['SeriesRules'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  adjudicationQueue?: Resolver<Array<ResolversTypes['AdjudicationItem']>, ParentType, ContextType, RequireFields<QueryAdjudicationQueueArgs, 'projectId'>>;
  agreement?: Resolver<ResolversTypes['AgreementStats'], ParentType, ContextType, RequireFields<QueryAgreementArgs, 'projectId'>>;
  ingestBatch?: Resolver<ResolversTypes['IngestBatch'], ParentType, ContextType, RequireFields<QueryIngestBatchArgs, 'id'>>;
  ingestBatches?: Resolver<Array<ResolversTypes['IngestBatch']>, ParentType, ContextType, RequireFields<QueryIngestBatchesArgs, 'projectId'>>;
  learningCurve?: Resolver<Array<ResolversTypes['LearningCurvePoint']>, ParentType, ContextType, RequireFields<QueryLearningCurveArgs, 'projectId'>>;
  me?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  modelVersions?: Resolver<Array<ResolversTypes['ModelVersion']>, ParentType, ContextType, RequireFields<QueryModelVersionsArgs, 'projectId'>>;
  myProgress?: Resolver<ResolversTypes['MyProgress'], ParentType, ContextType, RequireFields<QueryMyProgressArgs, 'projectId'>>;
  nextSlice?: Resolver<Maybe<ResolversTypes['Assignment']>, ParentType, ContextType, RequireFields<QueryNextSliceArgs, 'projectId'>>;
  nextSlices?: Resolver<Array<ResolversTypes['Assignment']>, ParentType, ContextType, RequireFields<QueryNextSlicesArgs, 'count' | 'projectId'>>;
  project?: Resolver<ResolversTypes['Project'], ParentType, ContextType, RequireFields<QueryProjectArgs, 'id'>>;
  projects?: Resolver<Array<ResolversTypes['Project']>, ParentType, ContextType>;
  screening?: Resolver<ResolversTypes['Screening'], ParentType, ContextType, RequireFields<QueryScreeningArgs, 'minPositiveSlices' | 'modelVersionId'>>;
  users?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
};

export type ReadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Read'] = ResolversParentTypes['Read']> = {
  reader?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
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

export type ReaderPairAgreementResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ReaderPairAgreement'] = ResolversParentTypes['ReaderPairAgreement']> = {
  kappa?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  kappaHigh?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  kappaLow?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pairs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  percentAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  readerA?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  readerB?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
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

export type SubmitLabelResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SubmitLabelResult'] = ResolversParentTypes['SubmitLabelResult']> = {
  duplicate?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  sliceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrainingJobResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TrainingJob'] = ResolversParentTypes['TrainingJob']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  projects?: Resolver<Array<ResolversTypes['Project']>, ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['Role']>, ParentType, ContextType>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Adjudication?: AdjudicationResolvers<ContextType>;
  AdjudicationItem?: AdjudicationItemResolvers<ContextType>;
  AgreementStats?: AgreementStatsResolvers<ContextType>;
  Assignment?: AssignmentResolvers<ContextType>;
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  IngestBatch?: IngestBatchResolvers<ContextType>;
  IngestFile?: IngestFileResolvers<ContextType>;
  IntraReaderAgreement?: IntraReaderAgreementResolvers<ContextType>;
  LearningCurvePoint?: LearningCurvePointResolvers<ContextType>;
  ModelMetrics?: ModelMetricsResolvers<ContextType>;
  ModelVersion?: ModelVersionResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  MyProgress?: MyProgressResolvers<ContextType>;
  Progress?: ProgressResolvers<ContextType>;
  Project?: ProjectResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Read?: ReadResolvers<ContextType>;
  ReaderAccuracy?: ReaderAccuracyResolvers<ContextType>;
  ReaderPairAgreement?: ReaderPairAgreementResolvers<ContextType>;
  Screening?: ScreeningResolvers<ContextType>;
  ScreeningRow?: ScreeningRowResolvers<ContextType>;
  Series?: SeriesResolvers<ContextType>;
  SeriesRules?: SeriesRulesResolvers<ContextType>;
  SeriesSlice?: SeriesSliceResolvers<ContextType>;
  Slice?: SliceResolvers<ContextType>;
  SubmitLabelResult?: SubmitLabelResultResolvers<ContextType>;
  TrainingJob?: TrainingJobResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
};


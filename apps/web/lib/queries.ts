/**
 * GraphQL documents used by the pages, kept together so field lists stay consistent. Each is a
 * typed document: `npm run codegen` generates its result and variable types into lib/gql/ from
 * schema.graphql, so a page cannot ask for a field the API lacks or misread the answer's shape.
 */
import { graphql } from './gql';

export const SLICE_FIELDS = graphql(`fragment SliceFields on Slice {
  id imageUrl position windowCenter windowWidth series { id description slices { id position imageUrl } }
}`);

export const ESTIMATE_FIELDS = graphql(`fragment EstimateFields on Estimate { value low high method patients slices }`);

export const SCREENING_ROW_FIELDS = graphql(`fragment ScreeningRowFields on ScreeningRow {
  minPositiveSlices sensitivity sensitivityLow sensitivityHigh specificity specificityLow specificityHigh
  truePositives falseNegatives trueNegatives falsePositives
}`);

export const PROJECT_FIELDS = graphql(`fragment ProjectFields on Project {
  id name readsPerSlice leaseSeconds reasonCodes repeatRate repeatWashout adjudicatorMayHaveRead retrainEvery alStrategy screeningK
  alBatchSize alMaxPerPatient alMinGap promotionTolerance
  seriesRules { maxAxialAngleDeg minEchoTimeMs maxEchoTimeMs minRepetitionTimeMs descriptionPattern }
}`);

export const ME = graphql(`query Me { me { id username roles projects { id name } } }`);
export const LOGIN = graphql(`mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) { token } }`);
export const LOGOUT = graphql(`mutation Logout { logout }`);

/** The slice to read now plus one leased ahead, so its image is decoded before it is needed. */
export const NEXT_SLICES = graphql(`query NextSlices($projectId: ID!) {
  nextSlices(projectId: $projectId, count: 2) { id leaseExpiresAt slice { ...SliceFields } }
  myProgress(projectId: $projectId) { readsDone queueSize }
}`);

export const PROJECT = graphql(`query Project($id: ID!) { project(id: $id) { ...ProjectFields } }`);

/** The label, and (in the same round trip) the leases NEXT_SLICES would return after it. */
export const SUBMIT_LABEL = graphql(`mutation SubmitLabel($sliceId: ID!, $value: Int!, $clientRequestId: ID, $screenSeconds: Float) {
  submitLabel(sliceId: $sliceId, value: $value, clientRequestId: $clientRequestId, screenSeconds: $screenSeconds, lookahead: 2) {
    ok sliceId value duplicate feedback { correct expected reasoning answered total passed }
    upcoming { id leaseExpiresAt slice { ...SliceFields } }
    progress { readsDone queueSize }
  }
}`);

export const SKIP_SLICE = graphql(`mutation SkipSlice($sliceId: ID!, $reason: String!) { skipSlice(sliceId: $sliceId, reason: $reason) }`);

export const ADJUDICATION_QUEUE = graphql(`query AdjudicationQueue($projectId: ID!) {
  adjudicationQueue(projectId: $projectId) { id openedAt reads { reader value } slice { ...SliceFields } }
}`);

export const ADJUDICATE = graphql(`mutation Adjudicate($itemId: ID!, $value: Int!, $reason: String!, $note: String) {
  adjudicate(itemId: $itemId, value: $value, reason: $reason, note: $note) { id itemId value reason note createdAt }
}`);

export const DASHBOARD = graphql(`query Dashboard($projectId: ID!) {
  project(id: $projectId) { id name screeningK retrainEvery progress { slices readsDone readsRequired finalLabels openAdjudications positiveFinal } }
  agreement(projectId: $projectId) {
    pairs percentAgreement positiveAgreement negativeAgreement kappa kappaLow kappaHigh pabak gwetAc1 table
    readerPairs { readerA readerB pairs percentAgreement kappa kappaLow kappaHigh }
    readers { reader reads sensitivity specificity mcnemarP positiveRate }
    intraReader { reader pairs percentAgreement kappa }
    bySelection { mode pairs percentAgreement kappa kappaLow kappaHigh positiveAgreement negativeAgreement }
  }
  evaluationSet(projectId: $projectId) { id frozenAt patients cases controls slices labelledSlices complete }
  modelVersions(projectId: $projectId) {
    id round status backbone backend strategy labelCount createdAt
    metrics { accuracy sensitivity specificity auc aucLow aucHigh threshold thresholdChosenOn ece testSlices testPatients }
    evaluation { complete labelledSlices slices insufficient
      auc { ...EstimateFields } sensitivity { ...EstimateFields } specificity { ...EstimateFields } balancedAccuracy { ...EstimateFields }
      patientSensitivity { ...EstimateFields } patientSpecificity { ...EstimateFields } }
    promotion { basis decidedAt decidedBy note }
    validation { slices candidateAuc currentAuc }
    operatingPoint { threshold rule target achieved n }
    calibration { method temperature priorShift eceBefore eceAfter slices }
  }
}`);

export const SCREENING = graphql(`query Screening($modelVersionId: ID!, $k: Int) {
  screening(modelVersionId: $modelVersionId, minPositiveSlices: $k) {
    modelVersionId minPositiveSlices
    row { ...ScreeningRowFields }
    roc { ...ScreeningRowFields }
  }
}`);

export const PROMOTE_MODEL = graphql(
  `mutation PromoteModel($modelVersionId: ID!, $note: String) { promoteModel(modelVersionId: $modelVersionId, note: $note) { id status } }`,
);
export const FREEZE_EVALUATION_SET = graphql(`mutation FreezeEvaluationSet($projectId: ID!) { freezeEvaluationSet(projectId: $projectId) { id frozenAt } }`);
export const COMPARE_VERSIONS = graphql(`query CompareVersions($a: ID!, $b: ID!) { compareVersions(a: $a, b: $b) { ...EstimateFields } }`);
export const STOPPING_SIGNAL = graphql(`query StoppingSignal($projectId: ID!) {
  stoppingSignal(projectId: $projectId) { window plateau verdict steps { fromRound toRound labels insufficient delta { ...EstimateFields } } }
}`);
export const TRIGGER_TRAINING = graphql(`mutation TriggerTraining($projectId: ID!) { triggerTraining(projectId: $projectId) { id state } }`);

export const USERS = graphql(`query Users { users { id username roles projects { id name } } }`);
export const CREATE_USER = graphql(`mutation CreateUser($username: String!, $password: String!, $roles: [Role!]!, $projectIds: [ID!]) {
  createUser(username: $username, password: $password, roles: $roles, projectIds: $projectIds) { id username roles projects { id name } }
}`);
export const SET_USER_ROLES = graphql(
  `mutation SetUserRoles($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id username roles projects { id name } } }`,
);
/** Clears a user's login delays after failed logins (admins; audited). */
export const UNLOCK_USER = graphql(`mutation UnlockUser($userId: ID!) { unlockUser(userId: $userId) }`);
export const UPDATE_PROJECT = graphql(
  `mutation UpdateProject($id: ID!, $settings: ProjectSettingsInput!) { updateProject(id: $id, settings: $settings) { ...ProjectFields } }`,
);
export const INGEST_DICOMWEB = graphql(`mutation IngestDicomweb($projectId: ID!, $url: String!, $studyUid: String) {
  ingestDicomweb(projectId: $projectId, url: $url, studyUid: $studyUid) { id }
}`);

export const INGEST_BATCHES = graphql(
  `query IngestBatches($projectId: ID!) { ingestBatches(projectId: $projectId) { id source status total accepted skipped rejected startedAt finishedAt } }`,
);
export const INGEST_FILES = graphql(
  `query IngestFiles($id: ID!, $status: String) { ingestBatch(id: $id) { id files(status: $status, limit: 500) { path status reason detail } } }`,
);

// Reader quality control (apps/api/src/reader-qc/SPEC.md): leads and admins only.
export const READER_PERFORMANCE = graphql(`query ReaderPerformance($projectId: ID!) {
  readerPerformance(projectId: $projectId) {
    reader userId reads goldReads
    goldAccuracy { ...EstimateFields } goldSensitivity { ...EstimateFields } goldSpecificity { ...EstimateFields } rollingGoldAccuracy { ...EstimateFields }
    goldTrend { fromGoldRead toGoldRead accuracy { ...EstimateFields } }
    medianSecondsPerRead p90SecondsPerRead timedReads fastReads medianScreenSeconds screenTimedReads flagged paused insufficient
    agreementWithOthers { pairs percentAgreement kappa kappaLow kappaHigh method }
    calibration { answered total passed accuracy { ...EstimateFields } }
    intraReader { pairs percentAgreement kappa kappaLow kappaHigh method }
  }
}`);
export const RESUME_READER = graphql(`mutation ResumeReader($projectId: ID!, $userId: ID!) { resumeReader(projectId: $projectId, userId: $userId) }`);
export const UNLOCK_READER = graphql(`mutation UnlockReader($projectId: ID!, $userId: ID!) { unlockReader(projectId: $projectId, userId: $userId) }`);

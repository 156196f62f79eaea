/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment SliceFields on Slice {\n  id imageUrl position windowCenter windowWidth series { id description slices { id position imageUrl } }\n}": typeof types.SliceFieldsFragmentDoc,
    "fragment EstimateFields on Estimate { value low high method patients slices }": typeof types.EstimateFieldsFragmentDoc,
    "fragment ScreeningRowFields on ScreeningRow {\n  minPositiveSlices sensitivity sensitivityLow sensitivityHigh specificity specificityLow specificityHigh\n  truePositives falseNegatives trueNegatives falsePositives\n}": typeof types.ScreeningRowFieldsFragmentDoc,
    "fragment ProjectFields on Project {\n  id name readsPerSlice leaseSeconds reasonCodes repeatRate repeatWashout adjudicatorMayHaveRead retrainEvery alStrategy screeningK\n  alBatchSize alMaxPerPatient alMinGap promotionTolerance\n  seriesRules { maxAxialAngleDeg minEchoTimeMs maxEchoTimeMs minRepetitionTimeMs descriptionPattern }\n}": typeof types.ProjectFieldsFragmentDoc,
    "query Me { me { id username roles projects { id name } } }": typeof types.MeDocument,
    "mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) { token } }": typeof types.LoginDocument,
    "mutation Logout { logout }": typeof types.LogoutDocument,
    "query NextSlices($projectId: ID!) {\n  nextSlices(projectId: $projectId, count: 2) { id leaseExpiresAt slice { ...SliceFields } }\n  myProgress(projectId: $projectId) { readsDone queueSize }\n}": typeof types.NextSlicesDocument,
    "query Project($id: ID!) { project(id: $id) { ...ProjectFields } }": typeof types.ProjectDocument,
    "mutation SubmitLabel($sliceId: ID!, $value: Int!, $clientRequestId: ID, $screenSeconds: Float) {\n  submitLabel(sliceId: $sliceId, value: $value, clientRequestId: $clientRequestId, screenSeconds: $screenSeconds, lookahead: 2) {\n    ok sliceId value duplicate feedback { correct expected reasoning answered total passed }\n    upcoming { id leaseExpiresAt slice { ...SliceFields } }\n    progress { readsDone queueSize }\n  }\n}": typeof types.SubmitLabelDocument,
    "mutation SkipSlice($sliceId: ID!, $reason: String!) { skipSlice(sliceId: $sliceId, reason: $reason) }": typeof types.SkipSliceDocument,
    "query AdjudicationQueue($projectId: ID!) {\n  adjudicationQueue(projectId: $projectId) { id openedAt reads { reader value } slice { ...SliceFields } }\n}": typeof types.AdjudicationQueueDocument,
    "mutation Adjudicate($itemId: ID!, $value: Int!, $reason: String!, $note: String) {\n  adjudicate(itemId: $itemId, value: $value, reason: $reason, note: $note) { id itemId value reason note createdAt }\n}": typeof types.AdjudicateDocument,
    "query Dashboard($projectId: ID!) {\n  project(id: $projectId) { id name screeningK retrainEvery progress { slices readsDone readsRequired finalLabels openAdjudications positiveFinal } }\n  agreement(projectId: $projectId) {\n    pairs percentAgreement positiveAgreement negativeAgreement kappa kappaLow kappaHigh pabak gwetAc1 table\n    readerPairs { readerA readerB pairs percentAgreement kappa kappaLow kappaHigh }\n    readers { reader reads sensitivity specificity mcnemarP positiveRate }\n    intraReader { reader pairs percentAgreement kappa }\n    bySelection { mode pairs percentAgreement kappa kappaLow kappaHigh positiveAgreement negativeAgreement }\n  }\n  evaluationSet(projectId: $projectId) { id frozenAt patients cases controls slices labelledSlices complete }\n  modelVersions(projectId: $projectId) {\n    id round status backbone backend strategy labelCount createdAt\n    metrics { accuracy sensitivity specificity auc aucLow aucHigh threshold thresholdChosenOn ece testSlices testPatients }\n    evaluation { complete labelledSlices slices insufficient\n      auc { ...EstimateFields } sensitivity { ...EstimateFields } specificity { ...EstimateFields } balancedAccuracy { ...EstimateFields }\n      patientSensitivity { ...EstimateFields } patientSpecificity { ...EstimateFields } }\n    promotion { basis decidedAt decidedBy note }\n    validation { slices candidateAuc currentAuc }\n    operatingPoint { threshold rule target achieved n }\n    calibration { method temperature priorShift eceBefore eceAfter slices }\n  }\n}": typeof types.DashboardDocument,
    "query Screening($modelVersionId: ID!, $k: Int) {\n  screening(modelVersionId: $modelVersionId, minPositiveSlices: $k) {\n    modelVersionId minPositiveSlices\n    row { ...ScreeningRowFields }\n    roc { ...ScreeningRowFields }\n  }\n}": typeof types.ScreeningDocument,
    "mutation PromoteModel($modelVersionId: ID!, $note: String) { promoteModel(modelVersionId: $modelVersionId, note: $note) { id status } }": typeof types.PromoteModelDocument,
    "mutation FreezeEvaluationSet($projectId: ID!) { freezeEvaluationSet(projectId: $projectId) { id frozenAt } }": typeof types.FreezeEvaluationSetDocument,
    "query CompareVersions($a: ID!, $b: ID!) { compareVersions(a: $a, b: $b) { ...EstimateFields } }": typeof types.CompareVersionsDocument,
    "query StoppingSignal($projectId: ID!) {\n  stoppingSignal(projectId: $projectId) { window plateau verdict steps { fromRound toRound labels insufficient delta { ...EstimateFields } } }\n}": typeof types.StoppingSignalDocument,
    "mutation TriggerTraining($projectId: ID!) { triggerTraining(projectId: $projectId) { id state } }": typeof types.TriggerTrainingDocument,
    "query Users { users { id username roles projects { id name } } }": typeof types.UsersDocument,
    "mutation CreateUser($username: String!, $password: String!, $roles: [Role!]!, $projectIds: [ID!]) {\n  createUser(username: $username, password: $password, roles: $roles, projectIds: $projectIds) { id username roles projects { id name } }\n}": typeof types.CreateUserDocument,
    "mutation SetUserRoles($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id username roles projects { id name } } }": typeof types.SetUserRolesDocument,
    "mutation UnlockUser($userId: ID!) { unlockUser(userId: $userId) }": typeof types.UnlockUserDocument,
    "mutation UpdateProject($id: ID!, $settings: ProjectSettingsInput!) { updateProject(id: $id, settings: $settings) { ...ProjectFields } }": typeof types.UpdateProjectDocument,
    "mutation IngestDicomweb($projectId: ID!, $url: String!, $studyUid: String) {\n  ingestDicomweb(projectId: $projectId, url: $url, studyUid: $studyUid) { id }\n}": typeof types.IngestDicomwebDocument,
    "query IngestBatches($projectId: ID!) { ingestBatches(projectId: $projectId) { id source status total accepted skipped rejected startedAt finishedAt } }": typeof types.IngestBatchesDocument,
    "query IngestFiles($id: ID!, $status: String) { ingestBatch(id: $id) { id files(status: $status, limit: 500) { path status reason detail } } }": typeof types.IngestFilesDocument,
    "query ReaderPerformance($projectId: ID!) {\n  readerPerformance(projectId: $projectId) {\n    reader userId reads goldReads\n    goldAccuracy { ...EstimateFields } goldSensitivity { ...EstimateFields } goldSpecificity { ...EstimateFields } rollingGoldAccuracy { ...EstimateFields }\n    goldTrend { fromGoldRead toGoldRead accuracy { ...EstimateFields } }\n    medianSecondsPerRead p90SecondsPerRead timedReads fastReads medianScreenSeconds screenTimedReads flagged paused insufficient\n    agreementWithOthers { pairs percentAgreement kappa kappaLow kappaHigh method }\n    calibration { answered total passed accuracy { ...EstimateFields } }\n    intraReader { pairs percentAgreement kappa kappaLow kappaHigh method }\n  }\n}": typeof types.ReaderPerformanceDocument,
    "mutation ResumeReader($projectId: ID!, $userId: ID!) { resumeReader(projectId: $projectId, userId: $userId) }": typeof types.ResumeReaderDocument,
    "mutation UnlockReader($projectId: ID!, $userId: ID!) { unlockReader(projectId: $projectId, userId: $userId) }": typeof types.UnlockReaderDocument,
};
const documents: Documents = {
    "fragment SliceFields on Slice {\n  id imageUrl position windowCenter windowWidth series { id description slices { id position imageUrl } }\n}": types.SliceFieldsFragmentDoc,
    "fragment EstimateFields on Estimate { value low high method patients slices }": types.EstimateFieldsFragmentDoc,
    "fragment ScreeningRowFields on ScreeningRow {\n  minPositiveSlices sensitivity sensitivityLow sensitivityHigh specificity specificityLow specificityHigh\n  truePositives falseNegatives trueNegatives falsePositives\n}": types.ScreeningRowFieldsFragmentDoc,
    "fragment ProjectFields on Project {\n  id name readsPerSlice leaseSeconds reasonCodes repeatRate repeatWashout adjudicatorMayHaveRead retrainEvery alStrategy screeningK\n  alBatchSize alMaxPerPatient alMinGap promotionTolerance\n  seriesRules { maxAxialAngleDeg minEchoTimeMs maxEchoTimeMs minRepetitionTimeMs descriptionPattern }\n}": types.ProjectFieldsFragmentDoc,
    "query Me { me { id username roles projects { id name } } }": types.MeDocument,
    "mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) { token } }": types.LoginDocument,
    "mutation Logout { logout }": types.LogoutDocument,
    "query NextSlices($projectId: ID!) {\n  nextSlices(projectId: $projectId, count: 2) { id leaseExpiresAt slice { ...SliceFields } }\n  myProgress(projectId: $projectId) { readsDone queueSize }\n}": types.NextSlicesDocument,
    "query Project($id: ID!) { project(id: $id) { ...ProjectFields } }": types.ProjectDocument,
    "mutation SubmitLabel($sliceId: ID!, $value: Int!, $clientRequestId: ID, $screenSeconds: Float) {\n  submitLabel(sliceId: $sliceId, value: $value, clientRequestId: $clientRequestId, screenSeconds: $screenSeconds, lookahead: 2) {\n    ok sliceId value duplicate feedback { correct expected reasoning answered total passed }\n    upcoming { id leaseExpiresAt slice { ...SliceFields } }\n    progress { readsDone queueSize }\n  }\n}": types.SubmitLabelDocument,
    "mutation SkipSlice($sliceId: ID!, $reason: String!) { skipSlice(sliceId: $sliceId, reason: $reason) }": types.SkipSliceDocument,
    "query AdjudicationQueue($projectId: ID!) {\n  adjudicationQueue(projectId: $projectId) { id openedAt reads { reader value } slice { ...SliceFields } }\n}": types.AdjudicationQueueDocument,
    "mutation Adjudicate($itemId: ID!, $value: Int!, $reason: String!, $note: String) {\n  adjudicate(itemId: $itemId, value: $value, reason: $reason, note: $note) { id itemId value reason note createdAt }\n}": types.AdjudicateDocument,
    "query Dashboard($projectId: ID!) {\n  project(id: $projectId) { id name screeningK retrainEvery progress { slices readsDone readsRequired finalLabels openAdjudications positiveFinal } }\n  agreement(projectId: $projectId) {\n    pairs percentAgreement positiveAgreement negativeAgreement kappa kappaLow kappaHigh pabak gwetAc1 table\n    readerPairs { readerA readerB pairs percentAgreement kappa kappaLow kappaHigh }\n    readers { reader reads sensitivity specificity mcnemarP positiveRate }\n    intraReader { reader pairs percentAgreement kappa }\n    bySelection { mode pairs percentAgreement kappa kappaLow kappaHigh positiveAgreement negativeAgreement }\n  }\n  evaluationSet(projectId: $projectId) { id frozenAt patients cases controls slices labelledSlices complete }\n  modelVersions(projectId: $projectId) {\n    id round status backbone backend strategy labelCount createdAt\n    metrics { accuracy sensitivity specificity auc aucLow aucHigh threshold thresholdChosenOn ece testSlices testPatients }\n    evaluation { complete labelledSlices slices insufficient\n      auc { ...EstimateFields } sensitivity { ...EstimateFields } specificity { ...EstimateFields } balancedAccuracy { ...EstimateFields }\n      patientSensitivity { ...EstimateFields } patientSpecificity { ...EstimateFields } }\n    promotion { basis decidedAt decidedBy note }\n    validation { slices candidateAuc currentAuc }\n    operatingPoint { threshold rule target achieved n }\n    calibration { method temperature priorShift eceBefore eceAfter slices }\n  }\n}": types.DashboardDocument,
    "query Screening($modelVersionId: ID!, $k: Int) {\n  screening(modelVersionId: $modelVersionId, minPositiveSlices: $k) {\n    modelVersionId minPositiveSlices\n    row { ...ScreeningRowFields }\n    roc { ...ScreeningRowFields }\n  }\n}": types.ScreeningDocument,
    "mutation PromoteModel($modelVersionId: ID!, $note: String) { promoteModel(modelVersionId: $modelVersionId, note: $note) { id status } }": types.PromoteModelDocument,
    "mutation FreezeEvaluationSet($projectId: ID!) { freezeEvaluationSet(projectId: $projectId) { id frozenAt } }": types.FreezeEvaluationSetDocument,
    "query CompareVersions($a: ID!, $b: ID!) { compareVersions(a: $a, b: $b) { ...EstimateFields } }": types.CompareVersionsDocument,
    "query StoppingSignal($projectId: ID!) {\n  stoppingSignal(projectId: $projectId) { window plateau verdict steps { fromRound toRound labels insufficient delta { ...EstimateFields } } }\n}": types.StoppingSignalDocument,
    "mutation TriggerTraining($projectId: ID!) { triggerTraining(projectId: $projectId) { id state } }": types.TriggerTrainingDocument,
    "query Users { users { id username roles projects { id name } } }": types.UsersDocument,
    "mutation CreateUser($username: String!, $password: String!, $roles: [Role!]!, $projectIds: [ID!]) {\n  createUser(username: $username, password: $password, roles: $roles, projectIds: $projectIds) { id username roles projects { id name } }\n}": types.CreateUserDocument,
    "mutation SetUserRoles($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id username roles projects { id name } } }": types.SetUserRolesDocument,
    "mutation UnlockUser($userId: ID!) { unlockUser(userId: $userId) }": types.UnlockUserDocument,
    "mutation UpdateProject($id: ID!, $settings: ProjectSettingsInput!) { updateProject(id: $id, settings: $settings) { ...ProjectFields } }": types.UpdateProjectDocument,
    "mutation IngestDicomweb($projectId: ID!, $url: String!, $studyUid: String) {\n  ingestDicomweb(projectId: $projectId, url: $url, studyUid: $studyUid) { id }\n}": types.IngestDicomwebDocument,
    "query IngestBatches($projectId: ID!) { ingestBatches(projectId: $projectId) { id source status total accepted skipped rejected startedAt finishedAt } }": types.IngestBatchesDocument,
    "query IngestFiles($id: ID!, $status: String) { ingestBatch(id: $id) { id files(status: $status, limit: 500) { path status reason detail } } }": types.IngestFilesDocument,
    "query ReaderPerformance($projectId: ID!) {\n  readerPerformance(projectId: $projectId) {\n    reader userId reads goldReads\n    goldAccuracy { ...EstimateFields } goldSensitivity { ...EstimateFields } goldSpecificity { ...EstimateFields } rollingGoldAccuracy { ...EstimateFields }\n    goldTrend { fromGoldRead toGoldRead accuracy { ...EstimateFields } }\n    medianSecondsPerRead p90SecondsPerRead timedReads fastReads medianScreenSeconds screenTimedReads flagged paused insufficient\n    agreementWithOthers { pairs percentAgreement kappa kappaLow kappaHigh method }\n    calibration { answered total passed accuracy { ...EstimateFields } }\n    intraReader { pairs percentAgreement kappa kappaLow kappaHigh method }\n  }\n}": types.ReaderPerformanceDocument,
    "mutation ResumeReader($projectId: ID!, $userId: ID!) { resumeReader(projectId: $projectId, userId: $userId) }": types.ResumeReaderDocument,
    "mutation UnlockReader($projectId: ID!, $userId: ID!) { unlockReader(projectId: $projectId, userId: $userId) }": types.UnlockReaderDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SliceFields on Slice {\n  id imageUrl position windowCenter windowWidth series { id description slices { id position imageUrl } }\n}"): typeof import('./graphql').SliceFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment EstimateFields on Estimate { value low high method patients slices }"): typeof import('./graphql').EstimateFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ScreeningRowFields on ScreeningRow {\n  minPositiveSlices sensitivity sensitivityLow sensitivityHigh specificity specificityLow specificityHigh\n  truePositives falseNegatives trueNegatives falsePositives\n}"): typeof import('./graphql').ScreeningRowFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ProjectFields on Project {\n  id name readsPerSlice leaseSeconds reasonCodes repeatRate repeatWashout adjudicatorMayHaveRead retrainEvery alStrategy screeningK\n  alBatchSize alMaxPerPatient alMinGap promotionTolerance\n  seriesRules { maxAxialAngleDeg minEchoTimeMs maxEchoTimeMs minRepetitionTimeMs descriptionPattern }\n}"): typeof import('./graphql').ProjectFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me { me { id username roles projects { id name } } }"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) { token } }"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout { logout }"): typeof import('./graphql').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query NextSlices($projectId: ID!) {\n  nextSlices(projectId: $projectId, count: 2) { id leaseExpiresAt slice { ...SliceFields } }\n  myProgress(projectId: $projectId) { readsDone queueSize }\n}"): typeof import('./graphql').NextSlicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Project($id: ID!) { project(id: $id) { ...ProjectFields } }"): typeof import('./graphql').ProjectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SubmitLabel($sliceId: ID!, $value: Int!, $clientRequestId: ID, $screenSeconds: Float) {\n  submitLabel(sliceId: $sliceId, value: $value, clientRequestId: $clientRequestId, screenSeconds: $screenSeconds, lookahead: 2) {\n    ok sliceId value duplicate feedback { correct expected reasoning answered total passed }\n    upcoming { id leaseExpiresAt slice { ...SliceFields } }\n    progress { readsDone queueSize }\n  }\n}"): typeof import('./graphql').SubmitLabelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SkipSlice($sliceId: ID!, $reason: String!) { skipSlice(sliceId: $sliceId, reason: $reason) }"): typeof import('./graphql').SkipSliceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AdjudicationQueue($projectId: ID!) {\n  adjudicationQueue(projectId: $projectId) { id openedAt reads { reader value } slice { ...SliceFields } }\n}"): typeof import('./graphql').AdjudicationQueueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Adjudicate($itemId: ID!, $value: Int!, $reason: String!, $note: String) {\n  adjudicate(itemId: $itemId, value: $value, reason: $reason, note: $note) { id itemId value reason note createdAt }\n}"): typeof import('./graphql').AdjudicateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dashboard($projectId: ID!) {\n  project(id: $projectId) { id name screeningK retrainEvery progress { slices readsDone readsRequired finalLabels openAdjudications positiveFinal } }\n  agreement(projectId: $projectId) {\n    pairs percentAgreement positiveAgreement negativeAgreement kappa kappaLow kappaHigh pabak gwetAc1 table\n    readerPairs { readerA readerB pairs percentAgreement kappa kappaLow kappaHigh }\n    readers { reader reads sensitivity specificity mcnemarP positiveRate }\n    intraReader { reader pairs percentAgreement kappa }\n    bySelection { mode pairs percentAgreement kappa kappaLow kappaHigh positiveAgreement negativeAgreement }\n  }\n  evaluationSet(projectId: $projectId) { id frozenAt patients cases controls slices labelledSlices complete }\n  modelVersions(projectId: $projectId) {\n    id round status backbone backend strategy labelCount createdAt\n    metrics { accuracy sensitivity specificity auc aucLow aucHigh threshold thresholdChosenOn ece testSlices testPatients }\n    evaluation { complete labelledSlices slices insufficient\n      auc { ...EstimateFields } sensitivity { ...EstimateFields } specificity { ...EstimateFields } balancedAccuracy { ...EstimateFields }\n      patientSensitivity { ...EstimateFields } patientSpecificity { ...EstimateFields } }\n    promotion { basis decidedAt decidedBy note }\n    validation { slices candidateAuc currentAuc }\n    operatingPoint { threshold rule target achieved n }\n    calibration { method temperature priorShift eceBefore eceAfter slices }\n  }\n}"): typeof import('./graphql').DashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Screening($modelVersionId: ID!, $k: Int) {\n  screening(modelVersionId: $modelVersionId, minPositiveSlices: $k) {\n    modelVersionId minPositiveSlices\n    row { ...ScreeningRowFields }\n    roc { ...ScreeningRowFields }\n  }\n}"): typeof import('./graphql').ScreeningDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PromoteModel($modelVersionId: ID!, $note: String) { promoteModel(modelVersionId: $modelVersionId, note: $note) { id status } }"): typeof import('./graphql').PromoteModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation FreezeEvaluationSet($projectId: ID!) { freezeEvaluationSet(projectId: $projectId) { id frozenAt } }"): typeof import('./graphql').FreezeEvaluationSetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CompareVersions($a: ID!, $b: ID!) { compareVersions(a: $a, b: $b) { ...EstimateFields } }"): typeof import('./graphql').CompareVersionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StoppingSignal($projectId: ID!) {\n  stoppingSignal(projectId: $projectId) { window plateau verdict steps { fromRound toRound labels insufficient delta { ...EstimateFields } } }\n}"): typeof import('./graphql').StoppingSignalDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TriggerTraining($projectId: ID!) { triggerTraining(projectId: $projectId) { id state } }"): typeof import('./graphql').TriggerTrainingDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Users { users { id username roles projects { id name } } }"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateUser($username: String!, $password: String!, $roles: [Role!]!, $projectIds: [ID!]) {\n  createUser(username: $username, password: $password, roles: $roles, projectIds: $projectIds) { id username roles projects { id name } }\n}"): typeof import('./graphql').CreateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetUserRoles($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id username roles projects { id name } } }"): typeof import('./graphql').SetUserRolesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UnlockUser($userId: ID!) { unlockUser(userId: $userId) }"): typeof import('./graphql').UnlockUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateProject($id: ID!, $settings: ProjectSettingsInput!) { updateProject(id: $id, settings: $settings) { ...ProjectFields } }"): typeof import('./graphql').UpdateProjectDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation IngestDicomweb($projectId: ID!, $url: String!, $studyUid: String) {\n  ingestDicomweb(projectId: $projectId, url: $url, studyUid: $studyUid) { id }\n}"): typeof import('./graphql').IngestDicomwebDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IngestBatches($projectId: ID!) { ingestBatches(projectId: $projectId) { id source status total accepted skipped rejected startedAt finishedAt } }"): typeof import('./graphql').IngestBatchesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IngestFiles($id: ID!, $status: String) { ingestBatch(id: $id) { id files(status: $status, limit: 500) { path status reason detail } } }"): typeof import('./graphql').IngestFilesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ReaderPerformance($projectId: ID!) {\n  readerPerformance(projectId: $projectId) {\n    reader userId reads goldReads\n    goldAccuracy { ...EstimateFields } goldSensitivity { ...EstimateFields } goldSpecificity { ...EstimateFields } rollingGoldAccuracy { ...EstimateFields }\n    goldTrend { fromGoldRead toGoldRead accuracy { ...EstimateFields } }\n    medianSecondsPerRead p90SecondsPerRead timedReads fastReads medianScreenSeconds screenTimedReads flagged paused insufficient\n    agreementWithOthers { pairs percentAgreement kappa kappaLow kappaHigh method }\n    calibration { answered total passed accuracy { ...EstimateFields } }\n    intraReader { pairs percentAgreement kappa kappaLow kappaHigh method }\n  }\n}"): typeof import('./graphql').ReaderPerformanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ResumeReader($projectId: ID!, $userId: ID!) { resumeReader(projectId: $projectId, userId: $userId) }"): typeof import('./graphql').ResumeReaderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UnlockReader($projectId: ID!, $userId: ID!) { unlockReader(projectId: $projectId, userId: $userId) }"): typeof import('./graphql').UnlockReaderDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

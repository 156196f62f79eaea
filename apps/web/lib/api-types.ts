/** Shapes of the API answers this app asks for (schema.graphql is the source). */
export type Role = 'ADMIN' | 'LEAD' | 'ADJUDICATOR' | 'LABELER';

export type ProjectRef = { id: string; name: string };
export type Me = { id: string; username: string; roles: Role[]; projects: ProjectRef[] };

export type SeriesSlice = { id: string; position: number; imageUrl: string };
export type Slice = {
  id: string;
  imageUrl: string;
  position: number;
  windowCenter: number | null;
  windowWidth: number | null;
  series: { id: string; description: string | null; slices: SeriesSlice[] };
};
export type Assignment = { id: string; slice: Slice; leaseExpiresAt: string };
export type MyProgress = { readsDone: number; queueSize: number };

export type Progress = {
  slices: number;
  readsDone: number;
  readsRequired: number;
  finalLabels: number;
  openAdjudications: number;
  positiveFinal: number;
};

export type SeriesRules = {
  maxAxialAngleDeg: number;
  minEchoTimeMs: number;
  maxEchoTimeMs: number;
  minRepetitionTimeMs: number;
  descriptionPattern: string;
};

export type Project = {
  id: string;
  name: string;
  readsPerSlice: number;
  leaseSeconds: number;
  reasonCodes: string[];
  repeatRate: number;
  repeatWashout: number;
  adjudicatorMayHaveRead: boolean;
  retrainEvery: number;
  alStrategy: string;
  screeningK: number;
  alBatchSize: number;
  alMaxPerPatient: number;
  alMinGap: number;
  promotionTolerance: number;
  seriesRules: SeriesRules;
  progress: Progress | null;
};

export type AdjudicationItem = { id: string; slice: Slice; reads: { reader: string; value: number }[]; openedAt: string };

// Selected whole by the lead page, so the codegen type of the contract is the answer's shape.
export type { AgreementStats } from '../../api/src/graphql/generated';
import type { Calibration, CalibrationFeedback, Estimate, Evaluation, EvaluationSet, GoldWindow, OperatingPoint, Promotion, ReaderKappa, ReaderPerformance, SelectionAgreement, ValidationComparison } from '../../api/src/graphql/generated';
export type { Calibration, CalibrationFeedback, Estimate, Evaluation, EvaluationSet, GoldWindow, OperatingPoint, Promotion, ReaderKappa, ReaderPerformance, SelectionAgreement, ValidationComparison };

export type ModelVersion = {
  id: string;
  round: number;
  status: string;
  backbone: string;
  backend: string;
  strategy: string;
  labelCount: number;
  createdAt: string;
  metrics: { accuracy: number | null; sensitivity: number | null; specificity: number | null; auc: number | null; aucLow: number | null; aucHigh: number | null; threshold: number; thresholdChosenOn: 'VALIDATION' | 'DEFAULT'; ece: number | null; testSlices: number; testPatients: number };
  evaluation: Evaluation;
  promotion: Promotion | null;
  validation: ValidationComparison | null;
  operatingPoint: OperatingPoint | null;
  calibration: Calibration | null;
};

export type ScreeningRow = {
  minPositiveSlices: number;
  sensitivity: number;
  sensitivityLow: number;
  sensitivityHigh: number;
  specificity: number;
  specificityLow: number;
  specificityHigh: number;
  truePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  falsePositives: number;
};
export type Screening = { modelVersionId: string; minPositiveSlices: number; row: ScreeningRow; roc: ScreeningRow[] };
export type LearningCurvePoint = { round: number; labelCount: number; auc: number | null; accuracy: number | null; modelVersionId: string };

export type UserRow = { id: string; username: string; roles: Role[]; projects: ProjectRef[] };
export type IngestFile = { path: string; status: string; reason: string; detail: string | null };
export type IngestBatch = {
  id: string;
  source: string;
  status: string;
  total: number;
  accepted: number;
  skipped: number;
  rejected: number;
  startedAt: string;
  finishedAt: string | null;
};

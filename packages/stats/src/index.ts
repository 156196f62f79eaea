/**
 * Pure statistics for agreement and screening: no I/O, no dependencies. Rules and the
 * choices made for degenerate inputs are in apps/api/src/agreement/SPEC.md (AG1..).
 *
 * Why no library: jStat and simple-statistics offer none of kappa with the Fleiss–Cohen–Everitt
 * SE, PABAK, AC1 or the exact McNemar test, and neither lets us choose what degenerate tables
 * return; the remaining pieces (Wilson interval, Mann–Whitney AUC, a binomial tail at ½) are a
 * few lines each, tested against published values.
 */
export { type Table2x2, EMPTY_TABLE, tally, tableTotal, tableMatrix } from './table.js';
export { percentAgreement, positiveAgreement, negativeAgreement, pabak, gwetAc1 } from './agreement-measures.js';
export { type KappaEstimate, cohenKappa, cohenKappaMatrix } from './kappa.js';
export { Z_95 } from './normal.js';
export { type Proportion, wilson } from './wilson.js';
export { mcnemarExactP } from './mcnemar.js';
export { type Confusion, type Diagnostic, sensitivitySpecificity } from './diagnostic.js';
export type { BinaryLabel } from './labels.js';
export { rocAuc, rocAucWithCi, aucStandardError, aucInterval, type AucEstimate } from './roc-auc.js';
export { expectedCalibrationError } from './calibration.js';
export { binaryEntropy } from './entropy.js';
export {
  type ScreeningPatient,
  type ScreeningRow,
  type ScreeningResult,
  DEFAULT_SCREENING_K,
  SCREENING_ROC_MAX_K,
  isAbnormal,
  screeningRow,
  screening,
} from './screening.js';
export { seededRandom } from './seeded-random.js';
export {
  clusterBootstrap,
  weightedClusterBootstrap,
  percentileInterval,
  DEFAULT_RESAMPLES,
  type BootstrapInterval,
  type BootstrapOptions,
} from './cluster-bootstrap.js';
export {
  type Estimate,
  type EvalPatient,
  type EvaluationFigures,
  type PairedPatient,
  type PairedResult,
  MIN_PATIENTS_PER_CLASS,
  evaluateWithIntervals,
  pairedAucDifference,
  rankSlices,
  weightedAuc,
} from './evaluation.js';

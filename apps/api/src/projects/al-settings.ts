import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { ProjectSettingsInput } from '../graphql/generated.js';
import type { ProjectRow } from './projects.queries.js';

/**
 * Ranges a person may set for active-learning selection and model promotion. The database checks
 * are wider (batch ≥ 1, tolerance −1…1, see migrations/0005) because the simulator writes batches
 * up to 10 000 and tolerance 1 ("always promote") directly; through the API (admins) a project gets the
 * ranges that make sense for a study.
 */
const AL_LIMITS = {
  batchSize: { min: 1, max: 1000 },
  maxPerPatient: { min: 1 },
  minGap: { min: 0 },
  promotionTolerance: { min: 0, max: 0.5 },
  // Above half, the batch is mostly uniform and active learning stops paying for itself.
  auditShare: { min: 0, max: 0.5 },
  evaluationShare: { min: 0, max: 1 },
  // Below 0.5 the "screening" operating point would miss most cases.
  targetSensitivity: { min: 0.5, max: 1 },
} as const;

type AlInput = Pick<
  ProjectSettingsInput,
  'alBatchSize' | 'alMaxPerPatient' | 'alMinGap' | 'promotionTolerance' | 'alAuditShare' | 'evaluationShare' | 'targetSensitivity'
>;

const whole = (x: number, min: number, max = Infinity) => Number.isInteger(x) && x >= min && x <= max;

/**
 * Throws BAD_INPUT naming the allowed range for the first bad field. A value equal to the stored
 * one is not a change and passes: the settings form sends every field, and saving another setting
 * must not fail on a value the simulator or an operator set outside these ranges.
 */
export function validateAlSettings(s: AlInput, p: ProjectRow): void {
  const { batchSize, maxPerPatient, minGap, promotionTolerance: tol } = AL_LIMITS;
  const bad = (message: string) => new ConcordError(ErrorCode.BAD_INPUT, message);
  if (s.alBatchSize != null && s.alBatchSize !== p.alBatchSize && !whole(s.alBatchSize, batchSize.min, batchSize.max)) {
    throw bad(`AL batch size must be a whole number of slices from ${batchSize.min} to ${batchSize.max}; got ${s.alBatchSize}.`);
  }
  if (s.alMaxPerPatient != null && s.alMaxPerPatient !== p.alMaxPerPatient && !whole(s.alMaxPerPatient, maxPerPatient.min)) {
    throw bad(`Max slices per patient must be a whole number, ${maxPerPatient.min} or more; got ${s.alMaxPerPatient}.`);
  }
  if (s.alMinGap != null && s.alMinGap !== p.alMinGap && !whole(s.alMinGap, minGap.min)) {
    throw bad(`Min gap must be a whole number of slices, ${minGap.min} or more; got ${s.alMinGap}.`);
  }
  const t = s.promotionTolerance;
  if (t != null && t !== p.promotionTolerance && !(Number.isFinite(t) && t >= tol.min && t <= tol.max)) {
    throw bad(`Promotion tolerance must be between ${tol.min} and ${tol.max} (AUC); got ${t}.`);
  }
  const share = (x: number | null | undefined, stored: number, r: { min: number; max: number }, what: string) => {
    if (x != null && x !== stored && !(Number.isFinite(x) && x >= r.min && x <= r.max)) throw bad(`${what} must be between ${r.min} and ${r.max}; got ${x}.`);
  };
  share(s.alAuditShare, p.alAuditShare, AL_LIMITS.auditShare, 'Audit share');
  share(s.evaluationShare, p.evaluationShare, AL_LIMITS.evaluationShare, 'Evaluation share');
  share(s.targetSensitivity, p.targetSensitivity, AL_LIMITS.targetSensitivity, 'Target sensitivity');
}

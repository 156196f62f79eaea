import { ConcordError, ErrorCode } from '@concord/contracts';

/**
 * How strongly a patient's cohort shows in anatomy outside any compressed level (PH13): 1 is the
 * phantom as it was first built (DCM canals 5.6–7.4 mm vs 6.2–8.0, DCM nuclei 450–1000 vs
 * 700–1200), 0 draws both cohorts from one distribution, values between interpolate the ranges.
 */
export const COHORT_CUES = { none: 0, mild: 0.25, strong: 1 } as const;
export type CohortCuesName = keyof typeof COHORT_CUES;
export const DEFAULT_COHORT_CUES = COHORT_CUES.mild;

/**
 * `none`, `mild`, `strong` or a number from 0 to 1, as the CLIs take it (`--cohort-cues`);
 * BAD_INPUT with the accepted forms otherwise.
 */
export function parseCohortCues(text: string): number {
  const t = text.trim().toLowerCase();
  if (Object.hasOwn(COHORT_CUES, t)) return COHORT_CUES[t as CohortCuesName];
  const v = t === '' ? NaN : Number(t);
  if (!(v >= 0 && v <= 1)) throw new ConcordError(ErrorCode.BAD_INPUT, `--cohort-cues must be none, mild, strong or a number from 0 to 1 (got "${text}")`);
  return v;
}

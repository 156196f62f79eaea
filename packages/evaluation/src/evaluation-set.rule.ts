import { seededRandom } from '@concord/stats';

export const TEST_FRACTION = 0.2;
/** Where the cohort is known, at least this many cases and controls (EV1), so no class is "insufficient". */
export const MIN_PER_COHORT = 10;

export interface RulePatient {
  id: string;
  pseudonym: string;
  cohort: string | null;
}

export interface SizingRule {
  fraction: number;
  minPerCohort: number;
  strata: Record<string, { patients: number; chosen: number }>;
}

/**
 * How many patients of a stratum go to the evaluation set [EV1]: a fraction of them; where the
 * cohort is known at least MIN_PER_COHORT, but never more than half, so training keeps patients
 * of that class.
 */
export function stratumSize(n: number, cohortKnown: boolean, fraction = TEST_FRACTION): number {
  const byFraction = Math.round(n * fraction);
  if (!cohortKnown) return byFraction;
  return Math.min(Math.floor(n / 2), Math.max(byFraction, MIN_PER_COHORT));
}

function shuffled<T>(items: readonly T[], seed: string): T[] {
  const random = seededRandom(seed);
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * The patients a frozen set would hold [EV1]: per cohort stratum, a shuffle keyed by pseudonym
 * (an HMAC, so the order is random with respect to the patients) and not by row id, so projects
 * holding the same patients (strategies compared on one data set) get the same set.
 */
export function chooseEvaluationPatients(patients: readonly RulePatient[], fraction = TEST_FRACTION): { chosen: string[]; rule: SizingRule } {
  const strata = new Map<string, RulePatient[]>();
  for (const p of [...patients].sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1))) {
    const key = p.cohort ?? 'UNKNOWN';
    strata.set(key, [...(strata.get(key) ?? []), p]);
  }
  const chosen: string[] = [];
  const rule: SizingRule = { fraction, minPerCohort: MIN_PER_COHORT, strata: {} };
  for (const [cohort, members] of [...strata].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const n = stratumSize(members.length, cohort !== 'UNKNOWN', fraction);
    chosen.push(
      ...shuffled(members, `test-set:${cohort}`)
        .slice(0, n)
        .map((p) => p.id),
    );
    rule.strata[cohort] = { patients: members.length, chosen: n };
  }
  return { chosen: chosen.sort(), rule };
}

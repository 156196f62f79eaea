import seedrandom from 'seedrandom';
import type { Sql } from '../../../../apps/api/src/db/sql.js';

export const TEST_FRACTION = 0.2;

function shuffled<T>(items: T[], seed: string): T[] {
  const rng = seedrandom(seed);
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * The frozen test set (TR9): chosen once per project, stratified by cohort, and never
 * re-chosen — once any patient is marked, later calls return the existing set. Patients
 * ingested afterwards stay out of it, so metrics across rounds use the same patients.
 */
export async function ensureTestSet(sql: Sql, projectId: string, fraction = TEST_FRACTION): Promise<string[]> {
  return sql.begin(async (tx) => {
    await tx`select id from projects where id = ${projectId} for update`;
    const existing = await tx<{ id: string }[]>`select id from patients where project_id = ${projectId} and is_test order by id`;
    if (existing.length) return existing.map((r) => r.id);
    // Keyed by pseudonym, not by row id: the same patients ingested into two projects (two
    // strategies compared on one data set) get the same frozen test set.
    const patients = await tx<{ id: string; cohort: string | null; pseudonym: string }[]>`
      select id, cohort, pseudonym from patients where project_id = ${projectId} order by pseudonym`;
    if (patients.length < 2) return [];
    const chosen: string[] = [];
    const strata = new Map<string, string[]>();
    for (const p of patients) strata.set(p.cohort ?? 'UNKNOWN', [...(strata.get(p.cohort ?? 'UNKNOWN') ?? []), p.pseudonym]);
    const idOf = new Map(patients.map((p) => [p.pseudonym, p.id]));
    for (const [cohort, pseudonyms] of strata) {
      const n = Math.round(pseudonyms.length * fraction);
      chosen.push(...shuffled(pseudonyms, `test-set:${cohort}`).slice(0, n).map((ps) => idOf.get(ps)!));
    }
    if (!chosen.length) return [];
    await tx`update patients set is_test = true where id = any(${chosen}::uuid[])`;
    return chosen.sort();
  });
}

/**
 * Training and validation patients for one round; a patient's slices never straddle them.
 * Shuffled by pseudonym, not row id, like the test set: projects holding the same patients and
 * the same labels (strategies compared on one data set) split them the same way.
 */
export function splitTrainVal(patients: { id: string; pseudonym: string }[], round: number, valFraction = 0.2): { train: string[]; val: string[] } {
  const idOf = new Map(patients.map((p) => [p.pseudonym, p.id]));
  const order = shuffled([...idOf.keys()].sort(), `round:${round}`).map((ps) => idOf.get(ps)!);
  const nVal = order.length >= 3 ? Math.max(1, Math.round(order.length * valFraction)) : 0;
  return { val: order.slice(0, nVal).sort(), train: order.slice(nVal).sort() };
}

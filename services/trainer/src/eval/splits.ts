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
 * Training and validation patients; a patient's slices never straddle them. Membership is a
 * property of the patient, a seeded draw from its pseudonym, not of the round (RS1): a patient
 * never moves from training into validation as labels grow, so a head warm-started from an
 * earlier round has never trained on this round's validation patients. Keyed by pseudonym, not
 * row id, like the test set: projects holding the same patients split them the same way.
 */
export function splitTrainVal(patients: { id: string; pseudonym: string }[], valFraction = 0.2): { train: string[]; val: string[] } {
  const idOf = new Map(patients.map((p) => [p.pseudonym, p.id]));
  const draws = [...idOf.keys()].sort().map((ps) => ({ ps, u: seedrandom(`val:${ps}`)() })).sort((a, b) => a.u - b.u);
  if (draws.length < 3) return { val: [], train: draws.map((d) => idOf.get(d.ps)!).sort() };
  // Few patients can draw no validation patient (or no training one): then the lowest draws
  // fill validation up to one, and the highest stay in training.
  let nVal = draws.filter((d) => d.u < valFraction).length;
  nVal = Math.min(draws.length - 1, Math.max(1, nVal));
  return { val: draws.slice(0, nVal).map((d) => idOf.get(d.ps)!).sort(), train: draws.slice(nVal).map((d) => idOf.get(d.ps)!).sort() };
}

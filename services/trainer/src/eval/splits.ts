import seedrandom from 'seedrandom';
import type { Sql } from '@concord/db';
import { evaluationSetPatients, freezeEvaluationSet } from '@concord/evaluation';

export { TEST_FRACTION } from '@concord/evaluation';

/**
 * The project's evaluation set (TR9, EV1): the live frozen set, frozen now (automatically, before
 * the first round) when the lead has not. Never re-chosen; patients ingested later are never in
 * it. Empty while the project has too few patients to choose from.
 */
export async function ensureTestSet(sql: Sql, projectId: string): Promise<string[]> {
  const set = await freezeEvaluationSet(sql, projectId, null);
  return set ? evaluationSetPatients(sql, set.id) : [];
}

export type ValidationRole = 'EPOCH' | 'CALIBRATION';

export interface PatientSplit {
  train: string[];
  /** Picks the epoch (early stopping) only. */
  epoch: string[];
  /** Fits calibration, picks the threshold and decides the promotion gate. */
  calibration: string[];
}

/**
 * Validation patients, fixed per patient (TR18): the non-test patients ranked by a hash of their
 * pseudonym, the first ⌈20%⌉ (at least 2 from 5 patients on, 1 from 3) held out of training in
 * every round, so a current version never trained on the patients its successor is judged on. They
 * alternate between two roles, EPOCH and CALIBRATION, so the epoch is not chosen on the slices
 * that then set the threshold and decide promotion; a single validation patient serves both.
 * Only a new ingest can move a patient between train and validation.
 */
export function splitPatients(patients: { id: string; pseudonym: string }[], valFraction = 0.2): PatientSplit {
  const ranked = [...patients]
    .map((p) => ({ ...p, h: seedrandom(`validation:${p.pseudonym}`)() }))
    .sort((a, b) => a.h - b.h || (a.pseudonym < b.pseudonym ? -1 : 1));
  const n = ranked.length;
  const nVal = n >= 5 ? Math.max(2, Math.round(n * valFraction)) : n >= 3 ? 1 : 0;
  const val = ranked.slice(0, nVal);
  const epoch = val.filter((_, i) => i % 2 === 0).map((p) => p.id);
  const calibration = nVal === 1 ? [...epoch] : val.filter((_, i) => i % 2 === 1).map((p) => p.id);
  return {
    train: ranked
      .slice(nVal)
      .map((p) => p.id)
      .sort(),
    epoch: epoch.sort(),
    calibration: calibration.sort(),
  };
}

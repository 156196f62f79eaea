/**
 * Sets patients.cohort from a ground-truth CSV (phantom data, research cohorts). The CSV holds
 * original PatientIDs; we map them through the same pseudonym as ingest and never store them.
 */
import fs from 'node:fs';
import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { patientPseudonym } from './pseudonym.js';

const COHORTS = new Set(['CONTROL', 'DCM']);

/** Returns how many patients of the project were updated and how many CSV rows matched none. */
export async function importCohorts(sql: Sql, projectId: string, secret: string, csvPath: string): Promise<{ updated: number; unmatched: number }> {
  const lines = fs
    .readFileSync(csvPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const idCol = header.indexOf('patient_id');
  const cohortCol = header.indexOf('cohort');
  if (idCol < 0 || cohortCol < 0) throw new ConcordError(ErrorCode.BAD_INPUT, 'The cohort CSV needs a header with patient_id and cohort columns.');
  let updated = 0;
  let unmatched = 0;
  for (const [i, line] of lines.entries()) {
    const cells = line.split(',').map((c) => c.trim());
    const cohort = cells[cohortCol]?.toUpperCase();
    if (!cohort || !COHORTS.has(cohort)) throw new ConcordError(ErrorCode.BAD_INPUT, `Cohort CSV row ${i + 2}: cohort must be CONTROL or DCM.`);
    const result = await sql`update patients set cohort = ${cohort}
      where project_id = ${projectId} and pseudonym = ${patientPseudonym(secret, cells[idCol])}`;
    if (result.count > 0) updated += result.count;
    else unmatched++;
  }
  return { updated, unmatched };
}

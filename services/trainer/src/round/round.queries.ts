import type { Sql } from '@concord/db';
import type { Strategy } from '../al/uncertainty.js';

/** The project settings a round reads once, at its start. */
export interface RoundSettingsRow {
  alStrategy: Strategy;
  alBatchSize: number;
  alMaxPerPatient: number;
  alMinGap: number;
  screeningK: number;
  alAuditShare: number;
  targetSensitivity: number;
}

/** One slice as a round sees it: where it sits, who it belongs to, and its final label if any. */
export interface RoundSliceRow {
  id: string;
  seriesId: string;
  position: number;
  readsDone: number;
  readsRequired: number;
  patientId: string;
  pseudonym: string;
  isTest: boolean;
  cohort: 'CONTROL' | 'DCM' | null;
  label: 0 | 1 | null;
  /** Ever picked by uncertainty (selection_log mode ACTIVE): a biased sample, never validation. */
  active: boolean;
}

export async function roundSettings(sql: Sql, projectId: string): Promise<RoundSettingsRow | undefined> {
  const [row] = await sql<RoundSettingsRow[]>`
    select al_strategy, al_batch_size, al_max_per_patient, al_min_gap, screening_k, al_audit_share, target_sensitivity
    from projects where id = ${projectId}`;
  return row;
}

export async function roundSlices(sql: Sql, projectId: string): Promise<RoundSliceRow[]> {
  return sql<RoundSliceRow[]>`
    select s.id, s.series_id, s.position, s.reads_done, s.reads_required, st.patient_id, p.pseudonym, p.is_test, p.cohort, fl.value as label,
           exists (select 1 from selection_log l where l.slice_id = s.id and l.mode = 'ACTIVE') as active
    from slices s
    join series se on se.id = s.series_id
    join studies st on st.id = se.study_id
    join patients p on p.id = st.patient_id
    left join final_labels fl on fl.slice_id = s.id
    where s.project_id = ${projectId}
    -- Content order (pseudonym and de-identified UIDs), not row ids: with the seeded splits,
    -- training order and dropout, the same labels give the same model in any project.
    order by p.pseudonym, se.series_uid, s.position, s.sop_uid`;
}

/** The round number the next version will most likely get (the write re-derives it under a lock). */
export async function nextRoundNumber(sql: Sql, projectId: string): Promise<number> {
  const [{ next }] = await sql<{ next: number }[]>`select coalesce(max(round), 0) + 1 as next from model_versions where project_id = ${projectId}`;
  return next;
}

import type { Sql, TxSql } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { chooseEvaluationPatients, type RulePatient } from './evaluation-set.rule.js';

type Db = Sql | TxSql;

export interface EvaluationSetRow {
  id: string;
  projectId: string;
  frozenAt: Date;
  frozenBy: string | null;
}

export async function liveEvaluationSet(sql: Db, projectId: string): Promise<EvaluationSetRow | undefined> {
  const [row] = await sql<EvaluationSetRow[]>`
    select id, project_id, frozen_at, frozen_by from evaluation_sets where project_id = ${projectId} and retired_at is null`;
  return row;
}

export async function evaluationSetPatients(sql: Db, setId: string): Promise<string[]> {
  const rows = await sql<{ patientId: string }[]>`select patient_id from evaluation_set_patients where set_id = ${setId} order by patient_id`;
  return rows.map((r) => r.patientId);
}

/**
 * Freezes the project's evaluation set once [EV1][EV2]: with the project row locked, an existing
 * live set is returned unchanged; otherwise the rule chooses patients, and the set, its
 * membership, `patients.is_test` and the audit entry are written in one transaction. `actorId`
 * null records an automatic freeze (before the first round). Returns null when there are too few
 * patients to choose any.
 */
export async function freezeEvaluationSet(sql: Sql, projectId: string, actorId: string | null): Promise<EvaluationSetRow | null> {
  return sql.begin(async (tx) => {
    const [project] = await tx`select id from projects where id = ${projectId} for update`;
    if (!project) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project does not exist; check the project id');
    const live = await liveEvaluationSet(tx, projectId);
    if (live) return live;
    const patients = await tx<RulePatient[]>`select id, pseudonym, cohort from patients where project_id = ${projectId}`;
    const { chosen, rule } = chooseEvaluationPatients(patients);
    if (patients.length < 2 || chosen.length === 0) return null;
    const [set] = await tx<EvaluationSetRow[]>`
      insert into evaluation_sets (project_id, frozen_by, rule) values (${projectId}, ${actorId}, ${tx.json(rule as never)})
      returning id, project_id, frozen_at, frozen_by`;
    await tx`insert into evaluation_set_patients ${tx(
      chosen.map((patientId) => ({ setId: set.id, patientId })),
      'setId',
      'patientId',
    )}`;
    await tx`update patients set is_test = true where id = any(${chosen}::uuid[])`;
    await tx`insert into audit_log (project_id, actor_id, action, entity_id, payload)
             values (${projectId}, ${actorId}, 'FREEZE_EVALUATION_SET', ${set.id}, ${tx.json({ patients: chosen.length, rule, automatic: actorId === null } as never)})`;
    return set;
  });
}

export interface EvaluationSetCounts {
  patients: number;
  cases: number;
  controls: number;
  known: number;
  slices: number;
  labelledSlices: number;
}

/** Counts over a frozen set's patients, or over the patients the rule would choose now. */
export async function evaluationSetCounts(sql: Db, patientIds: string[]): Promise<EvaluationSetCounts> {
  const [row] = await sql<EvaluationSetCounts[]>`
    select (select count(*) from patients where id = any(${patientIds}::uuid[]))::int as patients,
           (select count(*) from patients where id = any(${patientIds}::uuid[]) and cohort = 'DCM')::int as cases,
           (select count(*) from patients where id = any(${patientIds}::uuid[]) and cohort = 'CONTROL')::int as controls,
           (select count(*) from patients where id = any(${patientIds}::uuid[]) and cohort is not null)::int as known,
           count(s.id)::int as slices,
           count(fl.slice_id)::int as labelled_slices
      from studies st
      join series se on se.study_id = st.id
      join slices s on s.series_id = se.id
      left join final_labels fl on fl.slice_id = s.id
     where st.patient_id = any(${patientIds}::uuid[])`;
  return row;
}

export async function proposedPatients(sql: Db, projectId: string): Promise<string[]> {
  const patients = await sql<RulePatient[]>`select id, pseudonym, cohort from patients where project_id = ${projectId}`;
  return chooseEvaluationPatients(patients).chosen;
}

export interface EvalSliceRow {
  patientId: string;
  cohort: 'CONTROL' | 'DCM' | null;
  sliceId: string;
  probability: number | null;
  label: 0 | 1 | null;
}

/** Every slice of the set's patients with this version's prediction and the final label, if any. */
export async function evaluationSlices(sql: Db, setId: string, modelVersionId: string): Promise<EvalSliceRow[]> {
  return sql<EvalSliceRow[]>`
    select pa.id as patient_id, pa.cohort, s.id as slice_id, pr.probability, fl.value as label
      from evaluation_set_patients esp
      join patients pa on pa.id = esp.patient_id
      join studies st on st.patient_id = pa.id
      join series se on se.study_id = st.id
      join slices s on s.series_id = se.id
      left join predictions pr on pr.model_version_id = ${modelVersionId} and pr.slice_id = s.id
      left join final_labels fl on fl.slice_id = s.id
     where esp.set_id = ${setId}
     order by pa.id, s.id`;
}

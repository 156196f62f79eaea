import type { Strategy } from '@concord/contracts';
import type { Sql } from '@concord/db';

/** A model version as the GraphQL `ModelVersion` type's parent carries it. */
export interface ModelVersionRow {
  id: string;
  projectId: string;
  round: number;
  status: 'CANDIDATE' | 'CURRENT' | 'RETIRED';
  backbone: string;
  backend: string;
  strategy: Strategy;
  labelCount: number;
  createdAt: Date;
  metrics: Record<string, unknown>;
  promotionBasis: 'VALIDATION' | 'MANUAL' | null;
  promotionDecidedAt: Date | null;
  promotionDecidedBy: string | null;
  promotionNote: string | null;
}

/** The promotion's decider as a username (leads see usernames elsewhere too, e.g. agreement). */
function versionColumns(sql: Sql) {
  return sql`mv.id, mv.project_id, mv.round, mv.status, mv.backbone, mv.backend, mv.strategy, mv.label_count, mv.created_at, mv.metrics,
    mv.promotion_basis, mv.promotion_decided_at, mv.promotion_note,
    (select username from users u where u.id = mv.promotion_decided_by) as promotion_decided_by`;
}

export async function modelVersionsFor(sql: Sql, projectId: string): Promise<ModelVersionRow[]> {
  return sql<ModelVersionRow[]>`
    select ${versionColumns(sql)} from model_versions mv where mv.project_id = ${projectId} order by mv.round`;
}

export async function modelVersionById(sql: Sql, id: string): Promise<ModelVersionRow | undefined> {
  const [row] = await sql<ModelVersionRow[]>`
    select ${versionColumns(sql)} from model_versions mv where mv.id = ${id}`;
  return row;
}

/** Per test patient: true cohort and how many slices the model version calls positive (at its own threshold). */
export async function screeningInputs(sql: Sql, modelVersionId: string) {
  return sql<{ patientId: string; cohort: 'CONTROL' | 'DCM'; positives: number }[]>`
    select pa.id as patient_id, pa.cohort,
           count(*) filter (where pr.probability >= coalesce((mv.metrics->>'threshold')::float8, 0.5))::int as positives
      from predictions pr
      join model_versions mv on mv.id = pr.model_version_id
      join slices s on s.id = pr.slice_id
      join series se on se.id = s.series_id
      join studies st on st.id = se.study_id
      join patients pa on pa.id = st.patient_id
     where pr.model_version_id = ${modelVersionId} and pa.is_test and pa.cohort is not null
     group by pa.id, pa.cohort`;
}

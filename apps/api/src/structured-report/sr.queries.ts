import type { Sql } from '@concord/db';
import type { SliceOrigin } from '../ingest/slice-origin.js';

export interface SrStudyRow {
  studyId: string;
  studyUid: string;
  patientId: string;
  pseudonym: string;
}

/** Studies with at least one final label, in de-identified study UID order. */
export async function studiesWithFinalLabels(sql: Sql, projectId: string): Promise<SrStudyRow[]> {
  return sql<SrStudyRow[]>`
    select st.id as study_id, st.study_uid, pa.id as patient_id, pa.pseudonym
      from studies st join patients pa on pa.id = st.patient_id
     where st.project_id = ${projectId}
       and exists (select 1 from final_labels f join slices s on s.id = f.slice_id
                    join series se on se.id = s.series_id where se.study_id = st.id)
     order by st.study_uid`;
}

export interface SrLabelRow {
  sliceId: string;
  sopUid: string;
  seriesUid: string;
  /** 1-based order of the series in its study (by de-identified series UID). */
  seriesIndex: number;
  position: number;
  value: number;
  source: 'CONSENSUS' | 'ADJUDICATION' | 'SINGLE_READ';
  reasonCode: string | null;
}

export async function studyFinalLabels(sql: Sql, studyId: string): Promise<SrLabelRow[]> {
  return sql<SrLabelRow[]>`
    with ordered_series as (
      select id, series_uid, row_number() over (order by series_uid)::int as series_index
        from series where study_id = ${studyId}
    )
    select s.id as slice_id, s.sop_uid, os.series_uid, os.series_index, s.position, f.value, f.source, d.reason_code
      from final_labels f join slices s on s.id = f.slice_id
      join ordered_series os on os.id = s.series_id
      left join adjudication_items i on i.slice_id = s.id
      left join adjudications d on d.item_id = i.id and f.source = 'ADJUDICATION'
     order by os.series_index, s.position`;
}

/** A slice's original identity as ingest stored it (the driver's camelCase row is its shape). */
export type SliceOriginRow = SliceOrigin & { sliceId: string };

/** Read only for re-identified output (SR5); de-identified output never calls it (SR4). */
export async function studyOrigins(sql: Sql, studyId: string): Promise<SliceOriginRow[]> {
  return sql<SliceOriginRow[]>`
    select o.slice_id, o.study_uid, o.series_uid, o.sop_uid, o.sop_class_uid, o.patient_id, o.patient_name
      from slice_origins o join slices s on s.id = o.slice_id join series se on se.id = s.series_id
     where se.study_id = ${studyId}`;
}

export interface SrProbabilityRow {
  sliceId: string;
  modelVersionId: string;
  round: number;
  probability: number;
}

/** Every model version's probability for the study's labelled slices, oldest round first. */
export async function studyProbabilities(sql: Sql, studyId: string): Promise<SrProbabilityRow[]> {
  return sql<SrProbabilityRow[]>`
    select p.slice_id, v.id as model_version_id, v.round, p.probability
      from predictions p join model_versions v on v.id = p.model_version_id
      join final_labels f on f.slice_id = p.slice_id
      join slices s on s.id = p.slice_id join series se on se.id = s.series_id
     where se.study_id = ${studyId}
     order by v.round, p.slice_id`;
}

export interface SrScreeningRow {
  modelVersionId: string;
  round: number;
  threshold: number;
  positives: number;
}

/** Per model version, the patient's slices at or above that version's own threshold (as `screeningInputs`). */
export async function patientScreening(sql: Sql, patientId: string): Promise<SrScreeningRow[]> {
  return sql<SrScreeningRow[]>`
    select v.id as model_version_id, v.round, coalesce((v.metrics->>'threshold')::float8, 0.5) as threshold,
           count(*) filter (where p.probability >= coalesce((v.metrics->>'threshold')::float8, 0.5))::int as positives
      from predictions p join model_versions v on v.id = p.model_version_id
      join slices s on s.id = p.slice_id join series se on se.id = s.series_id
      join studies st on st.id = se.study_id
     where st.patient_id = ${patientId}
     group by v.id, v.round, v.metrics
     order by v.round`;
}

export interface SrVersionRow {
  instanceNumber: number;
  seriesUid: string;
  sopUid: string;
  createdAt: Date;
  predecessorSopUid: string | null;
}

/**
 * The version row for this content: the existing one, or the next instance number in the study's
 * SR series. A per-study advisory lock makes two concurrent exports agree on numbering (SR6).
 */
export async function versionFor(
  sql: Sql,
  v: { projectId: string; studyId: string; reidentified: boolean; contentHash: string; seriesUid: string; sopUid: string },
): Promise<SrVersionRow> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${'sr:' + v.studyId}, 0))`;
    await tx`
      insert into structured_reports (project_id, study_id, reidentified, content_hash, instance_number, series_uid, sop_uid)
      select ${v.projectId}, ${v.studyId}, ${v.reidentified}, ${v.contentHash},
             coalesce(max(instance_number), 0) + 1, ${v.seriesUid}, ${v.sopUid}
        from structured_reports where study_id = ${v.studyId} and reidentified = ${v.reidentified}
      on conflict (study_id, reidentified, content_hash) do nothing`;
    const [row] = await tx<SrVersionRow[]>`
      select r.instance_number, r.series_uid, r.sop_uid, r.created_at, p.sop_uid as predecessor_sop_uid
        from structured_reports r
        left join structured_reports p on p.study_id = r.study_id and p.reidentified = r.reidentified
                                      and p.instance_number = r.instance_number - 1
       where r.study_id = ${v.studyId} and r.reidentified = ${v.reidentified} and r.content_hash = ${v.contentHash}`;
    return row;
  }) as Promise<SrVersionRow>;
}

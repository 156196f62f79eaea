import type { Sql } from '@concord/db';
import { READER_PERFORMANCE_COLUMNS, readerPerformanceRows } from '../reader-qc/performance.export.js';

// Each export is one SQL statement read through a cursor, so a 100,000-slice project streams
// in constant memory. Readers appear as a per-project pseudonym, never a username.

export const EXPORT_KINDS = ['final-labels', 'reads', 'adjudications', 'selection-log', 'predictions', 'gold-reads', 'reader-performance'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_COLUMNS: Record<ExportKind, string[]> = {
  // lossy: the slice's pixels went through a lossy encoder (an analysis may exclude them);
  // source_sop_uid/source_frame: the enhanced multi-frame object and frame a slice was cut from.
  'final-labels': ['study_uid', 'series_uid', 'sop_uid', 'position', 'value', 'source', 'decided_at', 'lossy', 'source_sop_uid', 'source_frame'],
  // seconds: server-measured lease (or the reader's previous submit) → submit (reader-qc RQ11).
  reads: ['study_uid', 'series_uid', 'sop_uid', 'position', 'reader', 'value', 'is_repeat', 'created_at', 'seconds', 'screen_seconds'],
  adjudications: [
    'study_uid',
    'series_uid',
    'sop_uid',
    'position',
    'reader_a_value',
    'reader_b_value',
    'adjudicator',
    'value',
    'reason_code',
    'note',
    'created_at',
  ],
  // How each active-learning slice was chosen, with what it was finally labelled: the analysis
  // of labels gathered by selection (not at random) has to weight or stratify by these (TR15);
  // mode: ACTIVE (uncertainty) or AUDIT (uniform draw, TR21).
  'selection-log': [
    'study_uid',
    'series_uid',
    'sop_uid',
    'position',
    'model_round',
    'model_version_id',
    'strategy',
    'mode',
    'score',
    'rank',
    'selected_at',
    'final_value',
  ],
  // Every version's probability per slice, with the split the slice's patient was in, for ROC and
  // calibration analyses outside Concord. Leads only, like every export: labelers never see it.
  predictions: [
    'study_uid',
    'series_uid',
    'sop_uid',
    'position',
    'model_round',
    'model_version_id',
    'model_status',
    'threshold',
    'probability',
    'split',
    'final_value',
  ],
  // Reads of gold slices (reader-qc RQ4), kept apart from `reads`: the facts behind readerPerformance.
  'gold-reads': [
    'study_uid',
    'series_uid',
    'sop_uid',
    'position',
    'reader',
    'value',
    'expected',
    'correct',
    'gold_source',
    'seconds',
    'screen_seconds',
    'created_at',
  ],
  // One row per reader: the lead panel's figures with intervals (reader-qc RQ7–RQ14).
  'reader-performance': READER_PERFORMANCE_COLUMNS,
};

/** Every export is audited with what was exported (SR7 for the SR zip). */
export async function recordExport(
  sql: Sql,
  projectId: string,
  actorId: string,
  what: { kind: string; format: string; reidentified?: boolean; includeModels?: boolean },
): Promise<void> {
  await sql`insert into audit_log (project_id, actor_id, action, payload)
            values (${projectId}, ${actorId}, 'EXPORT', ${sql.json(what)})`;
}

export function exportCursor(sql: Sql, kind: ExportKind, projectId: string, secret: string) {
  switch (kind) {
    case 'reader-performance':
      return readerPerformanceRows(sql, projectId, secret);
    case 'final-labels':
      return sql`
        select st.study_uid, se.series_uid, s.sop_uid, s.position, f.value, f.source, f.decided_at,
               s.lossy, s.source_sop_uid, s.source_frame
          from final_labels f join slices s on s.id = f.slice_id
          join series se on se.id = s.series_id join studies st on st.id = se.study_id
         where f.project_id = ${projectId}
         order by st.study_uid, se.series_uid, s.position`.cursor(1000);
    case 'reads':
      return sql`
        select st.study_uid, se.series_uid, s.sop_uid, s.position,
               'R-' || substr(encode(hmac(r.user_id::text, ${secret} || ${projectId}, 'sha256'), 'hex'), 1, 10) as reader,
               r.value, r.is_repeat, r.created_at, r.seconds, r.screen_seconds
          from reads r join slices s on s.id = r.slice_id
          join series se on se.id = s.series_id join studies st on st.id = se.study_id
         where r.project_id = ${projectId}
         order by r.id`.cursor(1000);
    case 'adjudications':
      return sql`
        select st.study_uid, se.series_uid, s.sop_uid, s.position, ra.value as reader_a_value, rb.value as reader_b_value,
               'R-' || substr(encode(hmac(d.user_id::text, ${secret} || ${projectId}, 'sha256'), 'hex'), 1, 10) as adjudicator,
               d.value, d.reason_code, d.note, d.created_at
          from adjudications d join adjudication_items i on i.id = d.item_id
          join reads ra on ra.id = i.read_a_id join reads rb on rb.id = i.read_b_id
          join slices s on s.id = i.slice_id
          join series se on se.id = s.series_id join studies st on st.id = se.study_id
         where i.project_id = ${projectId}
         order by d.id`.cursor(1000);
    case 'gold-reads':
      return sql`
        select st.study_uid, se.series_uid, s.sop_uid, s.position,
               'R-' || substr(encode(hmac(g.user_id::text, ${secret} || ${projectId}, 'sha256'), 'hex'), 1, 10) as reader,
               g.value, g.expected, g.value = g.expected as correct, gs.source as gold_source, g.seconds, g.screen_seconds, g.created_at
          from gold_reads g join gold_slices gs on gs.slice_id = g.slice_id
          join slices s on s.id = g.slice_id
          join series se on se.id = s.series_id join studies st on st.id = se.study_id
         where g.project_id = ${projectId}
         order by g.id`.cursor(1000);
    case 'selection-log':
      return sql`
        select st.study_uid, se.series_uid, s.sop_uid, s.position, m.round as model_round, l.model_version_id,
               l.strategy, l.mode, l.score, l.rank, l.created_at as selected_at, f.value as final_value
          from selection_log l join slices s on s.id = l.slice_id
          join series se on se.id = s.series_id join studies st on st.id = se.study_id
          left join model_versions m on m.id = l.model_version_id
          left join final_labels f on f.slice_id = l.slice_id
         where l.project_id = ${projectId}
         order by l.id`.cursor(1000);
    case 'predictions':
      // The split comes from each version's own record (patients, never slices), unnested once
      // into (version, patient, split) and hash-joined; rows come per version in primary-key
      // order, so nothing larger than one version's rows is ever sorted.
      return sql`
        with versions as (
          select id, round, status, (metrics->>'threshold')::float8 as threshold, split
            from model_versions where project_id = ${projectId}
        ), split_of as (
          select v.id as model_version_id, e.key as split, x.patient_id
            from versions v, jsonb_each(v.split) e, jsonb_array_elements_text(e.value) x(patient_id)
        )
        select st.study_uid, se.series_uid, s.sop_uid, s.position, v.round as model_round, v.id as model_version_id,
               v.status as model_status, v.threshold, p.probability,
               -- none: the patient had no final labels when the version was trained
               coalesce(case so.split when 'val' then 'validation' else so.split end, 'none') as split,
               f.value as final_value
          from versions v
          join predictions p on p.model_version_id = v.id
          join slices s on s.id = p.slice_id
          join series se on se.id = s.series_id join studies st on st.id = se.study_id
          left join split_of so on so.model_version_id = v.id and so.patient_id = st.patient_id::text
          left join final_labels f on f.slice_id = s.id
         order by v.round, p.slice_id`.cursor(1000);
  }
}

import type { Sql } from '../db/sql.js';

// Each export is one SQL statement read through a cursor, so a 100,000-slice project streams
// in constant memory. Readers appear as a per-project pseudonym, never a username.

export const EXPORT_KINDS = ['final-labels', 'reads', 'adjudications'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_COLUMNS: Record<ExportKind, string[]> = {
  'final-labels': ['study_uid', 'series_uid', 'sop_uid', 'position', 'value', 'source', 'decided_at'],
  reads: ['study_uid', 'series_uid', 'sop_uid', 'position', 'reader', 'value', 'is_repeat', 'created_at'],
  adjudications: ['study_uid', 'series_uid', 'sop_uid', 'position', 'reader_a_value', 'reader_b_value', 'adjudicator', 'value', 'reason_code', 'note', 'created_at'],
};

export function exportCursor(sql: Sql, kind: ExportKind, projectId: string, secret: string) {
  switch (kind) {
    case 'final-labels':
      return sql`
        select st.study_uid, se.series_uid, s.sop_uid, s.position, f.value, f.source, f.decided_at
          from final_labels f join slices s on s.id = f.slice_id
          join series se on se.id = s.series_id join studies st on st.id = se.study_id
         where f.project_id = ${projectId}
         order by st.study_uid, se.series_uid, s.position`.cursor(1000);
    case 'reads':
      return sql`
        select st.study_uid, se.series_uid, s.sop_uid, s.position,
               'R-' || substr(encode(hmac(r.user_id::text, ${secret} || ${projectId}, 'sha256'), 'hex'), 1, 10) as reader,
               r.value, r.is_repeat, r.created_at
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
  }
}

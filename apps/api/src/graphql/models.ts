// Row shapes that GraphQL parents carry; field resolvers turn them into schema types.
export type { ProjectRow as ProjectModel } from '../projects/projects.queries.js';
export type { UserRow as UserModel } from '../users/users.queries.js';
export type { AssignmentRow as AssignmentModel } from '../assignment/assignment.queries.js';

export interface SliceModel {
  id: string;
  series_id: string;
  position: number;
  window_center: number | null;
  window_width: number | null;
}

export interface SeriesModel { id: string; description: string | null }

export interface AdjudicationItemModel {
  id: string; slice_id: string; opened_at: Date; read_a_value: number; read_b_value: number;
}

export interface IngestBatchModel {
  id: string; source: string; status: string; total: number; accepted: number; skipped: number; rejected: number;
  started_at: Date; finished_at: Date | null;
}

export interface ModelVersionModel {
  id: string; project_id: string; round: number; status: string; backbone: string; backend: string; strategy: string;
  label_count: number; created_at: Date; metrics: Record<string, unknown>;
  promotion_basis: 'VALIDATION' | 'MANUAL' | null; promotion_decided_at: Date | null; promotion_decided_by: string | null; promotion_note: string | null;
}

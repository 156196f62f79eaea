import type { Sql } from '@concord/db';
import type { Strategy } from '@concord/contracts';
import { ConcordError, ErrorCode } from '../errors/codes.js';

export interface ProjectRow {
  id: string;
  name: string;
  reads_per_slice: number;
  lease_seconds: number;
  reason_codes: string[];
  series_rules: Record<string, unknown>;
  repeat_rate: number;
  repeat_washout: number;
  adjudicator_may_have_read: boolean;
  retrain_every: number;
  al_strategy: Strategy;
  al_batch_size: number;
  al_max_per_patient: number;
  al_min_gap: number;
  screening_k: number;
  promotion_tolerance: number;
  al_audit_share: number;
  evaluation_share: number;
  target_sensitivity: number;
  gold_rate: number;
  gold_flag_below: number | null;
  pause_flagged_readers: boolean;
  calibration_required: boolean;
  calibration_pass_at: number;
  current_model_version_id: string | null;
  created_at: Date;
}

export async function createProject(sql: Sql, input: { name: string; readsPerSlice?: number }): Promise<ProjectRow> {
  const reads = input.readsPerSlice ?? 2;
  if (!Number.isInteger(reads) || reads < 1 || reads > 5) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'Reads per slice must be a whole number from 1 to 5.');
  }
  const name = input.name.trim();
  if (!name || name.length > 200) throw new ConcordError(ErrorCode.BAD_INPUT, 'A project needs a name of 1–200 characters.');
  const [taken] = await sql`select 1 from projects where name = ${name}`;
  if (taken) throw new ConcordError(ErrorCode.NAME_TAKEN, `A project named "${name}" exists already.`);
  const [row] = await sql<ProjectRow[]>`
    insert into projects (name, reads_per_slice) values (${name}, ${reads}) returning *`;
  return row;
}

export async function getProject(sql: Sql, id: string): Promise<ProjectRow> {
  const [row] = await sql<ProjectRow[]>`select * from projects where id = ${id}`;
  if (!row) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'No such project, or you are not a member of it.');
  return row;
}

export async function projectsForUser(sql: Sql, userId: string, isAdmin: boolean): Promise<ProjectRow[]> {
  if (isAdmin) return sql<ProjectRow[]>`select * from projects order by created_at`;
  return sql<ProjectRow[]>`
    select p.* from projects p join project_members m on m.project_id = p.id and m.user_id = ${userId}
     order by p.created_at`;
}

export interface ProgressRow {
  slices: number;
  reads_done: number;
  reads_required: number;
  final_labels: number;
  open_adjudications: number;
  positive_final: number;
}

export async function projectProgress(sql: Sql, projectId: string): Promise<ProgressRow> {
  const [row] = await sql<ProgressRow[]>`
    select
      (select count(*)::int from slices where project_id = ${projectId}) as slices,
      (select coalesce(sum(reads_done), 0)::int from slices where project_id = ${projectId}) as reads_done,
      (select coalesce(sum(reads_required), 0)::int from slices where project_id = ${projectId}) as reads_required,
      (select count(*)::int from final_labels where project_id = ${projectId}) as final_labels,
      (select count(*)::int from final_labels where project_id = ${projectId} and value = 1) as positive_final,
      (select count(*)::int from adjudication_items i where i.project_id = ${projectId}
          and not exists (select 1 from adjudications a where a.item_id = i.id)) as open_adjudications`;
  return row;
}

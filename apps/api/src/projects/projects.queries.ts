import type { Sql } from '@concord/db';
import type { Strategy } from '@concord/contracts';
import { ConcordError, ErrorCode } from '../errors/codes.js';

export interface ProjectRow {
  id: string;
  name: string;
  readsPerSlice: number;
  leaseSeconds: number;
  reasonCodes: string[];
  seriesRules: Record<string, unknown>;
  repeatRate: number;
  repeatWashout: number;
  adjudicatorMayHaveRead: boolean;
  retrainEvery: number;
  alStrategy: Strategy;
  alBatchSize: number;
  alMaxPerPatient: number;
  alMinGap: number;
  screeningK: number;
  promotionTolerance: number;
  alAuditShare: number;
  evaluationShare: number;
  targetSensitivity: number;
  goldRate: number;
  goldFlagBelow: number | null;
  pauseFlaggedReaders: boolean;
  calibrationRequired: boolean;
  calibrationPassAt: number;
  currentModelVersionId: string | null;
  createdAt: Date;
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
  readsDone: number;
  readsRequired: number;
  finalLabels: number;
  openAdjudications: number;
  positiveFinal: number;
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

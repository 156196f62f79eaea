import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Sql, FileStore } from '@concord/db';
import { createProject } from '@concord/api/projects/projects.queries';
import { createUser } from '@concord/api/users/users.queries';
import { ingest } from '@concord/api/ingest/ingest';
import { importCohorts } from '@concord/api/ingest/cohorts';
import { PATIENTS_CSV_NAME } from '@concord/phantom';
import type { Strategy } from '@concord/trainer/al/uncertainty';
import type { SliceTruth } from './truth.js';

export interface SimProject {
  projectId: string;
  readerIds: string[];
  adjudicatorId: string;
  /** Keyed by slices.id. */
  truth: Map<string, SliceTruth & { sopUid: string }>;
  /** slices.id → patients.id */
  patientOf: Map<string, string>;
  ingested: { accepted: number; skipped: number; rejected: number };
}

/**
 * A project set up as a lead would for an AL study: phantom ingested, cohorts imported, two
 * labelers and an adjudicator. `promotion_tolerance = 1` lets every round's model become current,
 * so each round's selection is what assignment serves; `retrain_every = 0` because the
 * simulation runs rounds itself. `queue_order = 'RANDOM'`: what a round's batch leaves unfilled is
 * served in random order rather than series by series.
 */
export async function setUpProject(
  sql: Sql,
  store: FileStore,
  o: { label: string; strategy: Strategy; batch: number; phantomDir: string; secret: string; truthByUid: Map<string, SliceTruth> },
): Promise<SimProject> {
  const tag = randomBytes(3).toString('hex');
  const project = await createProject(sql, { name: `simulation ${o.label} ${o.strategy} ${tag}`, readsPerSlice: 2 });
  const projectId = project.id;
  await sql`update projects set al_strategy = ${o.strategy}, al_batch_size = ${o.batch}, retrain_every = 0, promotion_tolerance = 1, queue_order = 'RANDOM' where id = ${projectId}`;
  const summary = await ingest(sql, store, { projectId, source: { kind: 'path', path: o.phantomDir }, secret: o.secret });
  await importCohorts(sql, projectId, o.secret, path.join(o.phantomDir, PATIENTS_CSV_NAME));
  const user = (name: string, role: 'LABELER' | 'ADJUDICATOR') =>
    createUser(sql, { username: `sim-${tag}-${name}`, password: randomBytes(12).toString('hex'), roles: [role], projectIds: [projectId] });
  const readers = [await user('reader1', 'LABELER'), await user('reader2', 'LABELER')];
  const adjudicator = await user('adjudicator', 'ADJUDICATOR');

  const { truth, patientOf } = await projectTruth(sql, projectId, o.truthByUid);
  return {
    projectId,
    readerIds: readers.map((r) => r.id),
    adjudicatorId: adjudicator.id,
    truth,
    patientOf,
    ingested: { accepted: summary.accepted, skipped: summary.skipped, rejected: summary.rejected },
  };
}

/** The ground truth of every stored slice of a project (keyed by slices.id), and each slice's patient. */
export async function projectTruth(sql: Sql, projectId: string, truthByUid: Map<string, SliceTruth>): Promise<Pick<SimProject, 'truth' | 'patientOf'>> {
  const rows = await sql<{ id: string; sopUid: string; patientId: string }[]>`
    select s.id, s.sop_uid, st.patient_id from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
     where s.project_id = ${projectId}`;
  const truth = new Map<string, SliceTruth & { sopUid: string }>();
  for (const r of rows) {
    const t = truthByUid.get(r.sopUid);
    if (!t) throw new Error(`stored slice ${r.sopUid} matches no ground-truth SOP UID: the pseudonym secret differs from ingest's`);
    truth.set(r.id, { ...t, sopUid: r.sopUid });
  }
  return { truth, patientOf: new Map(rows.map((r) => [r.id, r.patientId])) };
}

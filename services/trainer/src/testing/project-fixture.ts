import { randomBytes } from 'node:crypto';
import type { Sql, FileStore } from '@concord/db';
import { makeStoredSlice, syntheticSlicePixels } from './dicom-fixture.js';

export interface SeedOptions {
  patients: number;
  slicesPerPatient: number;
  /** Image side in pixels of the stored slices. */
  size?: number;
  /** Fraction of patients in the DCM cohort. */
  dcmFraction?: number;
  readsPerSlice?: number;
  /** Write stored DICOM files (false for benchmarks that only need rows). */
  files?: boolean;
}

export interface SeededSlice {
  id: string;
  patientId: string;
  seriesId: string;
  position: number;
  truth: 0 | 1;
  cohort: 'CONTROL' | 'DCM';
}

/**
 * A project with patients, one series each and synthetic slices whose ground truth is known:
 * in DCM patients the middle third of slices are compressed (1), everything else is 0.
 * Written with plain SQL so that trainer tests do not depend on the ingest pipeline.
 */
export async function seedProject(sql: Sql, store: FileStore | null, opts: SeedOptions): Promise<{ projectId: string; slices: SeededSlice[] }> {
  const size = opts.size ?? 24;
  const [project] = await sql<{ id: string }[]>`
    insert into projects (name, reads_per_slice) values (${'trainer-' + randomBytes(4).toString('hex')}, ${opts.readsPerSlice ?? 2}) returning id`;
  const slices: SeededSlice[] = [];
  const nDcm = Math.round(opts.patients * (opts.dcmFraction ?? 0.5));
  const placeholder = '0'.repeat(64);
  for (let p = 0; p < opts.patients; p++) {
    const cohort = p < nDcm ? 'DCM' : 'CONTROL';
    const [patient] = await sql<
      { id: string }[]
    >`insert into patients (project_id, pseudonym, cohort) values (${project.id}, ${'pt' + p + '-' + randomBytes(3).toString('hex')}, ${cohort}) returning id`;
    const [study] = await sql<
      { id: string }[]
    >`insert into studies (project_id, patient_id, study_uid) values (${project.id}, ${patient.id}, ${'2.25.' + randomBytes(6).readUIntBE(0, 6)}) returning id`;
    const [series] = await sql<
      { id: string }[]
    >`insert into series (project_id, study_id, series_uid, rows, cols) values (${project.id}, ${study.id}, ${'2.25.' + randomBytes(6).readUIntBE(0, 6)}, ${size}, ${size}) returning id`;
    const rows = [];
    for (let i = 0; i < opts.slicesPerPatient; i++) {
      const third = opts.slicesPerPatient / 3;
      const truth: 0 | 1 = cohort === 'DCM' && i >= third && i < 2 * third ? 1 : 0;
      const sop = `2.25.${randomBytes(6).readUIntBE(0, 6)}${i}`;
      const key =
        store && opts.files !== false
          ? await store.put(makeStoredSlice({ rows: size, cols: size, pixels: syntheticSlicePixels(size, truth, p * 1000 + i), sopUid: sop }))
          : placeholder;
      rows.push({
        projectId: project.id,
        seriesId: series.id,
        sopUid: sop,
        position: i,
        location: i * 3,
        fileKey: key,
        readsRequired: opts.readsPerSlice ?? 2,
        truth,
      });
    }
    const inserted = await sql<{ id: string; position: number }[]>`
      insert into slices ${sql(
        rows.map(({ truth: _t, ...r }) => r),
        'projectId',
        'seriesId',
        'sopUid',
        'position',
        'location',
        'fileKey',
        'readsRequired',
      )}
      returning id, position`;
    for (const r of inserted)
      slices.push({ id: r.id, patientId: patient.id, seriesId: series.id, position: r.position, truth: rows[r.position].truth, cohort });
  }
  return { projectId: project.id, slices };
}

/** Final labels written directly, standing in for the label and adjudication services. */
export async function finaliseLabels(sql: Sql, projectId: string, labels: { sliceId: string; value: 0 | 1 }[]): Promise<void> {
  if (!labels.length) return;
  for (let i = 0; i < labels.length; i += 5000) {
    const rows = labels.slice(i, i + 5000).map((l) => ({ sliceId: l.sliceId, projectId, value: l.value, source: 'SINGLE_READ' }));
    await sql`insert into final_labels ${sql(rows, 'sliceId', 'projectId', 'value', 'source')} on conflict do nothing`;
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { importCohorts } from '../apps/api/src/ingest/cohorts.js';
import { generatePhantom, PATIENTS_CSV_NAME } from '@concord/phantom';

const { sql } = await freshDatabase('ingphantom');

test('[IN5][IN10] a 2-patient phantom yields exactly its axial T2 slices', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-phantom-'));
  const result = await generatePhantom({ patients: 2, outDir: path.join(dir, 'dicom'), seed: 7, rows: 64 });
  const [p] = await sql<{ id: string }[]>`insert into projects (name) values ('phantom') returning id`;
  const store = new LocalFileStore(path.join(dir, 'files'));
  const summary = await ingest(sql, store, { projectId: p.id, source: { kind: 'path', path: path.join(dir, 'dicom') }, secret: 's' });
  const expected = result.patients.reduce((n, x) => n + x.nSlices, 0);
  assert.equal(summary.accepted, expected);
  // Only the ground-truth CSVs written beside the images are rejected.
  const rejected = await sql<
    { path: string; reason: string }[]
  >`select path, reason from ingest_files where batch_id = ${summary.batchId} and status = 'REJECTED'`;
  assert.ok(
    rejected.every((r) => r.path.endsWith('.csv') && r.reason === 'NOT_DICOM'),
    JSON.stringify(rejected),
  );
  const [n] = await sql<
    { series: number; patients: number }[]
  >`select (select count(*)::int from series where project_id = ${p.id}) as series, (select count(*)::int from patients where project_id = ${p.id}) as patients`;
  assert.deepEqual(n, { series: 2, patients: 2 });
  const csv = fs
    .readdirSync(path.join(dir, 'dicom'), { recursive: true })
    .map(String)
    .find((f) => f.endsWith(PATIENTS_CSV_NAME));
  if (csv) assert.equal((await importCohorts(sql, p.id, 's', path.join(dir, 'dicom', csv))).updated, 2);
});

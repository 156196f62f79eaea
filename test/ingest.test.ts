import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { readStoredSlicePixels } from '@concord/dicom';
import { resolveSeriesRules, DEFAULT_SERIES_RULES } from '../apps/api/src/ingest/series-rules.js';
import { importCohorts } from '../apps/api/src/ingest/cohorts.js';
import { patientPseudonym } from '../apps/api/src/ingest/pseudonym.js';
import { SECRET, patientFiles, storedZip } from './helpers/dicom-fixtures.js';

const { sql } = await freshDatabase('ingest');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-ingest-'));
const store = new LocalFileStore(path.join(tmp, 'files'));

async function newProject(name: string, readsPerSlice = 2): Promise<string> {
  const [p] = await sql<{ id: string }[]>`insert into projects (name, reads_per_slice) values (${name}, ${readsPerSlice}) returning id`;
  return p.id;
}

function writeFolder(dir: string, files: { name: string; bytes: Uint8Array }[]) {
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.name), f.bytes);
  }
}

const files = patientFiles('A');
const folder = path.join(tmp, 'folder');
writeFolder(folder, files);

test('[IN1][IN6][IN7][IN9] folder ingest picks the axial T2 series, orders slices, reports every file, and sets reads from the project, cohorts unknown', async () => {
  const projectId = await newProject('folder', 3);
  const summary = await ingest(sql, store, { projectId, source: { kind: 'path', path: folder }, secret: SECRET });
  assert.equal(summary.total, files.length);
  assert.equal(summary.accepted + summary.skipped + summary.rejected, summary.total);
  const rows = await sql<{ path: string; status: string; reason: string }[]>`select path, status, reason from ingest_files where batch_id = ${summary.batchId}`;
  assert.equal(rows.length, files.length, 'one row per input file');
  const by = (p: string) => rows.filter((r) => r.path.startsWith(p));
  assert.ok(by('A/ax_t2/').every((r) => r.status === 'ACCEPTED'));
  assert.ok(by('A/sag_t1/').every((r) => r.status === 'SKIPPED' && r.reason === 'NOT_AXIAL'));
  assert.ok(by('A/ax_t2_bad/').every((r) => r.status === 'REJECTED' && r.reason === 'INCONSISTENT_GEOMETRY'));
  assert.deepEqual(
    by('A/notes.txt').map((r) => r.reason),
    ['NOT_DICOM'],
  );
  const slices = await sql<{ position: number; fileKey: string; readsRequired: number; location: number }[]>`
    select position, file_key, reads_required, location from slices where project_id = ${projectId} order by position`;
  assert.equal(slices.length, 5);
  for (const s of slices) {
    const px = readStoredSlicePixels(await store.get(s.fileKey));
    assert.equal(px.pixels[1], 100 + s.position, 'slice order follows position along the normal');
    assert.equal(s.readsRequired, 3, '[IN9] reads_required = project reads_per_slice');
  }
  assert.ok(slices[0].location < slices[4].location);
  const [series] = await sql<{ n: number }[]>`select count(*)::int as n from series where project_id = ${projectId}`;
  assert.equal(series.n, 1);
  const cohorts = await sql<{ cohort: string | null }[]>`select cohort from patients where project_id = ${projectId}`;
  assert.deepEqual(
    cohorts.map((p) => p.cohort),
    [null],
    'ingest leaves the cohort to importCohorts',
  );
});

test('[IN4] stored slices are de-identified: no original identifiers or UIDs in the bytes', async () => {
  const projectId = await newProject('deid');
  await ingest(sql, store, { projectId, source: { kind: 'path', path: folder }, secret: SECRET });
  const keys = await sql<{ fileKey: string }[]>`select file_key from slices where project_id = ${projectId}`;
  assert.ok(keys.length > 0);
  for (const { fileKey: file_key } of keys) {
    const text = (await store.get(file_key)).toString('latin1');
    for (const secret of ['PID-A-SECRET', 'Doe^Jane', 'General Hospital', '19600101', '20240102', '1.2.826.0.1.A']) {
      assert.ok(!text.includes(secret), `stored file must not contain ${secret}`);
    }
    assert.ok(text.includes(patientPseudonym(SECRET, 'PID-A-SECRET')));
    assert.ok(text.includes('2.25.'));
    const px = readStoredSlicePixels(await store.get(file_key));
    assert.equal(px.rows, 8);
    assert.equal(px.windowCenter, 500);
  }
  const [patient] = await sql<{ pseudonym: string; cohort: string | null }[]>`select pseudonym, cohort from patients where project_id = ${projectId}`;
  assert.equal(patient.pseudonym, patientPseudonym(SECRET, 'PID-A-SECRET'));
  assert.equal(patient.cohort, null);
  const details = await sql<
    { detail: string }[]
  >`select detail from ingest_files f join ingest_batches b on b.id = f.batch_id where b.project_id = ${projectId}`;
  assert.ok(
    details.every((d) => !/PID-A|Doe|Jane/.test(d.detail)),
    'details carry no patient data',
  );
});

test('[IN2][IN8] zip ingest gives the same result; re-ingest creates no duplicates', async () => {
  const projectId = await newProject('zip');
  const zipPath = path.join(tmp, 'upload.zip');
  fs.writeFileSync(zipPath, storedZip(files));
  const first = await ingest(sql, store, { projectId, source: { kind: 'path', path: zipPath }, secret: SECRET });
  assert.equal(first.accepted, 5);
  const rows = await sql<{ path: string }[]>`select path from ingest_files where batch_id = ${first.batchId} and status = 'ACCEPTED'`;
  assert.ok(rows.every((r) => r.path.startsWith('upload.zip/A/ax_t2/')));
  const progress: number[] = [];
  const again = await ingest(sql, store, {
    projectId,
    secret: SECRET,
    onProgress: (p) => progress.push(p.done),
    source: {
      kind: 'buffers',
      label: 'upload',
      files: (async function* () {
        yield* files;
      })(),
    },
  });
  assert.equal(again.accepted, 0);
  const dup = await sql<
    { reason: string; sliceId: string | null }[]
  >`select reason, slice_id from ingest_files where batch_id = ${again.batchId} and path like 'A/ax_t2/%'`;
  assert.equal(dup.length, 5);
  assert.ok(dup.every((r) => r.reason === 'DUPLICATE' && r.sliceId));
  const [counts] = await sql<{ p: number; st: number; se: number; sl: number }[]>`select
    (select count(*)::int from patients where project_id = ${projectId}) as p, (select count(*)::int from studies where project_id = ${projectId}) as st,
    (select count(*)::int from series where project_id = ${projectId}) as se, (select count(*)::int from slices where project_id = ${projectId}) as sl`;
  assert.deepEqual(counts, { p: 1, st: 1, se: 1, sl: 5 });
  assert.equal(progress.at(-1), files.length);
});

test('[IN5] series rules: defaults, validation, and a project rule that changes the pick', async () => {
  assert.deepEqual(resolveSeriesRules({}), DEFAULT_SERIES_RULES);
  assert.throws(() => resolveSeriesRules({ maxAxialAngleDeg: 200 }), /between 0 and 90/);
  assert.throws(() => resolveSeriesRules({ descriptionPattern: '(' }), /regular expression/);
  assert.throws(() => resolveSeriesRules({ minEchoTimeMs: 100, maxEchoTimeMs: 50 }), /must not exceed/);
  const projectId = await newProject('rules');
  await sql`update projects set series_rules = ${sql.json({ minEchoTimeMs: 120 })} where id = ${projectId}`;
  const summary = await ingest(sql, store, { projectId, source: { kind: 'path', path: folder }, secret: SECRET });
  assert.equal(summary.accepted, 0);
  const [row] = await sql<{ reason: string }[]>`select reason from ingest_files where batch_id = ${summary.batchId} and path = 'A/ax_t2/slice_0.dcm'`;
  assert.equal(row.reason, 'NOT_T2');
});

test('[IN10] importCohorts sets the cohort by pseudonym', async () => {
  const projectId = await newProject('cohorts');
  await ingest(sql, store, { projectId, source: { kind: 'path', path: folder }, secret: SECRET });
  const csv = path.join(tmp, 'ground_truth_patients.csv');
  fs.writeFileSync(csv, 'patient_key,patient_id,cohort,n_slices,n_positive\nk1,PID-A-SECRET,DCM,5,2\nk2,UNKNOWN,CONTROL,5,0\n');
  assert.deepEqual(await importCohorts(sql, projectId, SECRET, csv), { updated: 1, unmatched: 1 });
  const [p] = await sql<{ cohort: string }[]>`select cohort from patients where project_id = ${projectId}`;
  assert.equal(p.cohort, 'DCM');
});

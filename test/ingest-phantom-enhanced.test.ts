/**
 * `phantom --enhanced`: the axial T2 series as Legacy Converted Enhanced MR objects ingest to the
 * same slices, in the same order, with the same identities and pixels as the classic phantom.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { pseudonymousUid } from '../apps/api/src/ingest/pseudonym.js';
import { readStoredSlicePixels } from '@concord/dicom';
import { generatePhantom } from '@concord/phantom';

const { sql } = await freshDatabase('ingphantomenh');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-phantom-enh-'));
const store = new LocalFileStore(path.join(dir, 'files'));
const SECRET = 's';

async function ingestPhantom(name: string, enhanced: boolean) {
  const out = path.join(dir, name);
  const truth = await generatePhantom({ patients: 2, outDir: out, seed: 11, rows: 64, enhanced });
  const [p] = await sql<{ id: string }[]>`insert into projects (name) values (${name}) returning id`;
  const summary = await ingest(sql, store, { projectId: p.id, source: { kind: 'path', path: out }, secret: SECRET });
  const slices = await sql<{ sopUid: string; location: number; position: number; seriesUid: string; fileKey: string; sourceFrame: number | null }[]>`
    select s.sop_uid, s.location, s.position, se.series_uid, s.file_key, s.source_frame from slices s join series se on se.id = s.series_id
     where s.project_id = ${p.id} order by se.series_uid, s.position`;
  return { out, truth, summary, slices, projectId: p.id };
}

test("[IN16][PH12] an enhanced phantom ingests to the classic phantom's slices: same UIDs, order, locations and pixels", async () => {
  const classic = await ingestPhantom('classic', false);
  const enhanced = await ingestPhantom('enhanced', true);
  const expected = enhanced.truth.patients.reduce((n, x) => n + x.nSlices, 0);
  assert.equal(enhanced.summary.accepted, 2, 'one ACCEPTED row per enhanced file');
  assert.equal(enhanced.slices.length, expected);
  const files = await sql<
    { path: string; detail: string }[]
  >`select f.path, f.detail from ingest_files f join ingest_batches b on b.id = f.batch_id where b.project_id = ${enhanced.projectId} and f.status = 'ACCEPTED'`;
  for (const f of files) {
    assert.match(f.path, /series-3\/enhanced\.dcm$/);
    assert.match(f.detail, /^(\d+) of \1 frames became slices/);
  }
  // Conversion Source Attributes keep each frame's classic identity: the ground truth maps as before.
  const truthUids = new Set(enhanced.truth.patients.flatMap((p) => p.slices.map((s) => pseudonymousUid(SECRET, s.sopUid))));
  assert.deepEqual(new Set(enhanced.slices.map((s) => s.sopUid)), truthUids);
  assert.deepEqual(
    enhanced.slices.map((s) => [s.seriesUid, s.sopUid, s.position, s.location]),
    classic.slices.map((s) => [s.seriesUid, s.sopUid, s.position, s.location]),
  );
  assert.ok(enhanced.slices.every((s) => s.sourceFrame !== null) && classic.slices.every((s) => s.sourceFrame === null));
  for (const [k, s] of enhanced.slices.entries()) {
    const a = readStoredSlicePixels(await store.get(s.fileKey)).pixels;
    const b = readStoredSlicePixels(await store.get(classic.slices[k].fileKey)).pixels;
    assert.deepEqual(a, b, `slice ${k}`);
  }
  // [IN8] the classic files after the enhanced ones: every slice is already there.
  const again = await ingest(sql, store, { projectId: enhanced.projectId, source: { kind: 'path', path: classic.out }, secret: SECRET });
  assert.equal(again.accepted, 0);
});

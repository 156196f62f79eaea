/** Ingests the whole public corpus (shared/corpus/public beside the repo): no crash, one verdict per file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { parseInstance } from '../apps/api/src/ingest/parse-instance.js';
import { decodeFrame, decodePixels } from '../apps/api/src/ingest/pixel-decode.js';
import { loadCodecs } from '../apps/api/src/ingest/codecs.js';
import { classify } from '../apps/api/src/ingest/classify.js';
import { flattenFrame, frameCount } from '../apps/api/src/ingest/enhanced.js';
import type { FileVerdictError } from '../apps/api/src/ingest/outcome.js';
import { nums } from '../apps/api/src/ingest/parse-instance.js';
import { resolveSeriesRules } from '../apps/api/src/ingest/series-rules.js';
import { locationAlong, sliceNormal } from '../apps/api/src/ingest/slice-normal.js';

import { corpusCandidates, findCorpus } from './helpers/corpus.js';

// npm test's preflight stops the run when the corpus is missing; run alone, a missing one fails here (FM3).
const CORPUS: string = findCorpus() ?? assert.fail(`DICOM corpus not found (looked in ${corpusCandidates().join(', ')}): set CONCORD_CORPUS_DIR`);
const { sql } = await freshDatabase('corpus');
const store = new LocalFileStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-corpus-')), 'files'));

function countFiles(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : e.isFile() ? 1 : 0), 0);
}

async function run(name: string, rules: Record<string, unknown>) {
  const [p] = await sql<{ id: string }[]>`insert into projects (name, series_rules) values (${name}, ${sql.json(rules as never)}) returning id`;
  const t0 = performance.now();
  const summary = await ingest(sql, store, { projectId: p.id, source: { kind: 'path', path: CORPUS }, secret: 's' });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `# corpus ${name}: ${summary.total} files in ${seconds.toFixed(1)} s (${(summary.total / seconds).toFixed(0)} files/s); accepted ${summary.accepted}, skipped ${summary.skipped}, rejected ${summary.rejected}`,
  );
  const rows = await sql<
    { path: string; status: string; reason: string; detail: string | null }[]
  >`select path, status, reason, detail from ingest_files where batch_id = ${summary.batchId}`;
  return { summary, rows: new Map(rows.map((r) => [r.path, r])), count: rows.length };
}

test('[IN3][IN7] whole corpus with default rules: every file one verdict, known files as expected', async () => {
  const { summary, rows, count } = await run('corpus-default', {});
  const total = countFiles(CORPUS);
  assert.equal(summary.total, total);
  assert.equal(count, total, 'exactly one row per file');
  assert.equal(summary.accepted + summary.skipped + summary.rejected, total);
  for (const r of rows.values()) assert.ok(r.reason && r.detail, `${r.path} has a reason and a detail`);
  const expect: [string, string, string[]][] = [
    ['SOURCES.md', 'REJECTED', ['NOT_DICOM']],
    ['synthetic-broken/empty_0B.dcm', 'REJECTED', ['NOT_DICOM']],
    ['synthetic-broken/png_renamed.dcm', 'REJECTED', ['NOT_DICOM']],
    ['synthetic-broken/pdf_renamed.dcm', 'REJECTED', ['NOT_DICOM']],
    ['synthetic-broken/random_bytes_64KiB.dcm', 'REJECTED', ['NOT_DICOM', 'PARSE_ERROR']],
    ['synthetic-broken/truncated_in_meta_200B.dcm', 'REJECTED', ['TRUNCATED']],
    ['synthetic-broken/truncated_mid_pixeldata_60pct.dcm', 'REJECTED', ['TRUNCATED']],
    ['synthetic-broken/truncated_last_byte_missing.dcm', 'REJECTED', ['TRUNCATED']],
    ['synthetic-broken/pixeldata_length_overrun.dcm', 'REJECTED', ['TRUNCATED']],
    ['pydicom/test_files/MR_truncated.dcm', 'REJECTED', ['TRUNCATED']],
    ['orthanc-tests/2026-05-06-Deeply-Nested-Sequence.dcm', 'REJECTED', ['PARSE_ERROR']],
    ['orthanc-tests/HierarchicalAnonymization/StructuredReports/IM0', 'SKIPPED', ['NOT_IMAGE']],
    ['pydicom/test_files/test-SR.dcm', 'SKIPPED', ['NOT_IMAGE']],
    ['orthanc-tests/DicomSeg.dcm', 'SKIPPED', ['NOT_IMAGE']],
    ['cornerstone3D-testImages/CTImage.dcm', 'SKIPPED', ['NOT_MR']],
    ['orthanc-tests/Encodings/ISO_IR13.dcm', 'SKIPPED', ['NOT_AXIAL']],
    // Parseable without preamble/meta, as dcmtk does; an axial EPI slice, so not T2.
    ['synthetic-broken/no_preamble_no_DICM_but_meta.dcm', 'SKIPPED', ['NOT_T2']],
    ['synthetic-broken/valid_dataset_only_no_meta_implicitLE.dcm', 'SKIPPED', ['NOT_T2']],
    ['synthetic-broken/valid_deflated_explicitLE_from_dcm_qa_ts_1.dcm', 'SKIPPED', ['NOT_T2']],
    // [IN16] enhanced MR is split by frame and judged by the same rules: this one is EPI fMRI.
    ['dcm_qa_enh/Siemens/XA10/6_1.dcm', 'SKIPPED', ['NOT_T2']],
  ];
  for (const [p, status, reasons] of expect) {
    const r = rows.get(p);
    assert.ok(r, `${p} has a row`);
    assert.equal(r.status, status, `${p}: ${r.reason} ${r.detail}`);
    assert.ok(reasons.includes(r.reason), `${p}: got ${r.reason}`);
  }
  // The XSS SeriesDescription never reaches a detail.
  for (const r of rows.values()) assert.ok(!r.detail?.includes('<script'), r.path);
  // No axial T2 spine series in the corpus: the EPI fMRI and diffusion b=0 series must not pass.
  const accepted = [...rows.values()].filter((r) => r.status === 'ACCEPTED').map((r) => r.path);
  console.log(`# accepted with default rules: ${accepted.join(', ')}`);
  assert.ok(
    accepted.every((p) => !p.startsWith('dcm_qa_nih/') && !p.startsWith('dcm_qa_philips/')),
    accepted.join(' '),
  );
  assert.ok(summary.accepted <= 5);
});

test('[IN3][IN11] whole corpus with permissive rules: every decodable MR image becomes a slice or a stated rejection', async () => {
  const { summary, rows } = await run('corpus-permissive', {
    maxAxialAngleDeg: 90,
    minEchoTimeMs: 0,
    maxEchoTimeMs: 10000,
    minRepetitionTimeMs: 0,
    descriptionPattern: '.*',
  });
  assert.ok(summary.accepted > 200, `accepted ${summary.accepted}`);
  // [IN11] JPEG 2000 decodes now; the retired JPEG processes 6-8 and 10-12 are still refused by name.
  assert.equal(rows.get('orthanc-tests/Encodings/ISO_IR13.dcm')?.status, 'ACCEPTED');
  const retired = rows.get('cornerstone3D-testImages/CTImage.dcm_JPEGProcess10_12TransferSyntax_1.2.840.10008.1.2.4.55.dcm');
  assert.ok(!retired || retired.reason === 'NOT_MR', 'CT files stop at NOT_MR before decoding');
  // [IN16] an enhanced MR object from a real scanner: with rules that admit its contrast, each frame becomes a slice.
  const siemens = rows.get('dcm_qa_enh/Siemens/XA10/6_1.dcm');
  assert.equal(siemens?.status, 'SKIPPED', 'EPI stays excluded under any rules');
  const [pending] = await sql<
    { n: number }[]
  >`select count(*)::int as n from slices s join series se on se.id = s.series_id where se.rows <> 0 and s.file_key is null`;
  assert.equal(pending.n, 0);
});

test('[IN11][IN16] one enhanced MR object in five syntaxes decodes to identical frames', async () => {
  await loadCodecs();
  const dir = path.join(CORPUS, 'pydicom-data');
  const ref = parseInstance(fs.readFileSync(path.join(dir, 'emri_small.dcm')));
  for (const f of ['emri_small_RLE.dcm', 'emri_small_big_endian.dcm', 'emri_small_jpeg_ls_lossless.dcm', 'emri_small_jpeg_2k_lossless.dcm']) {
    const parsed = parseInstance(fs.readFileSync(path.join(dir, f)));
    for (let frame = 0; frame < 10; frame++) {
      assert.deepEqual(
        decodeFrame(parsed.dataset, parsed.transferSyntax, frame).samples,
        decodeFrame(ref.dataset, ref.transferSyntax, frame).samples,
        `${f} frame ${frame + 1}`,
      );
    }
  }
});

test("[IN16] real scanners' enhanced MR objects flatten to stacks with their functional-group geometry", () => {
  const frames = (file: string) => {
    const ds = parseInstance(fs.readFileSync(path.join(CORPUS, file))).dataset;
    return Array.from({ length: frameCount(ds) }, (_, k) => flattenFrame(ds, k));
  };
  const locations = (fl: ReturnType<typeof flattenFrame>[]) => {
    const normal = sliceNormal(nums(fl[0].dataset, 'ImageOrientationPatient'))!;
    return [...new Set(fl.map((f) => locationAlong(normal, nums(f.dataset, 'ImagePositionPatient')!).toFixed(3)))].map(Number).sort((a, b) => a - b);
  };
  // Philips 3D pCASL: 40 frames, one stack, 4 mm apart as its Pixel Measures say; per-frame VOI and rescale.
  const pcasl = frames('dcm_qa_philips_enh/1901_WIP_3DpCASL_real.dcm');
  assert.equal(pcasl.length, 40);
  assert.equal(new Set(pcasl.map((f) => f.stackKey)).size, 1);
  const locs = locations(pcasl);
  assert.equal(locs.length, 40);
  for (let k = 1; k < locs.length; k++) assert.ok(Math.abs(locs[k] - locs[k - 1] - 4) < 1e-3, `spacing ${locs[k] - locs[k - 1]}`);
  assert.equal(pcasl[0].dataset.SpacingBetweenSlices, 4);
  assert.deepEqual(
    [pcasl[0].dataset.WindowCenter, pcasl[0].dataset.RescaleSlope, pcasl[0].dataset.EchoTime, pcasl[0].dataset.RepetitionTime],
    [50, 0.1, 9, 4250],
  );
  // Its frame type says perfusion and its pulse sequence is echo-planar: never an anatomical T2.
  assert.throws(
    () => classify(pcasl[0].dataset, resolveSeriesRules({ descriptionPattern: '.*', minEchoTimeMs: 0 })),
    (e: FileVerdictError) => e.verdict.reason === 'NOT_T2',
  );
  // Philips B0 map: two echoes of 32 slices each become two stacks.
  const fmap = frames('dcm_qa_enh/Philips/IM_0027_fMAP.dcm');
  assert.deepEqual([...new Set(fmap.map((f) => f.stackKey))].sort(), ['1|0', '1|1.52']);
  assert.equal(locations(fmap).length, 32);
});

test('[IN11] one CT image in every decodable transfer syntax decodes to identical pixels', async () => {
  const dir = path.join(CORPUS, 'cornerstone3D-testImages');
  await loadCodecs();
  const ref = decodePixels(parseInstance(fs.readFileSync(path.join(dir, 'CTImage.dcm'))).dataset, '1.2.840.10008.1.2');
  for (const ts of [
    'BigEndianExplicit',
    'DeflatedExplicitVRLittleEndian',
    'LittleEndianExplicit',
    'LittleEndianImplicit',
    'RLELossless',
    'JPEGProcess14Transfer',
    'JPEGProcess14SV1',
    'JPEG2000LosslessOnly',
    'JPEGLSLossless',
  ]) {
    const file = fs.readdirSync(dir).find((f) => f.startsWith(`CTImage.dcm_${ts}`));
    assert.ok(file, ts);
    const parsed = parseInstance(fs.readFileSync(path.join(dir, file)));
    assert.deepEqual(decodePixels(parsed.dataset, parsed.transferSyntax).samples, ref.samples, ts);
  }
});

/**
 * Every image syntax a PACS sends, made by real tools (gdcm, dcmtk, openjph) from one uncompressed
 * axial T2 series, ingested through the real pipeline into PostgreSQL and read back from the
 * stored slices: lossless bit-exact, lossy bounded and marked; enhanced MR split into slices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { classicSeries, convertAll, enhancedFile, htj2kSeries, type SeriesFile } from './helpers/codec-fixtures.js';
import { LocalFileStore } from '@concord/db';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { readStoredSlicePixels, dcmjsData, toArrayBuffer } from '@concord/dicom';
import { loadConfig, ConfigError } from '../apps/api/src/config/config.js';
import { WorkerPool } from '../apps/api/src/ingest/prepare-pool.js';
import { resolveSeriesRules } from '../apps/api/src/ingest/series-rules.js';
import { DEFAULT_LIMITS } from '../apps/api/src/ingest/limits.js';
import { loadCodecs } from '../apps/api/src/ingest/codecs.js';
import { parseInstance } from '../apps/api/src/ingest/parse-instance.js';
import { decodeFrame } from '../apps/api/src/ingest/pixel-decode.js';
import { findCorpus } from './helpers/corpus.js';

// The preflight (test/preflight/tools.ts) installs the fixture tools or stops the run: nothing skips.

const { sql } = await freshDatabase('ingest_codecs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-codecs-'));
const store = new LocalFileStore(path.join(tmp, 'files'));
const SECRET = 'codec-secret';
const N = 6;
const series: SeriesFile[] = classicSeries(path.join(tmp, 'raw'), N);

async function ingestDir(name: string, dir: string, limits?: { maxImagePixels: number; maxFrames: number }, workers?: number) {
  const [p] = await sql<{ id: string }[]>`insert into projects (name) values (${name}) returning id`;
  const summary = await ingest(sql, store, { projectId: p.id, source: { kind: 'path', path: dir }, secret: SECRET, limits, workers });
  const files = await sql<{ path: string; status: string; reason: string; detail: string }[]>`
    select path, status, reason, detail from ingest_files where batch_id = ${summary.batchId} order by path`;
  const slices = await sql<
    {
      position: number;
      location: number;
      fileKey: string;
      lossy: boolean;
      sourceSopUid: string | null;
      sourceFrame: number | null;
      windowCenter: number | null;
    }[]
  >`
    select position, location, file_key, lossy, source_sop_uid, source_frame, window_center from slices where project_id = ${p.id} order by position`;
  const pixels = await Promise.all(slices.map(async (s) => readStoredSlicePixels(await store.get(s.fileKey)).pixels));
  return { projectId: p.id, summary, files, slices, pixels };
}

function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Series files are numbered by z, so position p holds series[p]. */
function assertExact(run: Awaited<ReturnType<typeof ingestDir>>, label: string) {
  assert.equal(run.summary.accepted, N, `${label}: ${JSON.stringify(run.files.filter((f) => f.status !== 'ACCEPTED'))}`);
  run.pixels.forEach((px, p) => {
    assert.equal(maxError(px, series[p].pixels), 0, `${label}: slice ${p} is bit-exact`);
  });
  assert.ok(
    run.slices.every((s) => !s.lossy),
    `${label}: lossless slices are not marked lossy`,
  );
}

const LOSSLESS: [string, string, string[], string][] = [
  ['JPEG-LS lossless (dcmcjpls)', 'dcmcjpls', [], '1.2.840.10008.1.2.4.80'],
  ['JPEG-LS lossless (gdcmconv --jpegls)', 'gdcmconv', ['--jpegls'], '1.2.840.10008.1.2.4.80'],
  ['JPEG 2000 lossless (gdcmconv --j2k)', 'gdcmconv', ['--j2k'], '1.2.840.10008.1.2.4.90'],
  ['JPEG lossless SV1 (dcmcjpeg +e1)', 'dcmcjpeg', ['+e1'], '1.2.840.10008.1.2.4.70'],
  ['JPEG lossless (gdcmconv --jpeg)', 'gdcmconv', ['--jpeg'], '1.2.840.10008.1.2.4.70'],
  ['RLE (gdcmconv --rle)', 'gdcmconv', ['--rle'], '1.2.840.10008.1.2.5'],
];

/** Rewrites one top-level US element of a file in place (a header that lies about its pixels). */
function setTag(file: string, tags: Record<string, number>) {
  const ds = dcmjsData.DicomMessage.readFile(toArrayBuffer(fs.readFileSync(file)));
  const dict = ds.dict as Record<string, { Value: unknown[] }>;
  for (const [tag, value] of Object.entries(tags)) dict[tag].Value = [value];
  fs.writeFileSync(file, Buffer.from(ds.write()));
}

function syntaxOf(file: string): string {
  const meta = dcmjsData.DicomMessage.readFile(toArrayBuffer(fs.readFileSync(file)), { untilTag: '00080005' } as Record<string, unknown>).meta as Record<
    string,
    { Value?: string[] }
  >;
  return meta['00020010']?.Value?.[0] ?? '';
}

test('[IN11][IN13] lossless syntaxes made by gdcm and dcmtk ingest bit-exact against the uncompressed series', async () => {
  const baseline = await ingestDir('uncompressed', path.join(tmp, 'raw'));
  assertExact(baseline, 'uncompressed');
  for (const [label, tool, args, ts] of LOSSLESS) {
    const dir = convertAll(series, path.join(tmp, label.replace(/\W+/g, '_')), tool, args);
    assert.equal(syntaxOf(path.join(dir, series[0].name)), ts, `${label} wrote ${ts}`);
    assertExact(await ingestDir(label, dir), label);
  }
});

test('[IN11][IN13] HTJ2K lossless made by openjph ingests bit-exact', async () => {
  assertExact(await ingestDir('htj2k', htj2kSeries(series, path.join(tmp, 'htj2k'), true)), 'HTJ2K lossless');
});

test('[IN11][IN14] lossy syntaxes ingest with a bounded error and are marked lossy', async () => {
  const lossy: [string, () => string, number][] = [
    // dcmtk's NEAR = 2 bounds every sample's error by 2.
    ['JPEG-LS near-lossless (dcmcjpls +en)', () => convertAll(series, path.join(tmp, 'jls-near'), 'dcmcjpls', ['+en']), 2],
    // dcmtk's default quality on 12-bit noise: 2.5% of the range (decoder fidelity is pinned below).
    ['JPEG extended 12-bit (dcmcjpeg +ee)', () => convertAll(series, path.join(tmp, 'jpeg12'), 'dcmcjpeg', ['+ee']), 100],
    ['JPEG 2000 lossy (gdcmconv --j2k --lossy)', () => convertAll(series, path.join(tmp, 'j2k-lossy'), 'gdcmconv', ['--j2k', '--lossy', '-q', '100']), 50],
    ['HTJ2K lossy (ojph_compress)', () => htj2kSeries(series, path.join(tmp, 'htj2k-lossy'), false), 60],
  ];
  for (const [label, make, bound] of lossy) {
    const run = await ingestDir(label, make());
    assert.equal(run.summary.accepted, N, `${label}: ${JSON.stringify(run.files.filter((f) => f.status !== 'ACCEPTED'))}`);
    run.pixels.forEach((px, p) => {
      const err = maxError(px, series[p].pixels);
      assert.ok(err <= bound, `${label}: slice ${p} max error ${err} > ${bound}`);
    });
    assert.ok(
      run.slices.every((s) => s.lossy),
      `${label}: every slice is marked lossy`,
    );
    const stored = dcmjsData.DicomMetaDictionary.naturalizeDataset(dcmjsData.DicomMessage.readFile(toArrayBuffer(await store.get(run.slices[0].fileKey))).dict);
    assert.equal(stored.LossyImageCompression, '01', `${label}: the stored slice says it was lossy compressed`);
  }
});

test('[IN11] 12-bit JPEG decodes within 1 of libjpeg (dcmtk dcmdjpeg) on every sample', async () => {
  const dir = convertAll(series, path.join(tmp, 'jpeg12-ref'), 'dcmcjpeg', ['+ee']);
  const decodedDir = path.join(tmp, 'jpeg12-dcmtk');
  fs.mkdirSync(decodedDir);
  for (const f of series) execFileSync('dcmdjpeg', [path.join(dir, f.name), path.join(decodedDir, f.name)]);
  const ours = await ingestDir('jpeg12-ours', dir);
  const libjpeg = await ingestDir('jpeg12-libjpeg', decodedDir);
  ours.pixels.forEach((px, p) => {
    assert.ok(maxError(px, libjpeg.pixels[p]) <= 1, `slice ${p}: ${maxError(px, libjpeg.pixels[p])}`);
  });
});

test('[IN16] an enhanced MR object splits into ordered slices with per-frame geometry and a source reference', async () => {
  // Frames out of z order, as scanners write interleaved acquisitions.
  const order = [3, 0, 5, 1, 4, 2];
  const file = enhancedFile(series, path.join(tmp, 'enhanced', 'enh.dcm'), order);
  const run = await ingestDir('enhanced', path.dirname(file));
  assert.deepEqual(
    run.files.map((f) => [f.status, f.reason]),
    [['ACCEPTED', 'ACCEPTED']],
    'one row for the one file',
  );
  assert.match(run.files[0].detail, /6 of 6 frames/);
  assert.equal(run.slices.length, N);
  run.pixels.forEach((px, p) => {
    assert.equal(maxError(px, series[p].pixels), 0, `slice ${p} holds the frame at its z`);
  });
  assert.deepEqual(
    run.slices.map((s) => s.location),
    series.map((s) => s.z),
    'locations follow the per-frame positions, 4 mm apart',
  );
  assert.deepEqual(
    run.slices.map((s) => s.sourceFrame),
    series.map((_, p) => order.indexOf(p) + 1),
    'each slice names its 1-based source frame',
  );
  assert.equal(new Set(run.slices.map((s) => s.sourceSopUid)).size, 1);
  assert.match(run.slices[0].sourceSopUid!, /^2\.25\.\d+$/, 'the source instance UID is de-identified');
  assert.equal(run.slices[0].windowCenter, 2000, 'windowing comes from the shared Frame VOI LUT');
  const bytes = Buffer.from(await store.get(run.slices[0].fileKey));
  for (const secret of ['PID-CODEC-SECRET', 'Codec^Patient', '1.2.826.0.1.77'])
    assert.ok(!bytes.includes(secret), `[IN4] ${secret} is not in the stored slice`);
  const stored = dcmjsData.DicomMetaDictionary.naturalizeDataset(dcmjsData.DicomMessage.readFile(toArrayBuffer(bytes)).dict);
  assert.equal(stored.SOPClassUID, '1.2.840.10008.5.1.4.1.1.4', 'stored as a classic MR slice');
  assert.equal(stored.PerFrameFunctionalGroupsSequence, undefined);
  const source = (stored.SourceImageSequence as Record<string, unknown>[])[0];
  assert.equal(source.ReferencedSOPInstanceUID, run.slices[0].sourceSopUid);
  assert.equal(Number(source.ReferencedFrameNumber), run.slices[0].sourceFrame);
  assert.deepEqual(stored.ImagePositionPatient, [0, 0, series[0].z]);

  // [IN8] the same object again: every frame is a duplicate, one row.
  const [again] = await sql<{ id: string }[]>`select id from projects where id = ${run.projectId}`;
  const second = await ingest(sql, store, { projectId: again.id, source: { kind: 'path', path: path.dirname(file) }, secret: SECRET });
  assert.deepEqual([second.total, second.skipped], [1, 1]);

  // Compressed enhanced MR (JPEG-LS, one fragment per frame) gives the same slices.
  const jls = path.join(tmp, 'enhanced-jls');
  fs.mkdirSync(jls);
  execFileSync('dcmcjpls', [file, path.join(jls, 'enh.dcm')]);
  const compressed = await ingestDir('enhanced-jls', jls);
  assert.equal(compressed.summary.accepted, 1);
  compressed.pixels.forEach((px, p) => {
    assert.equal(maxError(px, series[p].pixels), 0, `JPEG-LS enhanced slice ${p}`);
  });
});

test('[IN16] a dual-echo enhanced MR object becomes one series per echo, each in order', async () => {
  const order = [0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0];
  const echoTimes = order.map((_, k) => (k < 6 ? 90 : 120));
  const file = enhancedFile(series, path.join(tmp, 'dual-echo', 'enh.dcm'), order, { echoTimes });
  const run = await ingestDir('dual-echo', path.dirname(file));
  assert.deepEqual(
    run.files.map((f) => [f.status, f.reason]),
    [['ACCEPTED', 'ACCEPTED']],
  );
  assert.match(run.files[0].detail, /^12 of 12 frames became slices/);
  const perSeries = await sql<{ echoTime: number; n: number; locations: number[] }[]>`
    select se.echo_time, count(*)::int as n, array_agg(s.location order by s.position) as locations
      from slices s join series se on se.id = s.series_id where s.project_id = ${run.projectId}
     group by se.echo_time order by se.echo_time`;
  assert.deepEqual(
    perSeries.map((r) => [r.echoTime, r.n, r.locations]),
    [
      [90, N, series.map((s) => s.z)],
      [120, N, series.map((s) => s.z)],
    ],
  );
});

test('[IN16][IN5] enhanced MR frames follow the series rules: a T1 echo time in the MR echo macro is NOT_T2', async () => {
  const file = enhancedFile(series, path.join(tmp, 'enhanced-t1', 'enh.dcm'), [0, 1, 2, 3, 4, 5], { echoTime: 12 });
  const run = await ingestDir('enhanced-t1', path.dirname(file));
  assert.deepEqual(
    run.files.map((f) => [f.status, f.reason]),
    [['SKIPPED', 'NOT_T2']],
  );
  assert.match(run.files[0].detail, /echo time 12 ms/);
});

test('[IN15] resource caps: a small file declaring a huge matrix or too many frames is refused before decoding', async () => {
  // A 263 KB-style attack: a tiny RLE stream whose header claims 4096 × 4096.
  const dir = path.join(tmp, 'caps');
  convertAll(series.slice(0, 1), dir, 'gdcmconv', ['--rle']);
  const big = path.join(dir, series[0].name);
  setTag(big, { '00280010': 4096, '00280011': 4096 });
  const memBefore = process.memoryUsage().rss;
  const run = await ingestDir('caps', dir);
  assert.deepEqual(
    run.files.map((f) => [f.status, f.reason]),
    [['REJECTED', 'IMAGE_TOO_LARGE']],
  );
  assert.match(run.files[0].detail, /4096×4096.*CONCORD_INGEST_MAX_PIXELS/);
  assert.ok(process.memoryUsage().rss - memBefore < 100 * 2 ** 20, 'no 4096² buffers were allocated');

  const enh = enhancedFile(series, path.join(tmp, 'caps-frames', 'enh.dcm'), [0, 1, 2, 3, 4, 5]);
  const frames = await ingestDir('caps-frames', path.dirname(enh), { maxImagePixels: 2048 * 2048, maxFrames: 5 });
  assert.deepEqual(
    frames.files.map((f) => [f.status, f.reason]),
    [['REJECTED', 'IMAGE_TOO_LARGE']],
  );
  assert.match(frames.files[0].detail, /6 frames.*CONCORD_INGEST_MAX_FRAMES/);

  assert.throws(
    () => loadConfig({ CONCORD_INGEST_MAX_PIXELS: 'lots' }),
    (e) => e instanceof ConfigError && /CONCORD_INGEST_MAX_PIXELS/.test(e.message),
  );
  assert.throws(() => loadConfig({ CONCORD_INGEST_MAX_FRAMES: '0' }), ConfigError);
});

test('[IN11][IN3] a codec error or a stream that contradicts Rows/Columns rejects that file only', async () => {
  const dir = convertAll(series, path.join(tmp, 'broken'), 'gdcmconv', ['--j2k']);
  // Wipe one J2K codestream after its SIZ segment (no COD, no tiles), and lie about the size of another.
  const corrupt = path.join(dir, series[1].name);
  const bytes = fs.readFileSync(corrupt);
  const soc = bytes.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51]));
  assert.ok(soc > 0);
  bytes.fill(0, soc + 60, bytes.length - 12); // keep the sequence delimiter
  fs.writeFileSync(corrupt, bytes);
  const liar = path.join(dir, series[2].name);
  setTag(liar, { '00280010': 32 });
  const run = await ingestDir('broken', dir);
  const by = new Map(run.files.map((f) => [f.path, f]));
  assert.equal(by.get(series[2].name)?.reason, 'DECODE_ERROR');
  assert.match(by.get(series[2].name)!.detail, /declares 48×64 .* say 48×32/);
  const corrupted = by.get(series[1].name)!;
  assert.deepEqual([corrupted.status, corrupted.reason], ['REJECTED', 'DECODE_ERROR'], corrupted.detail);
  assert.equal(run.summary.accepted, N - 2, 'the other files of the batch are ingested');
  assert.equal(run.files.length, N, 'every file has its row');
});

test('[IN17] worker-thread decoding gives exactly what in-thread decoding gives, file by file', async () => {
  // A mixed folder: a compressed series with one broken stream, a skipped enhanced object (its
  // frames are T1) and a non-DICOM file.
  const dir = path.join(tmp, 'mixed');
  convertAll(series, path.join(dir, 'jls'), 'dcmcjpls', []);
  enhancedFile(series, path.join(dir, 'enh', 'enh.dcm'), [5, 4, 3, 2, 1, 0], { echoTime: 12 });
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not dicom');
  const broken = path.join(dir, 'jls', series[0].name);
  const bytes = fs.readFileSync(broken);
  bytes.fill(0, bytes.length - 400, bytes.length - 12);
  fs.writeFileSync(broken, bytes);
  const inThread = await ingestDir('mixed-in-thread', dir, undefined, 0);
  const pooled = await ingestDir('mixed-workers', dir, undefined, 2);
  const view = (r: typeof inThread) => r.files.map((f) => `${f.path} ${f.status} ${f.reason} ${f.detail}`);
  assert.deepEqual(view(pooled), view(inThread));
  assert.deepEqual(
    pooled.slices.map((s) => s.fileKey),
    inThread.slices.map((s) => s.fileKey),
    'the same stored bytes',
  );
  assert.deepEqual(
    [inThread.summary.accepted, inThread.summary.skipped, inThread.summary.rejected],
    [N - 1, 1, 2],
    'the comparison covers every kind of verdict',
  );
});

test('[IN17] a decoding thread that dies fails only the file it held; the next file gets a fresh thread', async () => {
  const pool = new WorkerPool(1, new URL('./helpers/dying-prepare-worker.mjs', import.meta.url));
  const job = (bytes: Uint8Array) => pool.prepare({ bytes, secret: SECRET, rules: resolveSeriesRules({}), limits: DEFAULT_LIMITS });
  try {
    const good = fs.readFileSync(series[0].path);
    assert.ok((await job(good)).ok, 'the thread works before the crash');
    const dead = await job(new Uint8Array([0xde]));
    assert.deepEqual(dead.ok ? null : [dead.verdict.status, dead.verdict.reason], ['REJECTED', 'DECODE_ERROR']);
    const after = await job(good);
    assert.ok(after.ok && after.slices.length === 1, 'the pool replaced its thread');
    assert.equal(pool.size, 1);
  } finally {
    await pool.close();
  }
});

// The corpus is required by the preflight (helpers/corpus.js): a missing one stops the run.
const FRAGMENTED = path.join(findCorpus() ?? '', 'cornerstone3D-testImages/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm');

test('[IN11] frames split over fragments without an offset table are told apart by their stream ends (corpus, vs dcmdjpeg)', async () => {
  await loadCodecs();
  const out = path.join(tmp, 'fragmented-dcmtk.dcm');
  execFileSync('dcmdjpeg', [FRAGMENTED, out]);
  const ours = parseInstance(fs.readFileSync(FRAGMENTED));
  const ref = parseInstance(fs.readFileSync(out));
  assert.ok(Array.isArray(ours.dataset.PixelData) && (ours.dataset.PixelData as unknown[]).length > 2, 'more fragments than frames');
  for (const frame of [0, 1]) {
    const a = decodeFrame(ours.dataset, ours.transferSyntax, frame).samples;
    const b = decodeFrame(ref.dataset, ref.transferSyntax, frame).samples;
    assert.ok(maxError(a, b) <= 1, `frame ${frame + 1}: ${maxError(a, b)}`);
  }
});

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  generatePhantom,
  phantomFixture,
  planPhantom,
  renderSlice,
  MAX_SLICES,
  MIN_SLICES,
  PATIENTS_CSV_NAME,
  SLICES_CSV_NAME,
  type PhantomResult,
} from '@concord/phantom';
import { Tissue, isValidUid } from '@concord/phantom';
import { isConcordError } from '@concord/contracts';

// dcmjs has no type declarations; tests read files back through its plain data API.
const dcmjs = createRequire(import.meta.url)('dcmjs');
type Naturalized = Record<string, any>;

function readDicom(file: string): { meta: Record<string, any>; ds: Naturalized } {
  const bytes = fs.readFileSync(file);
  const msg = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { meta: msg.meta, ds: dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.dict) };
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.dcm'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Best balanced accuracy any single threshold (either direction) reaches on one feature. */
function bestThresholdBalancedAccuracy(x: number[], y: (0 | 1)[]): number {
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  let posBelow = 0;
  let negBelow = 0;
  let best = 0.5;
  for (let k = 0; k < order.length; k++) {
    if (y[order[k]] === 1) posBelow++;
    else negBelow++;
    if (k + 1 < order.length && x[order[k + 1]] === x[order[k]]) continue;
    const above = ((pos - posBelow) / pos + negBelow / neg) / 2;
    best = Math.max(best, above, 1 - above);
  }
  return best;
}

const ROWS = 128;
let outDir: string;
let result: PhantomResult;
let seconds: number;

before(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phantom-'));
  const t0 = performance.now();
  result = await generatePhantom({ patients: 5, outDir, seed: 'spec', rows: ROWS, controlsFraction: 0.4 });
  seconds = (performance.now() - t0) / 1000;
});

test('[PH1] every file parses back as MR Image Storage with the required attributes', (t) => {
  const files = listFiles(outDir);
  assert.equal(files.length, result.files);
  t.diagnostic(`generation speed: ${(result.files / seconds).toFixed(1)} files/s at ${ROWS}² (${result.files} files in ${seconds.toFixed(1)} s)`);
  for (const file of files) {
    const { meta, ds } = readDicom(file);
    assert.equal(meta['00020010'].Value[0], '1.2.840.10008.1.2.1');
    assert.equal(ds.SOPClassUID, '1.2.840.10008.5.1.4.1.1.4');
    assert.equal(ds.Modality, 'MR');
    for (const uid of [ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID, ds.FrameOfReferenceUID]) assert.ok(isValidUid(uid), uid);
    assert.equal(ds.Rows, ROWS);
    assert.equal(ds.Columns, ROWS);
    assert.equal(ds.BitsAllocated, 16);
    assert.equal(ds.BitsStored, 12);
    assert.equal(ds.HighBit, 11);
    assert.equal(ds.PixelRepresentation, 0);
    assert.equal(ds.SamplesPerPixel, 1);
    assert.equal(ds.PhotometricInterpretation, 'MONOCHROME2');
    assert.equal(new Uint16Array(ds.PixelData[0]).length, ROWS * ROWS);
    assert.ok(Math.max(...new Uint16Array(ds.PixelData[0])) <= 4095);
    assert.match(ds.PatientID, /^PHANTOM-\d{4}$/);
    for (const k of [
      'PatientName',
      'PatientBirthDate',
      'StudyDate',
      'InstitutionName',
      'AccessionNumber',
      'WindowCenter',
      'WindowWidth',
      'EchoTime',
      'RepetitionTime',
      'ScanningSequence',
      'ImagePositionPatient',
      'PixelSpacing',
    ]) {
      assert.ok(ds[k] !== undefined && ds[k] !== '', `${path.basename(file)} lacks ${k}`);
    }
    if (ds.SeriesDescription === 'T2 TSE AX') {
      assert.deepEqual(ds.ImageOrientationPatient, [1, 0, 0, 0, 1, 0]);
      assert.equal(ds.ScanningSequence, 'SE');
      assert.ok(ds.EchoTime >= 90 && ds.EchoTime <= 120);
      assert.ok(ds.RepetitionTime >= 3000 && ds.RepetitionTime <= 5000);
      assert.equal(ds.SliceThickness, 3);
      assert.equal(ds.BodyPartExamined, 'CSPINE');
      assert.equal(ds.SliceLocation, ds.ImagePositionPatient[2]);
    }
  }
});

test('[PH1] identifiers differ between patients; PatientID is unique per patient', () => {
  const ids = result.patients.map((p) => p.patientId);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(new Set(result.patients.map((p) => p.studyUid)).size, ids.length);
});

test('[PH2] same seed gives byte-identical files; another seed gives different ones', async () => {
  const a = fs.mkdtempSync(path.join(os.tmpdir(), 'phantom-a-'));
  const b = fs.mkdtempSync(path.join(os.tmpdir(), 'phantom-b-'));
  const c = fs.mkdtempSync(path.join(os.tmpdir(), 'phantom-c-'));
  await generatePhantom({ patients: 2, outDir: a, seed: 42, rows: 64 });
  await generatePhantom({ patients: 2, outDir: b, seed: 42, rows: 64 });
  await generatePhantom({ patients: 2, outDir: c, seed: 43, rows: 64 });
  const fa = listFiles(a).map((f) => path.relative(a, f));
  assert.deepEqual(
    listFiles(b).map((f) => path.relative(b, f)),
    fa,
  );
  for (const rel of fa) assert.ok(fs.readFileSync(path.join(a, rel)).equals(fs.readFileSync(path.join(b, rel))), `${rel} differs`);
  assert.equal(fs.readFileSync(path.join(a, SLICES_CSV_NAME), 'utf8'), fs.readFileSync(path.join(b, SLICES_CSV_NAME), 'utf8'));
  assert.notEqual(fs.readFileSync(path.join(a, SLICES_CSV_NAME), 'utf8'), fs.readFileSync(path.join(c, SLICES_CSV_NAME), 'utf8'));
  const firstA = fs.readFileSync(path.join(a, 'P0001', 'series-3', '1.dcm'));
  const firstC = fs.readFileSync(path.join(c, 'P0001', 'series-3', '1.dcm'));
  assert.ok(!firstA.equals(firstC));
});

test('[PH3] slice counts stay within 18–82 and instances step along the normal', () => {
  const plan = planPhantom({ patients: 150, outDir, seed: 'counts', distractors: false });
  const counts = plan.map((p) => p.truth.nSlices);
  assert.ok(
    counts.every((n) => n >= MIN_SLICES && n <= MAX_SLICES),
    `${Math.min(...counts)}..${Math.max(...counts)}`,
  );
  assert.ok(Math.min(...counts) < 25 && Math.max(...counts) > 70, 'the range is used, not one size');
  for (const p of result.patients) {
    const z = p.slices.map((s) => s.zMm);
    const steps = z.slice(1).map((v, i) => z[i] - v);
    assert.ok(steps.every((d) => d >= 3 - 1e-6 && d <= 4 + 1e-6 && Math.abs(d - steps[0]) < 0.02));
  }
});

test('[PH3] file names do not reveal slice order', () => {
  const p = result.patients[0];
  const inOrder = p.slices.filter((s) => path.basename(s.file) === `${s.instanceNumber}.dcm`).length;
  assert.ok(inOrder < p.slices.length / 2);
});

test('[PH4] cohorts as requested; DCM patients have positive slices, controls none', () => {
  assert.equal(result.patients.filter((p) => p.cohort === 'CONTROL').length, 2);
  assert.equal(result.patients.filter((p) => p.cohort === 'DCM').length, 3);
  for (const p of result.patients) {
    if (p.cohort === 'DCM') assert.ok(p.nPositive >= 1, `${p.patientKey} has no positive slice`);
    else assert.equal(p.nPositive, 0);
  }
  const plan = planPhantom({ patients: 211, outDir, seed: 'study', distractors: false });
  assert.equal(plan.filter((p) => p.truth.cohort === 'CONTROL').length, 32);
  for (const p of plan) {
    if (p.truth.cohort === 'DCM') assert.ok(p.truth.nPositive >= 1);
    else assert.equal(p.truth.nPositive, 0);
  }
  // Positives come in runs of consecutive slices (levels), not scattered singletons.
  const runs = plan.flatMap((p) => {
    const out: number[] = [];
    let run = 0;
    for (const s of p.truth.slices) {
      if (s.label === 1) run++;
      else if (run) {
        out.push(run);
        run = 0;
      }
    }
    if (run) out.push(run);
    return out;
  });
  assert.ok(runs.filter((r) => r >= 2).length > runs.length / 3, 'most levels span more than one slice');
  assert.ok(
    plan.some((p) => p.truth.cohort === 'CONTROL' && p.truth.slices.some((s) => s.severity === 1)),
    'some controls have CSF effacement',
  );
});

test('[PH5] [PH6] CSF-effacement-only slices are labelled 0 and leave the cord outline unchanged', () => {
  assert.ok(result.patients.every((p) => p.slices.every((s) => s.label === (s.severity === 2 ? 1 : 0))));
  assert.ok(
    result.patients.some((p) => p.slices.some((s) => s.severity === 1)),
    'the sample has CSF-only slices',
  );
  for (const seed of ['a', 'b', 'c']) {
    const [none, csf, cord] = ([0, 1, 2] as const).map((severity) => phantomFixture({ severity, seed, rows: 256, noise: false }));
    assert.equal(csf.name, `axial-t2_sev1_seed-${seed}_256px_clean`);
    const cordPixels = (f: typeof none) => f.tissue.reduce((n, t) => n + (t === Tissue.CORD ? 1 : 0), 0);
    const csfPixels = (f: typeof none) => f.tissue.reduce((n, t) => n + (t === Tissue.CSF ? 1 : 0), 0);
    // Same cord mask pixel for pixel at severity 1 …
    for (let i = 0; i < none.tissue.length; i++) assert.equal(none.tissue[i] === Tissue.CORD, csf.tissue[i] === Tissue.CORD);
    assert.ok(csfPixels(csf) < csfPixels(none), 'the bulge takes CSF space');
    // … and a visibly smaller cord at severity 2.
    assert.ok(cordPixels(cord) < cordPixels(none) - 5, `cord ${cordPixels(cord)} vs ${cordPixels(none)}`);
  }
});

test('[PH7] a threshold on one pixel or on the image mean does not separate labels', (t) => {
  const rows = 64;
  const plan = planPhantom({ patients: 24, outDir, seed: 'separability', rows, distractors: false });
  const centre: number[] = [];
  const mean: number[] = [];
  const labels: (0 | 1)[] = [];
  const images: Uint16Array[] = [];
  for (const p of plan) {
    p.images.forEach((image, k) => {
      const px = image.draw();
      images.push(px);
      centre.push(px[(rows / 2) * rows + rows / 2]);
      mean.push(px.reduce((s, v) => s + v, 0) / px.length);
      labels.push(p.truth.slices[k].label);
    });
  }
  assert.ok(labels.filter((l) => l === 1).length >= 30);
  const baCentre = bestThresholdBalancedAccuracy(centre, labels);
  const baMean = bestThresholdBalancedAccuracy(mean, labels);
  let baAnyPixel = 0;
  for (let i = 0; i < rows * rows; i += 3)
    baAnyPixel = Math.max(
      baAnyPixel,
      bestThresholdBalancedAccuracy(
        images.map((im) => im[i]),
        labels,
      ),
    );
  t.diagnostic(
    `best-threshold balanced accuracy: centre pixel ${baCentre.toFixed(3)}, image mean ${baMean.toFixed(3)}, best single pixel ${baAnyPixel.toFixed(3)}`,
  );
  assert.ok(baCentre < 0.75, `centre pixel reaches ${baCentre.toFixed(3)}`);
  assert.ok(baMean < 0.75, `image mean reaches ${baMean.toFixed(3)}`);
  assert.ok(baAnyPixel < 0.8, `best single pixel reaches ${baAnyPixel.toFixed(3)}`);
});

test('[PH8] layout and ground truth: one CSV row per axial file, folders without PatientID', () => {
  const rows = fs.readFileSync(path.join(outDir, SLICES_CSV_NAME), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'patient_key,patient_id,cohort,study_uid,series_uid,sop_uid,instance_number,z_mm,severity,label');
  const bySop = new Map<string, Naturalized>();
  for (const file of listFiles(outDir)) {
    const { ds } = readDicom(file);
    const rel = path.relative(outDir, file);
    assert.ok(!rel.includes(ds.PatientID), rel);
    assert.match(rel, /^P\d{4}\/series-\d+\/\d+\.dcm$/);
    if (ds.SeriesDescription === 'T2 TSE AX') bySop.set(ds.SOPInstanceUID, ds);
  }
  assert.equal(rows.length - 1, bySop.size);
  for (const line of rows.slice(1)) {
    const [key, pid, cohort, study, series, sop, instance, z, severity, label] = line.split(',');
    const ds = bySop.get(sop);
    assert.ok(ds, `no file for ${sop}`);
    assert.equal(ds.PatientID, pid);
    assert.equal(ds.StudyInstanceUID, study);
    assert.equal(ds.SeriesInstanceUID, series);
    assert.equal(ds.InstanceNumber, Number(instance));
    assert.ok(Math.abs(ds.ImagePositionPatient[2] - Number(z)) < 1e-6);
    assert.ok(['CONTROL', 'DCM'].includes(cohort) && /^P\d{4}$/.test(key));
    assert.equal(Number(label), Number(severity) === 2 ? 1 : 0);
  }
  const patients = fs.readFileSync(path.join(outDir, PATIENTS_CSV_NAME), 'utf8').trim().split('\n');
  assert.equal(patients[0], 'patient_key,patient_id,cohort,n_slices,n_positive');
  assert.equal(patients.length - 1, result.patients.length);
});

test('[PH9] distractor series share the study and are not axial T2', () => {
  for (const p of result.patients) {
    const sag = listFiles(path.join(outDir, p.patientKey, 'series-2')).map((f) => readDicom(f).ds);
    const loc = listFiles(path.join(outDir, p.patientKey, 'series-1')).map((f) => readDicom(f).ds);
    assert.ok(sag.length >= 3);
    for (const ds of sag) {
      assert.equal(ds.SeriesDescription, 'T1 SAG');
      assert.deepEqual(ds.ImageOrientationPatient, [0, 1, 0, 0, 0, -1]);
      assert.ok(ds.EchoTime < 20 && ds.RepetitionTime < 1000);
      assert.equal(ds.StudyInstanceUID, p.studyUid);
    }
    assert.equal(loc.length, 3);
    assert.ok(loc.every((ds) => ds.ImageType.includes('LOCALIZER') && ds.StudyInstanceUID === p.studyUid));
  }
});

test('[PH10] renderSlice is pure and fixtures differ only by the bulge', () => {
  const f = phantomFixture({ severity: 2, seed: 'pure', rows: 96 });
  assert.equal(f.name, 'axial-t2_sev2_seed-pure_96px');
  assert.deepEqual(renderSlice(f.params), f.pixels);
  assert.deepEqual(renderSlice(f.params), renderSlice(f.params));
  const g = phantomFixture({ severity: 0, seed: 'pure', rows: 96 });
  let differing = 0;
  for (let i = 0; i < f.pixels.length; i++) if (f.pixels[i] !== g.pixels[i]) differing++;
  assert.ok(differing > 0 && differing < 0.02 * f.pixels.length, `${differing} pixels differ`);
});

test('[PH11] bad options fail with BAD_INPUT', async () => {
  for (const bad of [{ patients: 0 }, { patients: 2.5 }, { patients: 2, rows: 16 }, { patients: 2, controlsFraction: 1.5 }]) {
    await assert.rejects(generatePhantom({ outDir, ...bad }), (e: unknown) => isConcordError(e) && e.code === 'BAD_INPUT');
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import {
  generatePhantom,
  planPhantom,
  COHORT_CUES,
  DEFAULT_COHORT_CUES,
  parseCohortCues,
  type PhantomOptions,
  type PlannedPatient,
  Tissue,
  MIN_CORD_INDENT_MM,
} from '@concord/phantom';
import { clusterBootstrap, rocAuc } from '@concord/stats';
import { isConcordError } from '@concord/contracts';
import { fitLogistic, logisticScore } from '@concord/simulate';

const ROWS = 128;
const PATIENTS = 96;
const NEGATIVES_PER_PATIENT = 10;
const FOLDS = 4;

/**
 * Features a shortcut-seeking model could find on one slice without seeing compression: canal and
 * CSF size (from the tissue map, an oracle segmentation, so the classifier is stronger than a
 * model would be), disc, cord and image brightness relative to CSF (gain varies by patient).
 */
function features(slice: { pixels: Uint16Array; tissue: Uint8Array; pixelSpacingMm: number }): number[] {
  const n = Math.round(Math.sqrt(slice.pixels.length));
  const px2 = slice.pixelSpacingMm ** 2;
  const values = (t: number) => {
    const out: number[] = [];
    for (let i = 0; i < slice.tissue.length; i++) if (slice.tissue[i] === t) out.push(slice.pixels[i]);
    return out.sort((a, b) => a - b);
  };
  const q = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : 0);
  const csf = values(Tissue.CSF),
    cord = values(Tissue.CORD),
    disc = values(Tissue.DISC),
    bulge = values(Tissue.BULGE);
  let rowsWithCanal = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const t = slice.tissue[r * n + c];
      if (t === Tissue.CSF || t === Tissue.CORD || t === Tissue.BULGE) {
        rowsWithCanal++;
        break;
      }
    }
  }
  const csfLevel = Math.max(1, q(csf, 0.5));
  const mean = slice.pixels.reduce((s, v) => s + v, 0) / slice.pixels.length;
  return [
    (csf.length + cord.length + bulge.length) * px2,
    csf.length * px2,
    rowsWithCanal * slice.pixelSpacingMm,
    disc.length * px2,
    disc.length > 8 ? q(disc, 0.8) / csfLevel : 0,
    q(cord, 0.5) / csfLevel,
    mean / csfLevel,
  ];
}

interface PatientSlices {
  cohort: 1 | 0;
  x: number[][];
}

/** Negative slices only (label 0), a fixed spread of them per patient. */
function negativeSlices(plan: PlannedPatient[]): PatientSlices[] {
  return plan.map((p) => {
    const negatives = p.images.map((image, k) => ({ image, truth: p.truth.slices[k] })).filter(({ truth }) => truth.label === 0);
    const step = Math.max(1, Math.floor(negatives.length / NEGATIVES_PER_PATIENT));
    const picked = negatives.filter((_, i) => i % step === 0).slice(0, NEGATIVES_PER_PATIENT);
    return { cohort: p.truth.cohort === 'DCM' ? 1 : 0, x: picked.map(({ image }) => features(image.render!())) };
  });
}

/**
 * Slice-level AUC for "DCM patient" from negative slices, out of fold with patient-level folds,
 * and its 95% interval by bootstrap over patients (1,000 resamples).
 */
function cohortAucFromNegatives(cohortCues: number, seed: string) {
  const plan = planPhantom({ patients: PATIENTS, outDir: os.tmpdir(), seed, rows: ROWS, distractors: false, controlsFraction: 0.5, cohortCues });
  const patients = negativeSlices(plan);
  const scored = patients.map((p) => ({ cohort: p.cohort, scores: new Array<number>(p.x.length).fill(0) }));
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = patients.filter((_, i) => i % FOLDS !== fold);
    const model = fitLogistic(
      train.flatMap((p) => p.x),
      train.flatMap((p) => p.x.map(() => p.cohort)),
    );
    patients.forEach((p, i) => {
      if (i % FOLDS === fold) scored[i].scores = p.x.map((row) => logisticScore(model, row));
    });
  }
  const auc = (sample: readonly (typeof scored)[number][]) =>
    rocAuc(
      sample.flatMap((p) => p.scores),
      sample.flatMap((p) => p.scores.map(() => p.cohort)),
    );
  const ci = clusterBootstrap(scored, (sample) => ({ auc: auc(sample) }), { seed: `cues-${seed}`, resamples: 1000 }).auc!;
  return { auc: auc(scored)!, low: ci.low, high: ci.high, slices: scored.reduce((n, p) => n + p.scores.length, 0) };
}

const fmt = (r: { auc: number; low: number; high: number; slices: number }) =>
  `AUC ${r.auc.toFixed(3)} (95% CI ${r.low.toFixed(3)}–${r.high.toFixed(3)}, ${PATIENTS} patients, ${r.slices} negative slices)`;

test('[PH13] at the default cue strength negative slices barely tell the cohorts apart; at strong they do', (t) => {
  assert.equal(DEFAULT_COHORT_CUES, COHORT_CUES.mild);
  const mild = cohortAucFromNegatives(DEFAULT_COHORT_CUES, 'cues');
  t.diagnostic(`cohort from negative slices, default (mild ${DEFAULT_COHORT_CUES}): ${fmt(mild)}`);
  const strong = cohortAucFromNegatives(COHORT_CUES.strong, 'cues');
  t.diagnostic(`cohort from negative slices, strong (1, the original phantom): ${fmt(strong)}`);
  const none = cohortAucFromNegatives(COHORT_CUES.none, 'cues');
  t.diagnostic(`cohort from negative slices, none (0): ${fmt(none)}`);
  assert.ok(mild.auc <= 0.6, `default cues: ${fmt(mild)}`);
  assert.ok(none.auc <= 0.6, `no cues: ${fmt(none)}`);
  assert.ok(strong.auc >= 0.65, `strong cues: ${fmt(strong)}`);
});

test('[PH14] no label-exclusive signal: the cord spot shows on some negatives and is missing on some positives; borderline dents and near misses', (t) => {
  const plan = planPhantom({ patients: 120, outDir: os.tmpdir(), seed: 'hard-cases', distractors: false });
  const slices = plan.flatMap((p) => p.truth.slices);
  const positives = slices.filter((s) => s.label === 1);
  const negatives = slices.filter((s) => s.label === 0);
  const spotNeg = negatives.filter((s) => s.cordSpot).length;
  const spotPos = positives.filter((s) => s.cordSpot).length;
  const borderline = positives.filter((s) => s.indentMm < MIN_CORD_INDENT_MM).length;
  t.diagnostic(
    `${slices.length} slices: spot on ${spotPos}/${positives.length} positives and ${spotNeg}/${negatives.length} negatives; ${borderline} positives dented by less than ${MIN_CORD_INDENT_MM} mm`,
  );
  assert.ok(spotNeg >= 5, `spot on ${spotNeg} negatives`);
  assert.ok(positives.length - spotPos > positives.length / 2, 'most positives have no spot');
  assert.ok(spotPos > 0, 'the spot still goes with compression more often than not');
  // Controls too: a spot alone must not say DCM.
  assert.ok(
    plan.some((p) => p.truth.cohort === 'CONTROL' && p.truth.slices.some((s) => s.cordSpot)),
    'some control has a cord spot',
  );
  // Borderline dents stay labelled by the one rule: any dent of the contour is 1, none is 0.
  assert.ok(borderline >= 5 && borderline < positives.length / 3, `${borderline} borderline of ${positives.length}`);
  assert.ok(slices.every((s) => (s.label === 1) === s.indentMm > 0));
  assert.ok(
    positives.every((s) => s.indentMm >= 0.3 - 1e-9),
    'no dent shallower than the borderline minimum',
  );
  // The same seed at strong plans the same slices and labels without any of this.
  const strong = planPhantom({ patients: 120, outDir: os.tmpdir(), seed: 'hard-cases', distractors: false, cohortCues: COHORT_CUES.strong }).flatMap(
    (p) => p.truth.slices,
  );
  assert.ok(strong.every((s) => !s.flowArtefact && (s.label === 0 || s.indentMm >= MIN_CORD_INDENT_MM)));
  assert.ok(
    strong.every((s) => !s.cordSpot || s.label === 1),
    'at strong the spot is label-exclusive, as it was',
  );
});

test('[PH15] CSF flow artefacts on a share of slices of both labels and both cohorts', () => {
  const plan = planPhantom({ patients: 40, outDir: os.tmpdir(), seed: 'flow', rows: 96, distractors: false, controlsFraction: 0.5 });
  const slices = plan.flatMap((p) => p.truth.slices);
  const share = (xs: typeof slices) => xs.filter((s) => s.flowArtefact).length / xs.length;
  for (const [name, group] of [
    ['positives', slices.filter((s) => s.label === 1)],
    ['negatives', slices.filter((s) => s.label === 0)],
    ['controls', slices.filter((s) => s.cohort === 'CONTROL')],
    ['DCM', slices.filter((s) => s.cohort === 'DCM')],
  ] as const) {
    assert.ok(share(group) > 0.15 && share(group) < 0.45, `${name}: ${share(group).toFixed(2)}`);
  }
  // Drawn, and only in the signal: same tissue map, other pixels than the slice without artefacts.
  const p = plan.find((x) => x.truth.slices.some((s) => s.flowArtefact))!;
  const k = p.truth.slices.findIndex((s) => s.flowArtefact);
  const with_ = p.images[k].render!();
  const without = planPhantom({ patients: 40, outDir: os.tmpdir(), seed: 'flow', rows: 96, distractors: false, controlsFraction: 0.5, hardCases: false }).find(
    (x) => x.truth.patientKey === p.truth.patientKey,
  )!.images[k].render!();
  let differing = 0;
  for (let i = 0; i < with_.pixels.length; i++) if (with_.pixels[i] !== without.pixels[i]) differing++;
  assert.ok(differing > 0, 'the artefact changes pixels');
});

test('[PH13] cue strength: strong reproduces the original phantom byte for byte; names and numbers parse, others fail', async () => {
  assert.equal(parseCohortCues('none'), 0);
  assert.equal(parseCohortCues('mild'), 0.25);
  assert.equal(parseCohortCues('strong'), 1);
  assert.equal(parseCohortCues('0.4'), 0.4);
  for (const bad of ['', 'medium', '1.5', '-0.1', 'NaN'])
    assert.throws(
      () => parseCohortCues(bad),
      (e: unknown) => isConcordError(e) && e.code === 'BAD_INPUT' && /none, mild, strong/.test(e.message),
    );
  await assert.rejects(generatePhantom({ patients: 1, outDir: os.tmpdir(), cohortCues: 2 }), (e: unknown) => isConcordError(e) && e.code === 'BAD_INPUT');

  // SHA-256 over every file (relative path, then bytes, in path order) that the generator wrote
  // for these options before cue strength existed (main at a4217f7, measured 2026-12-02).
  const before: [string, number, boolean, string][] = [
    ['cues-strong', 64, true, '02e60736c6c2e2557587db8356b1e9bc79cb1f3aec2858781d40e7ea9e01ff13'],
    ['cues-strong-2', 96, false, '0c6461b3f8e54b0635f17464745d32c4afce010d87caee48898c6593eb9bb712'],
  ];
  for (const [seed, rows, distractors, hash] of before) {
    const strong = await phantomHash({ patients: 4, seed, rows, distractors, controlsFraction: 0.5, cohortCues: COHORT_CUES.strong });
    assert.equal(strong, hash, `strong, seed ${seed}`);
    const mild = await phantomHash({ patients: 4, seed, rows, distractors, controlsFraction: 0.5 });
    assert.notEqual(mild, hash, 'the default is not the original phantom');
  }
});

async function phantomHash(o: Omit<PhantomOptions, 'outDir'>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phantom-cues-'));
  try {
    await generatePhantom({ ...o, outDir: dir });
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
    const h = createHash('sha256');
    for (const f of files) {
      h.update(f);
      h.update(fs.readFileSync(path.join(dir, f)));
    }
    return h.digest('hex');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

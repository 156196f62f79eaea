/**
 * The round's pure steps on hand-made slices: no database, no model (TR26). The whole round,
 * with its SQL and the head, is tested in trainer.round.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionRound } from '../services/trainer/src/round/partition.js';
import { evaluateRound } from '../services/trainer/src/round/evaluate-step.js';
import { activeBatchSize, selectRound } from '../services/trainer/src/round/select-step.js';
import type { RoundSliceRow } from '../services/trainer/src/round/round.queries.js';

/** 10 patients × 6 slices; patient i's slices alternate labels; `opts` tweaks rows by index. */
function cohort(
  opts: { test?: (p: number) => boolean; active?: (p: number, k: number) => boolean; unlabelled?: (p: number, k: number) => boolean } = {},
): RoundSliceRow[] {
  const rows: RoundSliceRow[] = [];
  for (let p = 0; p < 10; p++) {
    for (let k = 0; k < 6; k++) {
      rows.push({
        id: `s${p}-${k}`,
        seriesId: `se${p}`,
        position: k,
        readsDone: 2,
        readsRequired: 2,
        patientId: `p${p}`,
        pseudonym: `PSEUDO-${p}`,
        isTest: opts.test?.(p) ?? false,
        cohort: p % 2 ? 'DCM' : 'CONTROL',
        label: opts.unlabelled?.(p, k) ? null : ((k % 2) as 0 | 1),
        active: opts.active?.(p, k) ?? false,
      });
    }
  }
  return rows;
}

test('[TR26][TR18] partition: test patients never train, uncertainty picks never validate, slices without a vector are left out', () => {
  const rows = cohort({ test: (p) => p === 9, active: (_p, k) => k === 0 });
  const part = partitionRound(rows, (id) => id !== 's0-5');
  assert.ok(!part.usable.some((s) => s.id === 's0-5'));
  assert.ok(!part.labelled.some((s) => s.isTest));
  assert.ok(part.validationPatients.size >= 2, 'from 5 non-test patients on, at least 2 validate');
  for (const s of [...part.epochRows, ...part.calibrationRows]) {
    assert.ok(!s.active, `${s.id} was picked by uncertainty and must not validate`);
    assert.ok(part.validationPatients.has(s.patientId));
  }
  assert.ok(!part.trainRows.some((s) => part.validationPatients.has(s.patientId)));
  assert.deepEqual(
    partitionRound(rows, (id) => id !== 's0-5'),
    part,
    'the same slices give the same partition',
  );
});

test('[TR26][TR5] partition refuses labels of one class with an actionable BAD_INPUT', () => {
  const rows = cohort().map((s) => ({ ...s, label: 0 as const }));
  assert.throws(
    () => partitionRound(rows, () => true),
    (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /both classes/.test(e.message),
  );
});

test('[TR26][TR19][TR20] evaluate: probabilities for every usable slice; test figures only from test slices; a thin calibration set keeps the default threshold', () => {
  const part = partitionRound(cohort({ test: (p) => p >= 8 }), () => true);
  const perfect = part.usable.map((s) => (s.label === 1 ? 0.9 : 0.1));
  const e = evaluateRound(part, perfect, { screeningK: 1, targetSensitivity: 0.95 });
  assert.equal(e.probability.length, part.usable.length);
  // 2 calibration patients hold < 3 cases and < 10 positive slices: TR20's default, TR19's "none".
  assert.equal(e.operatingPoint.rule, 'default');
  assert.equal(e.thresholdChosenOn, 'default');
  assert.equal(e.calibration.method, 'none');
  assert.equal(e.metrics.auc, 1, 'the perfect scores rank the 12 test slices perfectly');
  // The test slices alone decide: making every non-test slice wrong changes nothing.
  const wrongElsewhere = part.usable.map((s, i) => (s.isTest ? perfect[i] : 1 - perfect[i]));
  assert.deepEqual(evaluateRound(part, wrongElsewhere, { screeningK: 1, targetSensitivity: 0.95 }).metrics, e.metrics);
});

test('[TR26][TR21] select: the audit share is drawn from all candidates, ACTIVE picks never come from validation patients', () => {
  const part = partitionRound(cohort({ unlabelled: (_p, k) => k >= 4 }), () => true);
  const open = part.usable.filter((s) => s.label === null);
  // Validation patients get the highest scores: a selection that ignored TR21 would take them first.
  const candidates = open.map((s) => ({
    sliceId: s.id,
    patientId: s.patientId,
    seriesId: s.seriesId,
    position: s.position,
    score: part.validationPatients.has(s.patientId) ? 10 : 1,
  }));
  const settings = { alBatchSize: 10, alMaxPerPatient: 2, alMinGap: 0, alAuditShare: 0.2 };
  const picks = selectRound(candidates, part.validationPatients, settings, 'project:1');
  assert.equal(picks.filter((p) => p.mode === 'AUDIT').length, 2);
  assert.equal(activeBatchSize(settings), 8);
  const active = picks.filter((p) => p.mode === 'ACTIVE');
  assert.ok(active.length > 0);
  assert.ok(
    active.every((p) => !part.validationPatients.has(p.patientId)),
    'no ACTIVE pick from a validation patient',
  );
  assert.deepEqual(selectRound(candidates, part.validationPatients, settings, 'project:1'), picks, 'seeded: the same inputs pick the same batch');
});

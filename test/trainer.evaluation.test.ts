/**
 * Evaluation through real training rounds (issue #11): the promotion gate reads no test row
 * (checked on the SQL the gate sends), validation holds no uncertainty-picked slice, each batch
 * logs its AUDIT share, and versions are re-scored on the whole evaluation set once it completes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { createSql, LocalFileStore } from '@concord/db';
import { runTrainingRound } from '../services/trainer/src/round.js';
import { ensureTestSet } from '../services/trainer/src/eval/splits.js';
import { evaluationFor } from '@concord/evaluation';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';

const db = await freshDatabase('trainer_eval');
const captured: { query: string; params: unknown[] }[] = [];
let capturing = false;
// The rounds run on a client that records every statement while `capturing` is on.
const sql = createSql(db.url, {
  max: 4,
  appName: 'concord-test-capture',
  debug: (query, params) => {
    if (capturing) captured.push({ query, params });
  },
});
db.onBeforeDrop(() => sql.end({ timeout: 5 }));
const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-trainer-eval-')));
const round = { backbone: { kind: 'tiny' as const }, backend: 'wasm' as const, epochs: 15, patience: 3, mcSamples: 6 };

const { projectId, slices } = await seedProject(sql, store, { patients: 14, slicesPerPatient: 9 });
await sql`update projects set al_batch_size = 10, al_audit_share = 0.3, al_max_per_patient = 3, al_min_gap = 0 where id = ${projectId}`;
const testPatients = new Set(await ensureTestSet(sql, projectId));
const testSlices = slices.filter((s) => testPatients.has(s.patientId));
const testSliceIds = new Set(testSlices.map((s) => s.id));

test('[EV4][TR11] the promotion gate decides on validation slices; the SQL it sends touches no test slice', async () => {
  // Half of the test set and two thirds of the rest labelled.
  await finaliseLabels(
    sql,
    projectId,
    [...testSlices.filter((s) => s.position % 2 === 0), ...slices.filter((s) => !testPatients.has(s.patientId) && s.position % 3 !== 2)].map((s) => ({
      sliceId: s.id,
      value: s.truth,
    })),
  );
  const r1 = await runTrainingRound(sql, { projectId, store, ...round });
  assert.equal(r1.status, 'CURRENT');
  // Label part of round 1's selection so round 2 has new labels, then run the gate with capture on.
  const picked = await sql<{ sliceId: string }[]>`select slice_id from selection_log where model_version_id = ${r1.id}`;
  await finaliseLabels(
    sql,
    projectId,
    picked.map((p) => ({ sliceId: p.sliceId, value: slices.find((s) => s.id === p.sliceId)!.truth })),
  );
  capturing = true;
  const r2 = await runTrainingRound(sql, { projectId, store, ...round });
  capturing = false;

  const gate = captured.filter((c) => c.query.includes('-- promotion gate'));
  assert.equal(gate.length, 1, 'one gate query per round with a current version');
  // Parameters: the current version's id, then the validation slice ids (an array, or its text form).
  const raw = gate[0].params[1];
  const ids = (
    Array.isArray(raw)
      ? raw
      : String(raw)
          .replace(/^\{|\}$/g, '')
          .split(',')
  ).map(String);
  assert.ok(ids.length > 0, 'the gate compared on some validation slices');
  assert.ok(
    ids.every((id) => !testSliceIds.has(id)),
    'no test slice id is sent to the gate query',
  );
  // Re-run the exact statement: the rows it reads are none of the test set's.
  const rows = await sql.unsafe<{ sliceId: string }[]>(gate[0].query, gate[0].params as never[]);
  assert.ok(rows.length > 0 && rows.every((r) => !testSliceIds.has(r.sliceId)));

  const [v2] = await sql<
    {
      metrics: {
        validation: { slices: number; candidateAuc: number | null; currentAuc: number | null };
        training: { validationRoles: { epoch: string[]; calibration: string[] } };
      };
      promotionBasis: string | null;
      promotionNote: string | null;
    }[]
  >`
    select metrics, promotion_basis, promotion_note from model_versions where id = ${r2.id}`;
  assert.equal(v2.metrics.validation.slices, ids.length, 'the statement carries exactly the validation slice ids');
  const roles = v2.metrics.training.validationRoles;
  assert.ok(roles.calibration.every((p) => !testPatients.has(p)) && roles.epoch.every((p) => !testPatients.has(p)));
  // Validation never holds an uncertainty-picked (ACTIVE) slice.
  const active = new Set(
    (await sql<{ sliceId: string }[]>`select slice_id from selection_log where project_id = ${projectId} and mode = 'ACTIVE'`).map((r) => r.sliceId),
  );
  assert.ok(
    ids.every((id) => !active.has(id)),
    'validation is audit-sampled or queue-read only',
  );
  if (r2.status === 'CURRENT') {
    assert.equal(v2.promotionBasis, 'VALIDATION');
    assert.match(v2.promotionNote!, /validation AUC .* vs current .* calibration slices/);
  } else {
    assert.equal(v2.promotionBasis, null, 'a version the gate kept out carries no promotion');
  }
});

test('[TR21] each batch logs round(share × size) AUDIT picks beside the ACTIVE ones, ranks 1..n', async () => {
  const log = await sql<{ modelVersionId: string; mode: string; rank: number }[]>`
    select model_version_id, mode, rank from selection_log where project_id = ${projectId} order by model_version_id, rank`;
  const byVersion = new Map<string, { mode: string; rank: number }[]>();
  for (const r of log) byVersion.set(r.modelVersionId, [...(byVersion.get(r.modelVersionId) ?? []), r]);
  assert.equal(byVersion.size, 2);
  for (const rows of byVersion.values()) {
    assert.equal(rows.filter((r) => r.mode === 'AUDIT').length, 3, 'round(10 × 0.3)');
    assert.deepEqual(
      rows.map((r) => r.rank),
      rows.map((_, i) => i + 1),
    );
  }
});

test('[EV3] metrics are provisional until the evaluation set is complete; completing it re-scores every earlier version', async () => {
  const versions = await sql<{ id: string; round: number }[]>`select id, round from model_versions where project_id = ${projectId} order by round`;
  const before = await evaluationFor(sql, versions[0].id, 200);
  assert.equal(before.complete, false);
  assert.equal(before.slices, testSlices.length);
  assert.equal(before.labelledSlices, testSlices.filter((s) => s.position % 2 === 0).length);
  // Too few patients per class here for any figure: each is withheld with the reason.
  assert.ok(
    before.insufficient.some((s) => /^patientSpecificity: insufficient: \d+ controls$/.test(s)),
    before.insufficient.join('; '),
  );

  await finaliseLabels(
    sql,
    projectId,
    testSlices.filter((s) => s.position % 2 === 1).map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  const r3 = await runTrainingRound(sql, { projectId, store, ...round });
  const stored = await sql<{ id: string; evaluation: { key: string; view: { complete: boolean; labelledSlices: number; setId: string } } }[]>`
    select id, evaluation from model_versions where project_id = ${projectId} order by round`;
  assert.equal(stored.length, 3);
  for (const v of stored) {
    assert.equal(v.evaluation.view.complete, true, `version ${v.id} re-scored on the complete set by the round`);
    assert.equal(v.evaluation.view.labelledSlices, testSlices.length);
  }
  assert.equal(new Set(stored.map((v) => v.evaluation.view.setId)).size, 1, 'every version on the same set');
  assert.equal(stored.at(-1)!.id, r3.id);
});

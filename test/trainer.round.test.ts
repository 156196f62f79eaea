import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { eventually } from './helpers/eventually.js';
import { LocalFileStore } from '@concord/db';
import { EVENTS_CHANNEL, type ServerEvent } from '@concord/contracts';
import { decodeEnvelope } from '@concord/contracts';
import { computeEmbeddings } from '../services/trainer/src/data/embeddings.js';
import { runTrainingRound } from '../services/trainer/src/round.js';
import { ensureTestSet } from '../services/trainer/src/eval/splits.js';
import { promote } from '../services/trainer/src/versions.js';
import { JobFencedOut } from '../services/trainer/src/jobs/liveness.js';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';

const { sql } = await freshDatabase('trainer_round');
const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-trainer-files-')));
const tiny = { kind: 'tiny' as const };
const quiet = { backend: 'wasm' as const, epochs: 15, patience: 3, mcSamples: 8 };

test('[TR3] embeddings are cached per backbone and slice; a second run computes nothing', async () => {
  const { projectId } = await seedProject(sql, store, { patients: 4, slicesPerPatient: 6 });
  const progress: number[] = [];
  const first = await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm', batchSize: 5, onProgress: (d) => progress.push(d) });
  assert.equal(first.computed, 24);
  assert.equal(first.backboneId, 'tiny-random');
  assert.equal(progress.at(-1), 24);
  const [{ n, bytes }] = await sql<
    { n: number; bytes: number }[]
  >`select count(*)::int as n, min(length(vector))::int as bytes from embeddings where backbone = 'tiny-random'`;
  assert.equal(n, 24);
  assert.equal(bytes, 32 * 4); // tiny backbone: 32 float32 features
  const second = await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm' });
  assert.equal(second.computed, 0);
  assert.equal(second.cached, 24);
});

test('[TR3] a worker thread computes the same vectors as the main thread and resumes after a partial run', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 2, slicesPerPatient: 5 });
  await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm', engine: 'tfjs' });
  const before = await sql<
    { sliceId: string; vector: Buffer }[]
  >`select slice_id, vector from embeddings where slice_id = any(${slices.map((s) => s.id)}::uuid[]) order by slice_id`;
  // Simulate a crash that lost half of the rows.
  await sql`delete from embeddings where slice_id = any(${slices.slice(0, 5).map((s) => s.id)}::uuid[])`;
  const r = await computeEmbeddings(sql, { projectId, store, backbone: tiny, backend: 'wasm', workers: 1, engine: 'tfjs' });
  assert.equal(r.computed, 5);
  assert.equal(r.cached, 5);
  const after = await sql<
    { sliceId: string; vector: Buffer }[]
  >`select slice_id, vector from embeddings where slice_id = any(${slices.map((s) => s.id)}::uuid[]) order by slice_id`;
  assert.equal(after.length, 10);
  after.forEach((row, i) => {
    const a = new Float32Array(new Uint8Array(row.vector).buffer);
    const b = new Float32Array(new Uint8Array(before[i].vector).buffer);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) < 1e-4);
  });
});

test('[TR9][EV2] the test set is chosen once, stratified by cohort, recorded as an automatic freeze, and never re-chosen', async () => {
  const { projectId } = await seedProject(sql, null, { patients: 10, slicesPerPatient: 1, files: false });
  const first = await ensureTestSet(sql, projectId);
  // 5 per cohort: the minimum of 10 is capped at half the stratum (2), so training keeps 3 of each.
  assert.equal(first.length, 4);
  const cohorts = await sql<{ cohort: string }[]>`select cohort from patients where id = any(${first}::uuid[]) order by cohort`;
  assert.deepEqual(
    cohorts.map((c) => c.cohort),
    ['CONTROL', 'CONTROL', 'DCM', 'DCM'],
  );
  const sets = await sql<{ id: string; frozenBy: string | null }[]>`select id, frozen_by from evaluation_sets where project_id = ${projectId}`;
  assert.equal(sets.length, 1);
  assert.equal(sets[0].frozenBy, null, 'frozen automatically, before the first round');
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'FREEZE_EVALUATION_SET' and entity_id = ${sets[0].id}`;
  assert.equal(n, 1);
  await sql`insert into patients (project_id, pseudonym, cohort) values (${projectId}, 'late', 'DCM')`;
  assert.deepEqual(await ensureTestSet(sql, projectId), first);
  await assert.rejects(sql`delete from evaluation_set_patients where set_id = ${sets[0].id}`, /append-only/, 'membership cannot be edited');
});

async function listen(): Promise<{ events: ServerEvent[]; stop: () => Promise<void> }> {
  const events: ServerEvent[] = [];
  const sub = await sql.listen(EVENTS_CHANNEL, (payload) => {
    const d = decodeEnvelope(payload);
    assert.ok(d.ok, `the trainer publishes envelopes (${payload})`);
    events.push(d.envelope.event);
  });
  return { events, stop: () => sub.unlisten() };
}

test('[TR10][TR11][TR14][TR15] a round writes a version, scores only candidates, selects diversely and publishes', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 10, slicesPerPatient: 9 });
  await sql`update projects set al_batch_size = 6, al_max_per_patient = 2, al_min_gap = 1, screening_k = 1 where id = ${projectId}`;
  const testIds = new Set(await ensureTestSet(sql, projectId));
  // Label all test slices (for evaluation) and most training slices.
  const labels = slices.filter((s) => testIds.has(s.patientId) || s.position % 3 !== 2).map((s) => ({ sliceId: s.id, value: s.truth }));
  await finaliseLabels(sql, projectId, labels);
  const { events, stop } = await listen();
  const r = await runTrainingRound(sql, { projectId, store, backbone: tiny, ...quiet, jobId: 'job-1' });
  // The round's notifications travel through PostgreSQL; the last ones the assertions read below.
  await eventually(() => events.some((e) => e.type === 'training:round') && events.some((e) => e.type === 'queue:reprioritised'), {
    timeoutMs: 5000,
    what: "the round's training:round and queue:reprioritised notifications",
  });
  await stop();

  assert.equal(r.round, 1);
  assert.equal(r.status, 'CURRENT', 'the first version becomes current');
  const [mv] = await sql<
    {
      status: string;
      backbone: string;
      backend: string;
      strategy: string;
      labelCount: number;
      split: { test: string[]; train: string[]; val: string[] };
      metrics: { auc: number | null; testSlices: number; screening: { roc: unknown[] } };
      head: { weights: unknown[] };
    }[]
  >`
    select * from model_versions where id = ${r.id}`;
  assert.equal(mv.backbone, 'tiny-random');
  assert.equal(mv.backend, 'wasm');
  assert.equal(mv.strategy, 'entropy');
  assert.equal(mv.labelCount, labels.filter((l) => !testIds.has(slices.find((s) => s.id === l.sliceId)!.patientId)).length);
  assert.deepEqual(new Set(mv.split.test), testIds);
  for (const p of mv.split.val) assert.ok(!mv.split.train.includes(p), 'a patient is in one split only');
  assert.equal(mv.metrics.testSlices, slices.filter((s) => testIds.has(s.patientId)).length);
  assert.equal(mv.metrics.screening.roc.length, 11);
  assert.equal(mv.head.weights.length, 6);
  const [proj] = await sql<{ currentModelVersionId: string }[]>`select current_model_version_id from projects where id = ${projectId}`;
  assert.equal(proj.currentModelVersionId, r.id);

  // Candidates: unlabelled, not in the test set.
  const scored = await sql<{ sliceId: string; rank: number | null }[]>`select slice_id, rank from uncertainty_scores where model_version_id = ${r.id}`;
  const expected = slices
    .filter((s) => !testIds.has(s.patientId) && s.position % 3 === 2)
    .map((s) => s.id)
    .sort();
  assert.deepEqual(scored.map((s) => s.sliceId).sort(), expected);
  const picked = scored.filter((s) => s.rank !== null);
  assert.equal(picked.length, 6);
  const log = await sql<
    { sliceId: string; rank: number; strategy: string; modelVersionId: string; mode: string }[]
  >`select * from selection_log where model_version_id = ${r.id} order by rank`;
  assert.deepEqual(
    log.map((l) => l.rank),
    [1, 2, 3, 4, 5, 6],
  );
  // TR8's diversity rule binds the uncertainty picks; the AUDIT share is a uniform draw (TR21).
  const perPatient = new Map<string, number>();
  for (const l of log.filter((x) => x.mode === 'ACTIVE')) {
    const p = slices.find((s) => s.id === l.sliceId)!.patientId;
    perPatient.set(p, (perPatient.get(p) ?? 0) + 1);
  }
  assert.ok([...perPatient.values()].every((n) => n <= 2));
  const [{ n: preds }] = await sql<{ n: number }[]>`select count(*)::int as n from predictions where model_version_id = ${r.id}`;
  assert.equal(preds, slices.length);

  const types = events.map((e) => e.type);
  assert.ok(types.includes('training:progress'));
  assert.ok(events.some((e) => e.type === 'training:progress' && e.stage === 'training' && typeof e.loss === 'number' && e.jobId === 'job-1'));
  const round = events.find((e) => e.type === 'training:round');
  assert.ok(round && round.type === 'training:round' && round.modelVersionId === r.id && round.status === 'CURRENT');
  const rep = events.find((e) => e.type === 'queue:reprioritised');
  assert.deepEqual(rep, { type: 'queue:reprioritised', projectId });

  // [TR11] a worse version stays CANDIDATE; promote() rolls forward or back explicitly.
  await sql`update projects set promotion_tolerance = -1 where id = ${projectId}`; // demands AUC > current + 1: impossible
  const r2 = await runTrainingRound(sql, { projectId, store, backbone: tiny, ...quiet, strategy: 'bald' });
  assert.equal(r2.status, 'CANDIDATE');
  assert.equal(r2.round, 2);
  const [p2] = await sql<{ currentModelVersionId: string }[]>`select current_model_version_id from projects where id = ${projectId}`;
  assert.equal(p2.currentModelVersionId, r.id);
  await promote(sql, r2.id);
  const statuses = await sql<{ id: string; status: string }[]>`select id, status from model_versions where project_id = ${projectId} order by round`;
  assert.deepEqual(
    statuses.map((s) => s.status),
    ['RETIRED', 'CURRENT'],
  );
  await promote(sql, r.id); // rollback
  const back = await sql<{ status: string }[]>`select status from model_versions where project_id = ${projectId} order by round`;
  assert.deepEqual(
    back.map((s) => s.status),
    ['CURRENT', 'RETIRED'],
  );
});

test('[TR12] a failure at any step of the write leaves no version, predictions, scores, selection, promotion or event', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 6, slicesPerPatient: 6 });
  await finaliseLabels(
    sql,
    projectId,
    slices.filter((s) => s.position % 2 === 0).map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  const events: ServerEvent[] = [];
  const listener = await sql.listen(EVENTS_CHANNEL, (payload) => {
    const d = decodeEnvelope(payload);
    if (!d.ok) return;
    const e = d.envelope.event;
    if ('projectId' in e && e.projectId === projectId && (e.type === 'training:round' || e.type === 'queue:reprioritised')) events.push(e);
  });
  const count = async () =>
    (
      await sql<{ mv: number; pr: number; us: number; sl: number; cur: string | null }[]>`
    select (select count(*)::int from model_versions where project_id = ${projectId}) as mv,
           (select count(*)::int from predictions p join slices s on s.id = p.slice_id where s.project_id = ${projectId}) as pr,
           (select count(*)::int from uncertainty_scores u join slices s on s.id = u.slice_id where s.project_id = ${projectId}) as us,
           (select count(*)::int from selection_log where project_id = ${projectId}) as sl,
           (select current_model_version_id from projects where id = ${projectId}) as cur`
    )[0];
  try {
    // 'published' fails after the selection log, the promotion and both NOTIFYs were written.
    for (const failAt of ['scores', 'selection', 'published'] as const) {
      let reached = false;
      await assert.rejects(
        runTrainingRound(sql, {
          projectId,
          store,
          backbone: tiny,
          ...quiet,
          hook: (stage) => {
            if (stage === failAt) {
              reached = true;
              throw new Error(`disk full at ${stage}`);
            }
          },
        }),
        new RegExp(`disk full at ${failAt}`),
      );
      assert.ok(reached);
      assert.deepEqual(await count(), { mv: 0, pr: 0, us: 0, sl: 0, cur: null }, `failing at ${failAt}`);
    }
    // And the lock was released: the next round succeeds, and only its events arrive.
    const ok = await runTrainingRound(sql, { projectId, store, backbone: tiny, ...quiet });
    assert.equal(ok.round, 1);
    const after = await count();
    assert.ok(after.mv === 1 && after.sl > 0 && after.cur === ok.id, JSON.stringify(after));
    await eventually(() => events.length >= 2, { timeoutMs: 5000, intervalMs: 100, what: "the successful round's two notifications" });
    assert.deepEqual(events.map((e) => e.type).sort(), ['queue:reprioritised', 'training:round'], 'the failed writes sent no event');
  } finally {
    await listener.unlisten();
  }
});

test('[TR13] a round whose queue run was handed to another trainer writes no version', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 6, slicesPerPatient: 6 });
  await finaliseLabels(
    sql,
    projectId,
    slices.filter((s) => s.position % 2 === 0).map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  // No active job with this id and run: the run it names is over (reaped, retried elsewhere).
  const lease = { jobId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002' };
  await assert.rejects(runTrainingRound(sql, { projectId, store, backbone: tiny, ...quiet, lease }), (e: Error) => e instanceof JobFencedOut);
  assert.equal((await sql`select 1 from model_versions where project_id = ${projectId}`).length, 0);
});

test('[TR5] training refuses labels of a single class with an actionable error', async () => {
  const { projectId, slices } = await seedProject(sql, store, { patients: 3, slicesPerPatient: 3, dcmFraction: 0 });
  await finaliseLabels(
    sql,
    projectId,
    slices.map((s) => ({ sliceId: s.id, value: 0 as const })),
  );
  await assert.rejects(
    runTrainingRound(sql, { projectId, store, backbone: tiny, ...quiet }),
    (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /both classes/.test(e.message),
  );
});

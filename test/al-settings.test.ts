/**
 * Active-learning settings through GraphQL over HTTP: set, read back, audited, refused out of
 * range with the range in the message, refused to labelers, and used by the trainer's round.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, gql, gqlOk, errorCode, addUsers } from './helpers/api.js';
import { fileStoreFor } from '@concord/db';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';
import { ensureTestSet } from '../services/trainer/src/eval/splits.js';
import { runTrainingRound } from '../services/trainer/src/round.js';

const t = await startTestApi('alsettings');
const store = fileStoreFor(t.dataDir);
const { projectId, slices } = await seedProject(t.sql, store, { patients: 8, slicesPerPatient: 8 });
const users = await addUsers(t, projectId, { aladmin: ['ADMIN'], allab: ['LABELER'] });
const admin = users.aladmin.token;
const labeler = users.allab.token;

const FIELDS = 'alBatchSize alMaxPerPatient alMinGap promotionTolerance';
const SET = `mutation($id:ID!,$s:ProjectSettingsInput!){ updateProject(id:$id, settings:$s){ ${FIELDS} } }`;
const GET = `query($id:ID!){ project(id:$id){ ${FIELDS} } }`;
type Al = { alBatchSize: number; alMaxPerPatient: number; alMinGap: number; promotionTolerance: number };

async function stored(): Promise<Al> {
  const [r] = await t.sql<{ alBatchSize: number; alMaxPerPatient: number; alMinGap: number; promotionTolerance: number }[]>`
    select al_batch_size, al_max_per_patient, al_min_gap, promotion_tolerance from projects where id = ${projectId}`;
  return { alBatchSize: r.alBatchSize, alMaxPerPatient: r.alMaxPerPatient, alMinGap: r.alMinGap, promotionTolerance: r.promotionTolerance };
}

test('[AL1] an admin sets each AL setting through GraphQL; it is stored, read back and audited', async () => {
  const want: Al = { alBatchSize: 7, alMaxPerPatient: 2, alMinGap: 0, promotionTolerance: 0.25 };
  const set = await gqlOk<{ updateProject: Al }>(t.url, SET, { id: projectId, s: want }, admin);
  assert.deepEqual(set.updateProject, want);
  assert.deepEqual((await gqlOk<{ project: Al }>(t.url, GET, { id: projectId }, admin)).project, want);
  assert.deepEqual(await stored(), want);
  // One field at a time leaves the others as they are.
  await gqlOk(t.url, SET, { id: projectId, s: { alMinGap: 4 } }, admin);
  assert.deepEqual(await stored(), { ...want, alMinGap: 4 });
  const audits = await t.sql<{ actor: string; payload: Partial<Al> }[]>`
    select u.username as actor, a.payload from audit_log a join users u on u.id = a.actor_id
     where a.project_id = ${projectId} and a.action = 'PROJECT_SETTINGS' order by a.id`;
  assert.deepEqual(
    audits.map((a) => a.actor),
    ['aladmin', 'aladmin'],
  );
  assert.deepEqual(audits[0].payload, want);
  assert.deepEqual(audits[1].payload, { alMinGap: 4 });
});

test('[AL2] out-of-range values are refused with BAD_INPUT naming the range, and change nothing', async () => {
  const before = await stored();
  const [{ n: auditsBefore }] = await t.sql<{ n: number }[]>`select count(*)::int as n from audit_log where project_id = ${projectId}`;
  const cases: [Partial<Al>, RegExp][] = [
    [{ alBatchSize: 0 }, /batch size .* from 1 to 1000/],
    [{ alBatchSize: 1001 }, /batch size .* from 1 to 1000/],
    [{ alMaxPerPatient: 0 }, /per patient .* 1 or more/],
    [{ alMinGap: -1 }, /gap .* 0 or more/],
    [{ promotionTolerance: -0.01 }, /tolerance must be between 0 and 0\.5/],
    [{ promotionTolerance: 0.51 }, /tolerance must be between 0 and 0\.5/],
    // A valid field next to a bad one is not written either.
    [{ alBatchSize: 9, promotionTolerance: 0.9 }, /tolerance must be between 0 and 0\.5/],
  ];
  for (const [s, message] of cases) {
    const r = await gql(t.url, SET, { id: projectId, s }, admin);
    assert.equal(errorCode(r), 'BAD_INPUT', JSON.stringify(s));
    assert.match(r.errors![0].message, message, JSON.stringify(s));
  }
  assert.deepEqual(await stored(), before);
  const [{ n: auditsAfter }] = await t.sql<{ n: number }[]>`select count(*)::int as n from audit_log where project_id = ${projectId}`;
  assert.equal(auditsAfter, auditsBefore, 'a refused change is not audited');
});

test('[AL3] a labeler cannot change AL settings', async () => {
  const before = await stored();
  const r = await gql(t.url, SET, { id: projectId, s: { alBatchSize: 3 } }, labeler);
  assert.equal(errorCode(r), 'FORBIDDEN');
  assert.deepEqual(await stored(), before);
});

test('[AL4] a value stored outside the API range (the simulator writes tolerance 1) does not block saving others', async () => {
  const before = await stored();
  await t.sql`update projects set promotion_tolerance = 1 where id = ${projectId}`;
  try {
    // The settings form sends every field: the unchanged tolerance passes, the batch changes.
    const r = await gqlOk<{ updateProject: Al }>(t.url, SET, { id: projectId, s: { ...before, promotionTolerance: 1, alBatchSize: 11 } }, admin);
    assert.equal(r.updateProject.alBatchSize, 11);
    assert.equal(r.updateProject.promotionTolerance, 1);
    assert.equal(errorCode(await gql(t.url, SET, { id: projectId, s: { promotionTolerance: 0.9 } }, admin)), 'BAD_INPUT', 'a change is still checked');
  } finally {
    await t.sql`update projects set al_batch_size = ${before.alBatchSize}, promotion_tolerance = ${before.promotionTolerance} where id = ${projectId}`;
  }
});

test('[AL5] the database refuses a promotion tolerance outside [-1, 1] or NaN, whatever writes it', async () => {
  for (const bad of ['1.5', '-2', 'NaN']) {
    await assert.rejects(t.sql`update projects set promotion_tolerance = ${bad}::real where id = ${projectId}`, /projects_promotion_tolerance_range/, bad);
  }
});

test('[AL6] a training round selects by the settings made through GraphQL: batch size, per patient, gap', async () => {
  const testPatients = new Set(await ensureTestSet(t.sql, projectId));
  // Label the test set and half of the rest; the other half stays for active learning.
  const toLabel = slices.filter((s) => testPatients.has(s.patientId) || s.position % 2 === 0);
  await finaliseLabels(
    t.sql,
    projectId,
    toLabel.map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  const patientOf = new Map(slices.map((s) => [s.id, s]));
  const round = async () => {
    const r = await runTrainingRound(t.sql, { projectId, store, backbone: { kind: 'tiny' }, backend: 'wasm', epochs: 8, patience: 3, mcSamples: 4 });
    const log = await t.sql<{ sliceId: string }[]>`select slice_id from selection_log where model_version_id = ${r.id} order by rank`;
    return log.map((l) => patientOf.get(l.sliceId)!);
  };

  // No audit share here: every pick is by uncertainty, under the diversity settings (TR21 aside).
  await gqlOk(t.url, SET, { id: projectId, s: { alBatchSize: 3, alMaxPerPatient: 1, alAuditShare: 0 } }, admin);
  const first = await round();
  // More than 3 training patients have unlabelled slices: the batch is full, one slice per patient.
  assert.equal(first.length, 3);
  assert.equal(new Set(first.map((s) => s.patientId)).size, 3, 'at most one slice per patient');

  // Odd positions stay unlabelled (1, 3, 5, 7): gap 1 lets all four of a series be picked, where
  // the default gap 2 allows two. A full batch of 20 is only reachable with the new gap.
  await gqlOk(t.url, SET, { id: projectId, s: { alBatchSize: 20, alMaxPerPatient: 4, alMinGap: 1 } }, admin);
  // Uncertainty picks come from training patients only (validation patients are kept unbiased, TR18).
  const [{ train }] = await t.sql<
    { train: number }[]
  >`select jsonb_array_length(split->'train') as train from model_versions where project_id = ${projectId} order by round desc limit 1`;
  const trainPatients = train;
  const second = await round();
  assert.equal(second.length, Math.min(20, trainPatients * 4));
  assert.ok(second.length > trainPatients * 2, 'more than gap 2 would allow');
  const perPatient = new Map<string, number>();
  for (const s of second) perPatient.set(s.patientId, (perPatient.get(s.patientId) ?? 0) + 1);
  assert.ok([...perPatient.values()].every((n) => n <= 4));
});

test('[AL7] audit share, evaluation share and target sensitivity are set through GraphQL within their ranges', async () => {
  const F = 'alAuditShare evaluationShare targetSensitivity';
  const set = `mutation($id:ID!,$s:ProjectSettingsInput!){ updateProject(id:$id, settings:$s){ ${F} } }`;
  const want = { alAuditShare: 0.3, evaluationShare: 0.5, targetSensitivity: 0.9 };
  assert.deepEqual((await gqlOk(t.url, set, { id: projectId, s: want }, admin)).updateProject, want);
  for (const [field, bad, range] of [
    ['alAuditShare', 0.6, /between 0 and 0.5/],
    ['evaluationShare', 1.5, /between 0 and 1/],
    ['targetSensitivity', 0.3, /between 0.5 and 1/],
  ] as const) {
    const r = await gql(t.url, set, { id: projectId, s: { [field]: bad } }, admin);
    assert.equal(errorCode(r), 'BAD_INPUT', field);
    assert.match(r.errors![0].message, range);
  }
  assert.deepEqual((await gqlOk(t.url, `query($id:ID!){ project(id:$id){ ${F} } }`, { id: projectId }, admin)).project, want, 'refused values changed nothing');
  assert.equal(errorCode(await gql(t.url, set, { id: projectId, s: { alAuditShare: 0.1 } }, labeler)), 'FORBIDDEN');
});

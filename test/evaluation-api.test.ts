/**
 * The evaluation contract through GraphQL (issue #11): freezing the evaluation set (who, when,
 * never changed by new ingests), each version's figures on the whole set with intervals,
 * the paired comparison, manual promotion with its basis, agreement per selection mode, and the
 * refusals a labeler gets. Versions and predictions are written with SQL: these tests are about
 * what the API computes from them, not about training (see trainer.evaluation.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, gql, gqlOk, errorCode, addUsers } from './helpers/api.js';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';
import { rocAuc, seededRandom } from '@concord/stats';

const t = await startTestApi('evalapi');
// 22 cases and 22 controls of 3 slices each (in a case the middle slice is compressed): the rule
// puts 10 of each class in the evaluation set, enough for every figure.
const { projectId, slices } = await seedProject(t.sql, null, { patients: 44, slicesPerPatient: 3, files: false });
const users = await addUsers(t, projectId, { elead: ['LEAD'], elab: ['LABELER'], elab2: ['LABELER'] });
const lead = users.elead.token;
const labeler = users.elab.token;

const SET = `query($p:ID!){ evaluationSet(projectId:$p){ id frozenAt patients cases controls slices labelledSlices complete } }`;
const FREEZE = `mutation($p:ID!){ freezeEvaluationSet(projectId:$p){ id frozenAt patients cases controls slices labelledSlices complete } }`;
const ESTIMATE = 'value low high method patients slices';
const VERSIONS = `query($p:ID!){ modelVersions(projectId:$p){ id round status
  evaluation { complete labelledSlices slices insufficient auc { ${ESTIMATE} } sensitivity { ${ESTIMATE} } specificity { ${ESTIMATE} }
               balancedAccuracy { ${ESTIMATE} } patientSensitivity { ${ESTIMATE} } patientSpecificity { ${ESTIMATE} } }
  promotion { basis decidedAt decidedBy note } } }`;

let testSliceIds = new Set<string>();

test('[EV1][EV2] a lead freezes the evaluation set once; who and when are recorded; new ingests never change it', async () => {
  const proposed = await gqlOk(t.url, SET, { p: projectId }, lead);
  assert.equal(proposed.evaluationSet.frozenAt, null);
  assert.equal(proposed.evaluationSet.id, `proposed:${projectId}`);
  assert.deepEqual([proposed.evaluationSet.patients, proposed.evaluationSet.cases, proposed.evaluationSet.controls], [20, 10, 10]);
  assert.equal(errorCode(await gql(t.url, FREEZE, { p: projectId }, labeler)), 'FORBIDDEN');
  assert.equal(errorCode(await gql(t.url, SET, { p: projectId }, labeler)), 'FORBIDDEN');
  // Hostile ids: a coded refusal, the same for malformed and unknown projects, and the API lives on.
  for (const bad of ['nope', '00000000-0000-4000-8000-000000000000', "'; drop table patients; --"]) {
    for (const q of [SET, FREEZE]) assert.ok(['FORBIDDEN', 'PROJECT_NOT_FOUND'].includes(errorCode(await gql(t.url, q, { p: bad }, lead)) ?? ''), `${bad}`);
  }

  const frozen = (await gqlOk(t.url, FREEZE, { p: projectId }, lead)).freezeEvaluationSet;
  assert.ok(frozen.frozenAt && !frozen.id.startsWith('proposed'));
  assert.deepEqual([frozen.patients, frozen.slices, frozen.labelledSlices, frozen.complete], [20, 60, 0, false]);
  const [row] = await t.sql<{ frozenBy: string }[]>`select frozen_by from evaluation_sets where id = ${frozen.id}`;
  assert.equal(row.frozenBy, users.elead.id);
  const audit = await t.sql<{ actorId: string }[]>`select actor_id from audit_log where action = 'FREEZE_EVALUATION_SET' and entity_id = ${frozen.id}`;
  assert.deepEqual(
    audit.map((a) => a.actorId),
    [users.elead.id],
  );

  // A later ingest: new patients (even many DCM ones) never join, and freezing again changes nothing.
  for (let i = 0; i < 30; i++) await t.sql`insert into patients (project_id, pseudonym, cohort) values (${projectId}, ${`late-${i}`}, 'DCM')`;
  const again = (await gqlOk(t.url, FREEZE, { p: projectId }, lead)).freezeEvaluationSet;
  assert.deepEqual(again, frozen);
  assert.deepEqual((await gqlOk(t.url, SET, { p: projectId }, lead)).evaluationSet, frozen);
  const members = await t.sql<{ id: string }[]>`select s.id from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
                                                 join evaluation_set_patients esp on esp.patient_id = st.patient_id where esp.set_id = ${frozen.id}`;
  testSliceIds = new Set(members.map((m) => m.id));
  assert.equal(testSliceIds.size, 60);
});

/** A version whose probability per slice is truth-driven plus seeded noise of width `noise`. */
async function addVersion(round: number, noise: number, status: 'CURRENT' | 'CANDIDATE'): Promise<string> {
  const [mv] = await t.sql<{ id: string }[]>`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${projectId}, ${round}, ${status}, 'tiny-random', 'wasm', 'entropy', 100, ${t.sql.json({ test: [], train: [], val: [] })},
            ${t.sql.json({ auc: 0.5, threshold: 0.5, screeningK: 0 })})
    returning id`;
  const random = seededRandom(`version-${round}`);
  const rows = slices.map((s) => ({
    modelVersionId: mv.id,
    sliceId: s.id,
    probability: Math.min(1, Math.max(0, 0.3 + 0.4 * s.truth + noise * (random() - 0.5))),
  }));
  await t.sql`insert into predictions ${t.sql(rows, 'modelVersionId', 'sliceId', 'probability')}`;
  if (status === 'CURRENT') await t.sql`update projects set current_model_version_id = ${mv.id} where id = ${projectId}`;
  return mv.id;
}

let v1 = '';
let v2 = '';

test('[EV3][EV5][EV6] every version is evaluated on the whole set: provisional until complete, then figures with intervals and n', async () => {
  v1 = await addVersion(1, 1.2, 'CURRENT');
  v2 = await addVersion(2, 0.5, 'CANDIDATE');
  const half = slices.filter((s) => testSliceIds.has(s.id) && s.position !== 1);
  await finaliseLabels(
    t.sql,
    projectId,
    half.map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  const provisional = (await gqlOk(t.url, VERSIONS, { p: projectId }, lead)).modelVersions;
  for (const v of provisional) {
    assert.equal(v.evaluation.complete, false);
    assert.deepEqual([v.evaluation.labelledSlices, v.evaluation.slices], [40, 60]);
    // Only negative slices are labelled so far: nothing that needs positives is shown.
    assert.equal(v.evaluation.auc, null);
    assert.ok(v.evaluation.insufficient.includes('sensitivity: insufficient: 0 patients with positive slices'), v.evaluation.insufficient.join('; '));
  }

  await finaliseLabels(
    t.sql,
    projectId,
    slices.filter((s) => testSliceIds.has(s.id) && s.position === 1).map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  const versions = (await gqlOk(t.url, VERSIONS, { p: projectId }, lead)).modelVersions;
  for (const v of versions) {
    const e = v.evaluation;
    assert.equal(e.complete, true, 'the earlier version is re-scored on the completed set too');
    assert.deepEqual(e.insufficient, []);
    for (const f of ['auc', 'sensitivity', 'specificity', 'balancedAccuracy', 'patientSensitivity', 'patientSpecificity']) {
      const est = e[f];
      assert.ok(est && est.low <= est.value && est.value <= est.high, `${f}: ${JSON.stringify(est)}`);
      assert.match(est.method, /patient-clustered bootstrap, 1000 resamples/);
    }
    assert.deepEqual([e.auc.patients, e.auc.slices], [20, 60]);
    assert.deepEqual([e.sensitivity.patients, e.sensitivity.slices], [10, 10], 'sensitivity rests on the 10 cases');
    assert.deepEqual([e.patientSpecificity.patients, e.patientSpecificity.slices], [10, 30], 'patient specificity on the 10 controls');
    // The point estimate is the plain AUC of the version's probabilities on the 60 labelled slices.
    const preds = await t.sql<
      { probability: number; sliceId: string }[]
    >`select slice_id, probability from predictions where model_version_id = ${v.id} and slice_id = any(${[...testSliceIds]}::uuid[])`;
    const truth = new Map(slices.map((s) => [s.id, s.truth]));
    assert.ok(
      Math.abs(
        e.auc.value -
          rocAuc(
            preds.map((p) => p.probability),
            preds.map((p) => truth.get(p.sliceId)!),
          )!,
      ) < 1e-6,
    );
  }
  // Cached per (set, labelled count): a second read gives the same intervals without recomputing.
  const [{ evaluation }] = await t.sql<{ evaluation: { key: string } }[]>`select evaluation from model_versions where id = ${v1}`;
  assert.match(evaluation.key, /:60:0\.5:0:1000$/);
});

test('[EV7] compareVersions gives the paired ΔAUC (b − a) on the evaluation set; leads only', async () => {
  const q = `query($a:ID!,$b:ID!){ compareVersions(a:$a, b:$b){ ${ESTIMATE} } }`;
  const d = (await gqlOk(t.url, q, { a: v1, b: v2 }, lead)).compareVersions;
  const versions = (await gqlOk(t.url, VERSIONS, { p: projectId }, lead)).modelVersions;
  const auc = (id: string) => versions.find((v: { id: string }) => v.id === id).evaluation.auc.value;
  assert.ok(Math.abs(d.value - (auc(v2) - auc(v1))) < 1e-9);
  assert.ok(d.low <= d.value && d.value <= d.high);
  assert.ok(d.value > 0, 'the less noisy version ranks better');
  assert.match(d.method, /^paired patient-clustered bootstrap/);
  const reverse = (await gqlOk(t.url, q, { a: v2, b: v1 }, lead)).compareVersions;
  assert.ok(Math.abs(reverse.value + d.value) < 1e-9);
  assert.equal(errorCode(await gql(t.url, q, { a: v1, b: v2 }, labeler)), 'FORBIDDEN');
  assert.equal(errorCode(await gql(t.url, q, { a: v1, b: 'not-a-uuid' }, lead)), 'NOT_FOUND');
  const other = await seedProject(t.sql, null, { patients: 2, slicesPerPatient: 1, files: false });
  await t.sql`insert into project_members (project_id, user_id) values (${other.projectId}, ${users.elead.id})`;
  const [foreign] = await t.sql<
    { id: string }[]
  >`insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${other.projectId}, 1, 'CANDIDATE', 'x', 'wasm', 'entropy', 1, '{}', '{}') returning id`;
  const mixed = await gql(t.url, q, { a: v1, b: foreign.id }, lead);
  assert.equal(errorCode(mixed), 'BAD_INPUT');
  assert.match(mixed.errors![0].message, /different projects/);
});

test('[TR11][EV4] a lead promotes by hand with a note: basis MANUAL, who and when recorded', async () => {
  const P = `mutation($m:ID!,$n:String){ promoteModel(modelVersionId:$m, note:$n){ id status promotion { basis decidedAt decidedBy note } } }`;
  const r = (await gqlOk(t.url, P, { m: v2, n: 'paired ΔAUC > 0 on the complete evaluation set' }, lead)).promoteModel;
  assert.equal(r.status, 'CURRENT');
  assert.deepEqual([r.promotion.basis, r.promotion.decidedBy, r.promotion.note], ['MANUAL', 'elead', 'paired ΔAUC > 0 on the complete evaluation set']);
  assert.ok(Date.now() - Date.parse(r.promotion.decidedAt) < 60_000);
  assert.equal(errorCode(await gql(t.url, P, { m: v1, n: 'x'.repeat(2001) }, lead)), 'BAD_INPUT');
  assert.equal(errorCode(await gql(t.url, P, { m: v1, n: 'no' }, labeler)), 'FORBIDDEN');
});

test('[AG20] agreement is reported per selection mode: queue order, ACTIVE, AUDIT, TEST', async () => {
  const nonTest = slices.filter((s) => !testSliceIds.has(s.id));
  const [activeSlice, auditSlice, queueSlice] = [nonTest[0], nonTest[3], nonTest[6]];
  const testSlice = slices.find((s) => testSliceIds.has(s.id))!;
  await t.sql`insert into selection_log (project_id, slice_id, model_version_id, strategy, score, rank, mode)
              values (${projectId}, ${activeSlice.id}, ${v1}, 'entropy', 0.6, 1, 'ACTIVE'), (${projectId}, ${auditSlice.id}, ${v1}, 'entropy', 0.1, 2, 'AUDIT')`;
  const read = (slice: string, user: string, value: number) =>
    t.sql`insert into reads (project_id, slice_id, user_id, value) values (${projectId}, ${slice}, ${user}, ${value})`;
  for (const s of [activeSlice, auditSlice, queueSlice, testSlice]) await read(s.id, users.elab.id, 1);
  await read(activeSlice.id, users.elab2.id, 0); // the uncertain slice is the one they disagree on
  for (const s of [auditSlice, queueSlice, testSlice]) await read(s.id, users.elab2.id, 1);
  const q = `query($p:ID!){ agreement(projectId:$p){ bySelection { mode pairs percentAgreement kappa kappaLow kappaHigh positiveAgreement negativeAgreement } } }`;
  const rows = (await gqlOk(t.url, q, { p: projectId }, lead)).agreement.bySelection as { mode: string; pairs: number; percentAgreement: number | null }[];
  assert.deepEqual(
    rows.map((r) => r.mode),
    ['RANDOM', 'SERIES', 'ACTIVE', 'AUDIT', 'TEST'],
  );
  const by = Object.fromEntries(rows.map((r) => [r.mode, r]));
  assert.deepEqual([by.SERIES.pairs, by.ACTIVE.pairs, by.AUDIT.pairs, by.TEST.pairs, by.RANDOM.pairs], [1, 1, 1, 1, 0]);
  assert.deepEqual([by.ACTIVE.percentAgreement, by.AUDIT.percentAgreement, by.TEST.percentAgreement], [0, 1, 1]);
  assert.equal(by.RANDOM.percentAgreement, null, 'no pairs: no figure');
  assert.equal(errorCode(await gql(t.url, q, { p: projectId }, labeler)), 'FORBIDDEN');
});

test('[AS9] on evaluation_share of fresh leases the evaluation set comes first, so it completes early', async () => {
  const p = await seedProject(t.sql, null, { patients: 10, slicesPerPatient: 4, files: false });
  const { mixlab } = await addUsers(t, p.projectId, { mixlab: ['LABELER'] });
  const { mixlead } = await addUsers(t, p.projectId, { mixlead: ['LEAD'] });
  await gqlOk(t.url, FREEZE, { p: p.projectId }, mixlead.token);
  const testSlices = new Set(
    (
      await t.sql<{ id: string }[]>`select s.id from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
    join patients pa on pa.id = st.patient_id where pa.is_test and s.project_id = ${p.projectId}`
    ).map((r) => r.id),
  );
  assert.equal(testSlices.size, 16, '4 of 10 patients (2 per cohort), 4 slices each');
  const serve = async (n: number) => {
    const got: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await gqlOk(t.url, `query($p:ID!){ nextSlice(projectId:$p){ slice { id } } }`, { p: p.projectId }, mixlab.token);
      got.push(r.nextSlice.slice.id);
      await gqlOk(t.url, `mutation($s:ID!){ submitLabel(sliceId:$s, value:0){ ok } }`, { s: r.nextSlice.slice.id }, mixlab.token);
    }
    return got;
  };
  await t.sql`update projects set evaluation_share = 1 where id = ${p.projectId}`;
  const first = await serve(8);
  assert.ok(
    first.every((id) => testSlices.has(id)),
    'share 1: every fresh lease is an evaluation slice while any is open',
  );
  await t.sql`update projects set evaluation_share = 0 where id = ${p.projectId}`;
  // Share 0: plain queue order (series, position), whatever the slice is.
  const queue = (
    await t.sql<{ id: string }[]>`select id from slices where project_id = ${p.projectId} and not (id = any(${first}::uuid[])) order by queue_order limit 4`
  ).map((r) => r.id);
  assert.deepEqual(await serve(4), queue);
});

test("[EV9] stoppingSignal: each recent round's paired ΔAUC over the round before; a plateau only when every CI in the window includes 0; leads only", async () => {
  const q = `query($p:ID!,$w:Int){ stoppingSignal(projectId:$p, window:$w){ window plateau verdict steps { fromRound toRound labels insufficient delta { ${ESTIMATE} } } } }`;
  const before = (await gqlOk(t.url, q, { p: projectId, w: 3 }, lead)).stoppingSignal;
  assert.equal(before.plateau, false);
  assert.match(before.verdict, /^insufficient: 1 of 3 round-to-round comparisons/);
  // Round 3 scores every slice exactly as round 2 did: no gain, and a CI of exactly 0.
  const [v3] = await t.sql<{ id: string }[]>`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${projectId}, 3, 'CANDIDATE', 'tiny-random', 'wasm', 'entropy', 150, ${t.sql.json({ test: [], train: [], val: [] })}, ${t.sql.json({ auc: 0.5, threshold: 0.5, screeningK: 0 })})
    returning id`;
  await t.sql`insert into predictions (model_version_id, slice_id, probability) select ${v3.id}, slice_id, probability from predictions where model_version_id = ${v2}`;
  const last = (await gqlOk(t.url, q, { p: projectId, w: 1 }, lead)).stoppingSignal;
  assert.deepEqual(
    last.steps.map((s: { fromRound: number; toRound: number; labels: number }) => [s.fromRound, s.toRound, s.labels]),
    [[2, 3, 150]],
  );
  assert.deepEqual([last.steps[0].delta.value, last.steps[0].delta.low, last.steps[0].delta.high], [0, 0, 0]);
  assert.equal(last.plateau, true);
  assert.match(last.verdict, /^plateau: the last 1 rounds/);
  // Over two rounds the signal agrees with compareVersions, and is a plateau only if round 1→2's CI also includes 0.
  const two = (await gqlOk(t.url, q, { p: projectId, w: 2 }, lead)).stoppingSignal;
  const d12 = (await gqlOk(t.url, `query($a:ID!,$b:ID!){ compareVersions(a:$a, b:$b){ ${ESTIMATE} } }`, { a: v1, b: v2 }, lead)).compareVersions;
  assert.deepEqual(two.steps[0].delta, d12);
  assert.equal(two.plateau, d12.low <= 0 && d12.high >= 0);
  assert.match(two.verdict, two.plateau ? /^plateau/ : /^improving: 1 of the last 2 rounds/);
  assert.equal(errorCode(await gql(t.url, q, { p: projectId, w: 3 }, labeler)), 'FORBIDDEN');
  assert.equal(errorCode(await gql(t.url, q, { p: projectId, w: 0 }, lead)), 'BAD_INPUT');
  assert.equal(errorCode(await gql(t.url, q, { p: projectId, w: 1e6 }, lead)), 'BAD_INPUT');
});

/**
 * The trainer's results through the API: model versions, learning curve, screening table,
 * promotion, the training trigger, and live reprioritisation reaching labelers without scores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, gql, gqlOk, errorCode, connectSocket, addUsers, NEXT_SLICE } from './helpers/api.js';
import { eventually, within } from './helpers/eventually.js';
import { fileStoreFor } from '@concord/db';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';
import { ensureTestSet } from '../services/trainer/src/eval/splits.js';
import { runTrainingRound } from '../services/trainer/src/round.js';
import { EXPORT_COLUMNS } from '../apps/api/src/export/export.queries.js';

const t = await startTestApi('trainapi');
const store = fileStoreFor(t.dataDir);
const { projectId, slices } = await seedProject(t.sql, store, { patients: 8, slicesPerPatient: 8 });
const users = await addUsers(t, projectId, { tlead: ['LEAD'], tlab: ['LABELER'] });
const lead = users.tlead.token;
const labeler = users.tlab.token;
await ensureTestSet(t.sql, projectId);
// A batch smaller than the open slices, so some stay outside the current ranks (TA3); with the
// default 50 the audit share (TR21) could rank every open slice of this small project.
await t.sql`update projects set al_batch_size = 8 where id = ${projectId}`;
const test_ = await t.sql<{ id: string }[]>`select s.id from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
                                              join patients p on p.id = st.patient_id where p.is_test and s.project_id = ${projectId}`;
const testIds = new Set(test_.map((r) => r.id));
// Label the test set and half of the rest; the other half stays for active learning.
const toLabel = slices.filter((s, i) => testIds.has(s.id) || i % 2 === 0);
await finaliseLabels(
  t.sql,
  projectId,
  toLabel.map((s) => ({ sliceId: s.id, value: s.truth })),
);

test('[TA1] a training round shows up in modelVersions, learningCurve and screening; labelers hear only "reprioritised"', async () => {
  const sock = await connectSocket(t.url, labeler, projectId);
  const leadSock = await connectSocket(t.url, lead, projectId);
  const round = await runTrainingRound(t.sql, { projectId, store, backbone: { kind: 'tiny' }, backend: 'wasm', epochs: 10, patience: 3, mcSamples: 6 });
  await sock.waitFor((e) => e.type === 'queue:reprioritised');
  await leadSock.waitFor((e) => e.type === 'training:round');
  for (const e of sock.events) assert.ok(['presence', 'queue:size', 'queue:reprioritised'].includes(e.type), e.type);
  const v = await gqlOk(
    t.url,
    `query($p:ID!){ modelVersions(projectId:$p){ id round status labelCount backbone backend metrics { auc accuracy testSlices testPatients } } }`,
    { p: projectId },
    lead,
  );
  assert.equal(v.modelVersions.length, 1);
  assert.equal(v.modelVersions[0].id, round.id);
  assert.equal(v.modelVersions[0].status, 'CURRENT', 'the first version is promoted');
  assert.ok(v.modelVersions[0].metrics.testSlices > 0);
  const lc = await gqlOk(t.url, `query($p:ID!){ learningCurve(projectId:$p){ round labelCount auc } }`, { p: projectId }, lead);
  assert.equal(lc.learningCurve[0].labelCount, v.modelVersions[0].labelCount);
  const sc = await gqlOk(
    t.url,
    `query($m:ID!){ screening(modelVersionId:$m, minPositiveSlices: 1){ minPositiveSlices row { truePositives falseNegatives trueNegatives falsePositives sensitivity specificity } roc { minPositiveSlices } } }`,
    { m: round.id },
    lead,
  );
  const row = sc.screening.row;
  assert.equal(row.truePositives + row.falseNegatives + row.trueNegatives + row.falsePositives, testPatients());
  assert.deepEqual(
    sc.screening.roc.map((r: { minPositiveSlices: number }) => r.minPositiveSlices),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  // The API counts positive slices at the version's own threshold, as the round's metrics did.
  const ownRow = round.metrics.screening!.row;
  assert.deepEqual(
    [row.truePositives, row.falseNegatives, row.trueNegatives, row.falsePositives],
    [ownRow.truePositives, ownRow.falseNegatives, ownRow.trueNegatives, ownRow.falsePositives],
  );
  await t.sql`update model_versions set metrics = jsonb_set(metrics, '{threshold}', '1.5') where id = ${round.id}`;
  const none = await gqlOk(
    t.url,
    `query($m:ID!){ screening(modelVersionId:$m, minPositiveSlices: 0){ row { truePositives falsePositives } } modelVersions(projectId:"${projectId}"){ metrics { threshold thresholdChosenOn aucLow aucHigh } } }`,
    { m: round.id },
    lead,
  );
  assert.deepEqual(none.screening.row, { truePositives: 0, falsePositives: 0 }, 'above every probability, no slice and so no patient is positive');
  assert.equal(none.modelVersions[0].metrics.threshold, 1.5);
  assert.ok(['VALIDATION', 'DEFAULT'].includes(none.modelVersions[0].metrics.thresholdChosenOn));
  await t.sql`update model_versions set metrics = jsonb_set(metrics, '{threshold}', ${String(round.metrics.threshold)}::jsonb) where id = ${round.id}`;
  // Labelers reach none of it.
  assert.equal(errorCode(await gql(t.url, `query($m:ID!){ screening(modelVersionId:$m){ minPositiveSlices } }`, { m: round.id }, labeler)), 'FORBIDDEN');
  // The selected batch comes first (the evaluation set is fully labelled), and nothing says so [EV8].
  const n = await gqlOk(t.url, NEXT_SLICE, { p: projectId }, labeler);
  assert.deepEqual(Object.keys(n.nextSlice).sort(), ['id', 'leaseExpiresAt', 'slice']);
  const hint = await gql(t.url, `query($p:ID!){ nextSlice(projectId:$p){ prioritised } }`, { p: projectId }, labeler);
  assert.equal(errorCode(hint), 'BAD_INPUT');
  assert.match(hint.errors![0].message, /Cannot query field "prioritised"/, 'the selection hint is gone from the schema');
  const [{ ranked }] =
    await t.sql`select count(*)::int as ranked from uncertainty_scores where model_version_id = ${round.id} and rank is not null and slice_id = ${n.nextSlice.slice.id}`;
  assert.equal(ranked, 1);
});

function testPatients(): number {
  return new Set(slices.filter((s) => testIds.has(s.id)).map((s) => s.patientId)).size;
}

test('[TA2] triggerTraining queues one job per project; promoteModel is for leads', async () => {
  const a = await gqlOk(t.url, `mutation($p:ID!){ triggerTraining(projectId:$p){ id state } }`, { p: projectId }, lead);
  const b = await gqlOk(t.url, `mutation($p:ID!){ triggerTraining(projectId:$p){ id state } }`, { p: projectId }, lead);
  assert.ok(a.triggerTraining.id);
  assert.equal(b.triggerTraining.id, a.triggerTraining.id, 'a second trigger joins the waiting job');
  assert.equal(errorCode(await gql(t.url, `mutation($p:ID!){ triggerTraining(projectId:$p){ id } }`, { p: projectId }, labeler)), 'FORBIDDEN');
  const [mv] = await t.sql`select id from model_versions where project_id = ${projectId}`;
  assert.equal(errorCode(await gql(t.url, `mutation($m:ID!){ promoteModel(modelVersionId:$m){ id } }`, { m: mv.id }, labeler)), 'FORBIDDEN');
  const p = await gqlOk(t.url, `mutation($m:ID!){ promoteModel(modelVersionId:$m){ id status } }`, { m: mv.id }, lead);
  assert.equal(p.promoteModel.status, 'CURRENT');
  const audits = await t.sql<
    { actorId: string; payload: { via: string } }[]
  >`select actor_id, payload from audit_log where action = 'PROMOTE_MODEL' and entity_id = ${mv.id}`;
  assert.equal(audits.length, 1, 'one audit row for one promotion; the refused labeler left none');
  assert.equal(audits[0].payload.via, 'graphql');
  const [{ id: leadId }] = await t.sql<{ id: string }[]>`select id from users where username = 'tlead'`;
  assert.equal(audits[0].actorId, leadId, 'the audit names the lead');
});

const NEXT_SLICES = `query($p:ID!,$n:Int){ nextSlices(projectId:$p, count:$n){ id slice { id } } }`;

test("[TA3] labelers are served the current version's ranks only; a candidate's count once it is promoted", async () => {
  const [{ cur }] = await t.sql<{ cur: string }[]>`select current_model_version_id as cur from projects where id = ${projectId}`;
  const ranked = async (mv: string) =>
    new Set(
      (
        await t.sql<{ sliceId: string }[]>`
    select slice_id from uncertainty_scores where model_version_id = ${mv} and rank is not null`
      ).map((r) => r.sliceId),
    );
  const currentRanked = await ranked(cur);
  // A candidate that would put other open slices first.
  const others = await t.sql<{ id: string }[]>`
    select s.id from slices s
     where s.project_id = ${projectId} and s.reads_done < s.reads_required
       and not exists (select 1 from final_labels f where f.slice_id = s.id)
       and s.id <> all(${[...currentRanked]}::uuid[])
     order by s.id limit 3`;
  assert.ok(others.length >= 2, 'open slices outside the current batch exist');
  const [cand] = await t.sql<{ id: string }[]>`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${projectId}, 99, 'CANDIDATE', 'tiny-random', 'wasm', 'entropy', 1, ${t.sql.json({ test: [], train: [], val: [] })}, ${t.sql.json({ auc: 0.1, threshold: 0.5 })})
    returning id`;
  await t.sql`insert into uncertainty_scores ${t.sql(others.map((o, i) => ({ modelVersionId: cand.id, sliceId: o.id, strategy: 'entropy', score: 1, rank: i + 1 })))}`;

  const served = async (username: string) => {
    const { [username]: fresh } = await addUsers(t, projectId, { [username]: ['LABELER'] });
    const r = await gqlOk<{ nextSlices: { id: string; slice: { id: string } }[] }>(t.url, NEXT_SLICES, { p: projectId, n: 10 }, fresh.token);
    // Which leases came from the ranks is kept server-side only (assignments.prioritised), never sent.
    const prio = new Set(
      (await t.sql<{ id: string }[]>`select id from assignments where id = any(${r.nextSlices.map((a) => a.id)}::uuid[]) and prioritised`).map((a) => a.id),
    );
    return r.nextSlices.filter((a) => prio.has(a.id)).map((a) => a.slice.id);
  };
  const before = await served('tlab3');
  assert.ok(before.length > 0 && before.every((id) => currentRanked.has(id)), 'prioritised slices come from the current version');
  assert.ok(
    before.every((id) => !others.some((o) => o.id === id)),
    "the candidate's ranks are not served",
  );

  await gqlOk(t.url, `mutation($m:ID!){ promoteModel(modelVersionId:$m){ id } }`, { m: cand.id }, lead);
  const after = await served('tlab4');
  assert.ok(
    after.every((id) => others.some((o) => o.id === id)),
    'prioritised slices now come from the promoted version',
  );
  assert.ok(after.length >= 2, `once current, its ranks come first (${after.length} served)`);
  await gqlOk(t.url, `mutation($m:ID!){ promoteModel(modelVersionId:$m){ id } }`, { m: cur }, lead); // rollback
});

test('[TA4] retrainEvery: labels submitted over the API queue a training round once that many new final labels exist', async () => {
  const fresh = await seedProject(t.sql, null, { patients: 1, slicesPerPatient: 4, files: false });
  const added = await addUsers(t, fresh.projectId, { ra: ['LABELER'], rb: ['LABELER'], radmin: ['ADMIN'] });
  const users = [added.ra.token, added.rb.token];
  await gqlOk(t.url, `mutation($p:ID!){ updateProject(id:$p, settings:{ retrainEvery: 3 }){ retrainEvery } }`, { p: fresh.projectId }, added.radmin.token);
  const jobs = async () =>
    (
      await t.sql<{ n: number }[]>`
    select count(*)::int as n from training_jobs where project_id = ${fresh.projectId}`
    )[0].n;
  const labelOne = async () => {
    for (const token of users) {
      const n = await gqlOk(t.url, NEXT_SLICE, { p: fresh.projectId }, token);
      await gqlOk(t.url, `mutation($s:ID!,$v:Int!){ submitLabel(sliceId:$s,value:$v){ ok } }`, { s: n.nextSlice.slice.id, v: 0 }, token);
    }
  };
  await labelOne();
  await labelOne();
  // The round is queued after the label's answer, so "nothing was queued" needs a window in which
  // it would have been; the window is the thing under test [TW1].
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await jobs(), 0, 'two final labels: below retrainEvery');
  await labelOne();
  await eventually(async () => (await jobs()) > 0, { timeoutMs: 5000, intervalMs: 100, what: 'the third final label to queue a round' });
  assert.equal(await jobs(), 1, 'the third final label queued one round');
});

test("[TA5] leads export the selection log and every version's predictions, with the split and the final label", async () => {
  const get = async (kind: string, format: 'csv' | 'json') => {
    const r = await fetch(`${t.url}/export/${projectId}/${kind}.${format}`, { headers: { authorization: `Bearer ${lead}` } });
    assert.equal(r.status, 200, kind);
    return r.text();
  };
  const [cur] = await t.sql<{ id: string; round: number }[]>`select id, round from model_versions where project_id = ${projectId} and status = 'CURRENT'`;
  const logRows = await t.sql<
    { sliceId: string; rank: number }[]
  >`select slice_id, rank from selection_log where project_id = ${projectId} and model_version_id = ${cur.id}`;
  assert.ok(logRows.length > 0);
  const log = JSON.parse(await get('selection-log', 'json')) as {
    sop_uid: string;
    model_round: number;
    model_version_id: string;
    strategy: string;
    rank: number;
    score: number;
    final_value: number | null;
  }[];
  const ofCurrent = log.filter((r) => r.model_version_id === cur.id);
  assert.equal(ofCurrent.length, logRows.length);
  assert.deepEqual(
    ofCurrent.map((r) => r.rank).sort((a, b) => a - b),
    logRows.map((r) => r.rank).sort((a, b) => a - b),
  );
  assert.ok(ofCurrent.every((r) => r.model_round === cur.round && r.strategy === 'entropy' && Number.isFinite(r.score)));
  const csv = (await get('selection-log', 'csv')).trim().split('\n');
  assert.equal(csv[0], 'study_uid,series_uid,sop_uid,position,model_round,model_version_id,strategy,mode,score,rank,selected_at,final_value');
  assert.equal(csv.length - 1, log.length);

  const preds = JSON.parse(await get('predictions', 'json')) as {
    sop_uid: string;
    model_version_id: string;
    probability: number;
    split: string;
    final_value: number | null;
    threshold: number;
  }[];
  const mine = preds.filter((p) => p.model_version_id === cur.id);
  assert.equal(mine.length, slices.length, 'one probability per slice of the project');
  const bySplit = (sp: string) => mine.filter((p) => p.split === sp).length;
  assert.equal(bySplit('test'), testIds.size, 'test-set slices are marked test');
  assert.ok(bySplit('train') > 0 && bySplit('validation') > 0);
  assert.ok(mine.every((p) => p.probability >= 0 && p.probability <= 1 && Number.isFinite(p.threshold)));
  // Final labels ride along: the test slices all have one.
  assert.ok(mine.filter((p) => p.split === 'test').every((p) => p.final_value === 0 || p.final_value === 1));
  // Exactly the declared columns, which are de-identified UIDs only (no pseudonym, no cohort):
  // the JSON rows and the CSV header cannot drift apart.
  assert.deepEqual(Object.keys(preds[0]), EXPORT_COLUMNS.predictions);
  assert.deepEqual(Object.keys(log[0]), EXPORT_COLUMNS['selection-log']);
  const [{ n }] = await t.sql<
    { n: number }[]
  >`select count(*)::int as n from audit_log where project_id = ${projectId} and action = 'EXPORT' and payload->>'kind' in ('selection-log', 'predictions')`;
  assert.equal(n, 3, 'every export is audited');
});

test('[TA6] abandoned export downloads free their database connections (more aborts than the pool has connections, then the API still answers)', async () => {
  // ~300 versions × 64 slices ≈ 19,000 prediction rows, several MB: far more than socket buffers.
  await t.sql`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    select ${projectId}, 1000 + g, 'RETIRED', 'tiny-random', 'wasm', 'entropy', 1, '{"test":[],"train":[],"val":[]}'::jsonb, '{"threshold":0.5}'::jsonb
      from generate_series(1, 300) g`;
  await t.sql`
    insert into predictions (model_version_id, slice_id, probability)
    select m.id, s.id, random() from model_versions m, slices s
     where m.project_id = ${projectId} and m.round > 1000 and s.project_id = ${projectId}`;
  try {
    for (let i = 0; i < 24; i++) {
      const ac = new AbortController();
      const r = await fetch(`${t.url}/export/${projectId}/predictions.csv`, { headers: { authorization: `Bearer ${lead}` }, signal: ac.signal });
      assert.equal(r.status, 200);
      await r.body!.getReader().read();
      ac.abort();
    }
    await within(
      gqlOk(t.url, `query($p:ID!){ modelVersions(projectId:$p){ id } }`, { p: projectId }, lead),
      10_000,
      'the API answering after 24 abandoned downloads (its pool has 20 connections)',
    );
    // And a whole download still arrives complete.
    const full = await fetch(`${t.url}/export/${projectId}/predictions.csv`, { headers: { authorization: `Bearer ${lead}` } });
    const lines = (await full.text()).trim().split('\n').length - 1;
    const [{ n }] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from predictions p join model_versions m on m.id = p.model_version_id where m.project_id = ${projectId}`;
    assert.equal(lines, n);
  } finally {
    await t.sql`delete from predictions where model_version_id in (select id from model_versions where project_id = ${projectId} and round > 1000)`;
    await t.sql`delete from model_versions where project_id = ${projectId} and round > 1000`;
  }
});

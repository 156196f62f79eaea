/**
 * The demo's project with history (issue #18), seeded by the demo's own code into a fresh
 * database and looked at through the real API, as the lead, the adjudicator and the labelers.
 */
import { test, after } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { startTestApi, gqlOk, login, connectSocket, SUBMIT } from './helpers/api.js';
import { fileStoreFor } from '@concord/db';
import { prepareDemoData, DEMO_PASSWORD, DEMO_PROJECT, HISTORY_PROJECT, DemoProgress } from '@concord/demo';
import { startTrainerWorker } from '../services/trainer/src/jobs/worker.js';
import { PIXELS_KIND } from '../services/trainer/src/model/backbone.js';
import type { ServerEvent } from '@concord/contracts';

const t = await startTestApi('demohistory');
// The phantom (about 1,200 files) and the file store are this file's; the helper leaves the dir.
after(() => fs.rmSync(t.dataDir, { recursive: true, force: true }));
const store = fileStoreFor(t.dataDir);
const started = Date.now();
const first = await prepareDemoData(t.sql, store, {
  dataDir: t.dataDir,
  patients: Number(process.env.DEMO_TEST_PATIENTS || 40),
  secret: 'demo-history-test',
  progress: new DemoProgress(),
});
const seedSeconds = (Date.now() - started) / 1000;
console.log(`# first run: ${seedSeconds.toFixed(1)} s`);
const projectId = first.historyProjectId!;
const tokens = Object.fromEntries(
  await Promise.all(['lead', 'adjudicator', 'reader1', 'reader2', 'reader3'].map(async (u) => [u, await login(t.url, u, DEMO_PASSWORD)] as const)),
);

test('[DM1] the lead finds the history project with its learning curve, screening, agreement with intervals and selection log', async () => {
  const { projects } = await gqlOk<{ projects: { id: string; name: string }[] }>(t.url, '{ projects { id name } }', {}, tokens.lead);
  assert.deepEqual(projects.map((p) => p.name).sort(), [DEMO_PROJECT, HISTORY_PROJECT].sort(), 'both demo projects, and no unfinished one');
  assert.equal(projects.find((p) => p.name === HISTORY_PROJECT)!.id, projectId);

  const d = await gqlOk(
    t.url,
    `query($p:ID!){
    learningCurve(projectId:$p){ round labelCount auc modelVersionId }
    modelVersions(projectId:$p){ id round status backbone createdAt metrics { auc aucLow aucHigh testPatients } }
    agreement(projectId:$p){ pairs kappa kappaLow kappaHigh percentAgreement readerPairs { readerA readerB pairs kappa } }
    project(id:$p){ retrainEvery progress { slices readsDone readsRequired finalLabels openAdjudications } } }`,
    { p: projectId },
    tokens.lead,
  );
  const curve = d.learningCurve as { round: number; labelCount: number; auc: number | null }[];
  assert.ok(curve.length >= 3, `≥ 3 rounds on the learning curve (${curve.length})`);
  assert.ok(
    curve.every((c, i) => i === 0 || c.labelCount > curve[i - 1].labelCount),
    'each round trained on more labels',
  );
  assert.ok(
    curve.every((c) => c.auc !== null && c.auc > 0.5),
    `every round measured on the test set and better than chance: ${curve.map((c) => c.auc?.toFixed(3)).join(', ')}`,
  );
  for (const v of d.modelVersions) {
    assert.ok(v.metrics.aucLow <= v.metrics.auc && v.metrics.auc <= v.metrics.aucHigh, `round ${v.round}: AUC with its interval`);
    // As the simulation does without weights: the stand-in, and its id says so (the lead page's note keys on it).
    assert.match(v.backbone, /^pixels/, 'the pixels stand-in backbone, named as such');
  }
  assert.equal(d.modelVersions.filter((v: { status: string }) => v.status === 'CURRENT').length, 1);

  const p = d.project.progress;
  const share = p.readsDone / p.readsRequired;
  assert.ok(share > 0.5 && share < 0.7, `about 60% of reads given (${p.readsDone}/${p.readsRequired})`);
  assert.ok(p.openAdjudications > 0, 'part of the disagreements wait for the adjudicator');
  assert.ok(d.project.retrainEvery > 0 && d.project.retrainEvery <= 20, 'retraining is set low, so visitors see a round');

  const a = d.agreement;
  assert.ok(a.pairs > 100, `agreement over many pairs (${a.pairs})`);
  assert.ok(a.kappaLow < a.kappa && a.kappa < a.kappaHigh && a.kappa > 0.5, `kappa with its interval: ${a.kappaLow}–${a.kappa}–${a.kappaHigh}`);
  assert.ok(a.percentAgreement > 0.85 && a.percentAgreement < 1, `readers disagree sometimes, like the study's (${a.percentAgreement})`);
  assert.ok(a.readerPairs.length >= 2, 'agreement per pair of readers');

  const current = d.modelVersions.find((v: { status: string }) => v.status === 'CURRENT');
  const s = await gqlOk(
    t.url,
    `query($m:ID!){ screening(modelVersionId:$m){ row { sensitivity sensitivityLow sensitivityHigh specificity truePositives falseNegatives trueNegatives falsePositives } roc { minPositiveSlices } } }`,
    { m: current.id },
    tokens.lead,
  );
  const row = s.screening.row;
  assert.ok(row.truePositives + row.falseNegatives > 0 && row.trueNegatives + row.falsePositives > 0, 'the test set holds DCM and control patients');
  assert.ok(row.sensitivityLow <= row.sensitivity && row.sensitivity <= row.sensitivityHigh, 'screening sensitivity with its interval');
  assert.equal(s.screening.roc.length, 11);

  const res = await fetch(`${t.url}/export/${projectId}/selection-log.csv`, { headers: { authorization: `Bearer ${tokens.lead}` } });
  assert.equal(res.status, 200);
  const lines = (await res.text()).trim().split('\n');
  const header = lines[0].split(',');
  const rounds = new Set(lines.slice(1).map((l) => l.split(',')[header.indexOf('model_round')]));
  assert.ok(rounds.size >= 3, `the selection log holds every round's choices (${[...rounds].join(', ')})`);
  assert.ok(
    lines.slice(1).some((l) => l.split(',')[header.indexOf('final_value')] !== ''),
    'selected slices were then labelled',
  );
});

test("[DM1] labelers are served the current model's ranking first; the adjudicator has disagreements to settle", async () => {
  const [current] = await t.sql<{ id: string }[]>`select current_model_version_id as id from projects where id = ${projectId}`;
  for (const reader of ['reader1', 'reader3']) {
    const d = await gqlOk(t.url, 'query($p:ID!){ nextSlices(projectId:$p, count:1){ slice { id } } }', { p: projectId }, tokens[reader]);
    assert.equal(d.nextSlices.length, 1, `${reader} has work`);
    const [ranked] =
      await t.sql`select rank from uncertainty_scores where model_version_id = ${current.id} and slice_id = ${d.nextSlices[0].slice.id} and rank is not null`;
    assert.ok(ranked, `${reader}'s next slice is ranked by the current version`);
  }
  const q = await gqlOk(t.url, 'query($p:ID!){ adjudicationQueue(projectId:$p){ id } }', { p: projectId }, tokens.adjudicator);
  assert.ok(q.adjudicationQueue.length > 0, 'the adjudicator has open items');
});

test('[DM3] reader activity lies in past working days, in the order it happened, and the append-only guards are back', async () => {
  const days = await t.sql<{ day: string; n: number }[]>`
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n from reads where project_id = ${projectId} group by 1 order by 1`;
  assert.ok(days.length >= 4, `reads over ≥ 4 days: ${days.map((d) => `${d.day} ${d.n}`).join(', ')}`);
  const [span] = await t.sql<{ latest: Date; hours: number[] }[]>`
    select max(created_at) as latest, array_agg(distinct extract(hour from created_at at time zone 'UTC')::int) as hours from reads where project_id = ${projectId}`;
  assert.ok(span.latest.getTime() < Date.now() - 3_600_000, 'all of it before today');
  assert.ok(
    span.hours.every((h) => h >= 8 && h <= 17),
    `within working hours (UTC): ${span.hours.join(', ')}`,
  );
  // Each version was made after exactly the labels it trained on, and no label came after the last one.
  const versions = await t.sql<{ round: number; labelCount: number; before: number }[]>`
    select m.round, m.label_count,
           (select count(*)::int from final_labels f join slices s on s.id = f.slice_id join series se on se.id = s.series_id
              join studies st on st.id = se.study_id join patients pt on pt.id = st.patient_id
             where f.project_id = m.project_id and not pt.is_test and f.decided_at < m.created_at) as before
      from model_versions m where m.project_id = ${projectId} order by m.round`;
  for (const v of versions) assert.equal(v.before, v.labelCount, `round ${v.round}: its ${v.labelCount} training labels were all decided before it`);
  const [{ after }] = await t.sql<{ after: number }[]>`
    select count(*)::int as after from final_labels where project_id = ${projectId} and decided_at > (select max(created_at) from model_versions where project_id = ${projectId})`;
  assert.equal(after, 0, "no label waits for a round: the visitor's labels are what trigger the next");
  const [{ bad }] = await t.sql<{ bad: number }[]>`
    select count(*)::int as bad from reads r join adjudication_items i on i.slice_id = r.slice_id join adjudications d on d.item_id = i.id
     where r.project_id = ${projectId} and not (r.created_at <= i.opened_at and i.opened_at <= d.created_at)`;
  assert.equal(bad, 0, 'every adjudication after its item opened, after both reads');
  await assert.rejects(t.sql`update reads set value = value where project_id = ${projectId}`, /append-only|not allowed|forbid/i);
  await assert.rejects(t.sql`delete from final_labels where project_id = ${projectId}`, /append-only|not allowed|forbid/i);
});

test('[DM2] a later run keeps everything as it is, and takes seconds', async () => {
  const before =
    await t.sql`select (select count(*) from reads) as reads, (select count(*) from projects) as projects, (select count(*) from model_versions) as versions`;
  const t0 = Date.now();
  const again = await prepareDemoData(t.sql, store, { dataDir: t.dataDir, patients: 40, secret: 'demo-history-test', progress: new DemoProgress() });
  const seconds = (Date.now() - t0) / 1000;
  assert.deepEqual(again, { created: [], historyProjectId: null });
  assert.deepEqual(
    await t.sql`select (select count(*) from reads) as reads, (select count(*) from projects) as projects, (select count(*) from model_versions) as versions`,
    before,
  );
  assert.ok(seconds < 10, `later run prepared in ${seconds.toFixed(1)} s`);
});

test('[DM5] labels given by two readers on the history project start the next round, which arrives live', async () => {
  const [{ retrainEvery: every }] = await t.sql<{ retrainEvery: number }[]>`select retrain_every from projects where id = ${projectId}`;
  const worker = await startTrainerWorker(t.sql, { store, backbone: { kind: PIXELS_KIND }, embedWorkers: 0, pollingIntervalSeconds: 0.5, log: () => {} });
  const lead = await connectSocket(t.url, tokens.lead, projectId);
  const reader = await connectSocket(t.url, tokens.reader1, projectId);
  try {
    const [{ n: versionsBefore }] = await t.sql<{ n: number }[]>`select count(*)::int as n from model_versions where project_id = ${projectId}`;
    // Two readers take what they are served, as visitors in two browsers would, until retrain_every slices have a final label.
    const fresh = async () =>
      (
        await t.sql<{ n: number }[]>`
      select count(*)::int as n from final_labels where project_id = ${projectId} and decided_at > (select max(created_at) from model_versions where project_id = ${projectId})`
      )[0].n;
    let labels = 0;
    while ((await fresh()) < every) {
      assert.ok(labels < 6 * every, `${labels} labels gave fewer than ${every} final labels`);
      for (const r of ['reader1', 'reader2']) {
        const d = await gqlOk(t.url, 'query($p:ID!){ nextSlice(projectId:$p){ id slice { id } } }', { p: projectId }, tokens[r]);
        await gqlOk(t.url, SUBMIT, { s: d.nextSlice.slice.id, v: 0, c: d.nextSlice.id }, tokens[r]);
        labels++;
      }
    }
    const round = (await lead.waitFor((e: ServerEvent) => e.type === 'training:round' && e.projectId === projectId, 120_000)) as Extract<
      ServerEvent,
      { type: 'training:round' }
    >;
    assert.equal(round.round, versionsBefore + 1, 'the next round ran');
    await reader.waitFor((e: ServerEvent) => e.type === 'queue:reprioritised' && e.projectId === projectId, 30_000);
    // reader2 holds no lease from before the round (reader1 and reader3 kept one from the test above).
    const d = await gqlOk(t.url, 'query($p:ID!){ nextSlices(projectId:$p, count:1){ slice { id } } }', { p: projectId }, tokens.reader2);
    const [ranked] =
      await t.sql`select 1 from uncertainty_scores where model_version_id = ${round.modelVersionId} and slice_id = ${d.nextSlices[0].slice.id} and rank is not null`;
    // Labelers are not told (EV8: no per-slice selection cue); the database says which slice it was.
    assert.ok(ranked, "labelers are now served the new model's ranking");
  } finally {
    await worker.stop();
  }
});

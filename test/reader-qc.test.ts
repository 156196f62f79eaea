/**
 * Reader quality control (apps/api/src/reader-qc/SPEC.md): gold slices served through the real
 * API, kept apart from independent reads, per-reader Wilson figures, the drift flag and pause.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startTestApi, seedProject, addUsers, gql, gqlOk, errorCode, NEXT_SLICE, SUBMIT, connectSocket } from './helpers/api.js';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { EMPTY_TABLE, proportion, quantile, readerPerformance, type GoldReadFact } from '../apps/api/src/reader-qc/performance.js';
import { parseGoldCsv } from '../apps/api/src/reader-qc/gold-csv.js';
import { goldFromFinals } from '../apps/api/src/reader-qc/gold.service.js';
import { generatePhantom, SLICES_CSV_NAME } from '@concord/phantom';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { LocalFileStore } from '@concord/db';
import { pseudonymousUid } from '../apps/api/src/ingest/pseudonym.js';

const t = await startTestApi('readerqc');

const ADD_GOLD = `mutation($p:ID!,$items:[GoldItemInput!]!){ addGoldSlices(projectId:$p, items:$items) }`;
const RESUME = `mutation($p:ID!,$u:ID!){ resumeReader(projectId:$p, userId:$u) }`;
const PERF = `query($p:ID!){ readerPerformance(projectId:$p){ reader userId reads goldReads
  goldAccuracy { value low high method patients slices } goldSensitivity { value low high method slices }
  goldSpecificity { value low high method slices } rollingGoldAccuracy { value low high slices }
  goldTrend { fromGoldRead toGoldRead accuracy { value slices } }
  medianSecondsPerRead p90SecondsPerRead timedReads fastReads flagged paused insufficient
  agreementWithOthers { pairs percentAgreement kappa kappaLow kappaHigh } intraReader { pairs kappa } } }`;

const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 5e-4, `${msg}: ${a} vs ${b}`);
const fact = (value: number, expected: number, patientId = 'p'): GoldReadFact => ({ value, expected, patientId, at: new Date() });

test('[RQ7] Wilson intervals, hand-checked: 8/10 is 0.800 (0.490–0.943); 0/5 tops out at 0.434; 5/5 starts at 0.566', () => {
  const eight = proportion([...Array(8)].map(() => fact(1, 1)).concat([fact(0, 1), fact(0, 1)]), (f) => f.value === f.expected)!;
  close(eight.value, 0.8, 'value');
  close(eight.low, 0.4902, 'low');
  close(eight.high, 0.9433, 'high');
  assert.equal(eight.method, 'wilson');
  assert.equal(eight.slices, 10);
  const none = proportion(
    [...Array(5)].map(() => fact(1, 0)),
    (f) => f.value === f.expected,
  )!;
  assert.equal(none.low, 0);
  close(none.high, 0.4345, '0/5 high');
  const all = proportion(
    [...Array(5)].map(() => fact(1, 1)),
    (f) => f.value === f.expected,
  )!;
  close(all.low, 0.5655, '5/5 low');
  assert.equal(all.high, 1);
  assert.equal(
    proportion([fact(1, 1)], () => true),
    null,
    'withheld below 5',
  );
});

test('[RQ7][RQ8][RQ9][RQ11][RQ13] per-reader figures: sensitivity on gold positives, trend blocks, flag only when the whole interval is below', () => {
  // 25 gold reads: the first 20 right, the last 5 wrong; 10 gold positives of which 2 wrong.
  const gold = [...Array(25)].map((_, i) => fact(i < 20 ? i % 2 : 1 - (i % 2), i % 2, `p${i % 3}`));
  const withOthers = { n00: 40, n01: 10, n10: 5, n11: 45 };
  const r = readerPerformance(
    {
      userId: 'u',
      username: 'r',
      reads: 40,
      gold,
      seconds: [1, 3, 4, 10, 30],
      screenSeconds: [2, 9, 4],
      paused: false,
      resumedAt: null,
      withOthers,
      repeats: { ...EMPTY_TABLE },
      calibration: { answers: [], total: 0, passed: null },
    },
    0.8,
  );
  assert.equal(r.goldReads, 25);
  close(r.goldAccuracy!.value, 20 / 25, 'accuracy');
  assert.equal(r.goldSensitivity!.slices, 12);
  close(r.goldSensitivity!.value, 10 / 12, 'sensitivity');
  assert.equal(r.goldAccuracy!.patients, 3);
  assert.deepEqual(
    r.goldTrend.map((w) => [w.fromGoldRead, w.toGoldRead, w.accuracy?.value ?? null]),
    [
      [1, 20, 1],
      [21, 25, 0],
    ],
  );
  // 20/25 over the window: interval (0.609, 0.911) straddles 0.8, so no flag despite the last five.
  assert.equal(r.flagged, false);
  assert.equal(r.medianSecondsPerRead, 4);
  assert.equal(r.p90SecondsPerRead, 30);
  assert.equal(r.fastReads, 1);
  assert.equal(r.medianScreenSeconds, 4);
  assert.equal(r.screenTimedReads, 3);
  assert.equal(thinOf(gold).medianScreenSeconds, null);
  assert.equal(quantile([], 0.5), null);
  // [RQ13] po 0.85, pe 0.5·0.55 + 0.5·0.45 = 0.5: κ = 0.70; no repeats, no figure.
  assert.equal(r.agreementWithOthers!.pairs, 100);
  close(r.agreementWithOthers!.percentAgreement, 0.85, 'agreement');
  close(r.agreementWithOthers!.kappa!, 0.7, 'kappa');
  assert.ok(r.agreementWithOthers!.kappaLow! < 0.7 && r.agreementWithOthers!.kappaHigh! > 0.7);
  assert.equal(r.intraReader, null);
  const thin = readerPerformance(
    {
      userId: 'u',
      username: 'r',
      reads: 0,
      gold: gold.slice(0, 3),
      seconds: [],
      screenSeconds: [],
      paused: false,
      resumedAt: null,
      withOthers: { ...EMPTY_TABLE },
      repeats: { ...EMPTY_TABLE },
      calibration: { answers: [], total: 0, passed: null },
    },
    0.8,
  );
  assert.deepEqual(thin.insufficient, [
    'goldAccuracy: insufficient: 3 gold reads',
    'goldSensitivity: insufficient: 1 gold positives',
    'goldSpecificity: insufficient: 2 gold negatives',
  ]);
});

function thinOf(gold: GoldReadFact[]) {
  return readerPerformance(
    {
      userId: 'u',
      username: 'r',
      reads: 0,
      gold,
      seconds: [],
      screenSeconds: [],
      paused: false,
      resumedAt: null,
      withOthers: { ...EMPTY_TABLE },
      repeats: { ...EMPTY_TABLE },
      calibration: { answers: [], total: 0, passed: null },
    },
    null,
  );
}

test('[RQ1] gold CSV parsing: slice_id or sop_uid, label or value; bad rows refused with the row number', () => {
  assert.deepEqual(
    parseGoldCsv('sop_uid,label\n1.2.3,1\n\n1.2.4,0\n').map((r) => [r.line, r.key.value, r.value]),
    [
      [2, '1.2.3', 1],
      [4, '1.2.4', 0],
    ],
  );
  assert.throws(() => parseGoldCsv('uid,label\n1.2,1\n'), /slice_id or sop_uid/);
  assert.throws(() => parseGoldCsv('sop_uid,label\n1.2,2\n'), /Row 2: label must be 0 or 1/);
  assert.throws(() => parseGoldCsv('slice_id,value\nnot-an-id,1\n'), /Row 2: slice_id "not-an-id" is not a slice id/);
  assert.throws(() => parseGoldCsv('sop_uid,label\n'), /no rows/);
});

test('[RQ1][RQ12] addGoldSlices: leads add, repeats are not re-added, bad items and labelers are refused', async () => {
  const p = await seedProject(t, { slicesPerSeries: 3, series: 1, users: { lead: ['LEAD'], lab: ['LABELER'] } });
  const other = await seedProject(t, { slicesPerSeries: 1, series: 1, users: {} });
  const items = [
    { sliceId: p.sliceIds[0], value: 1 },
    { sliceId: p.sliceIds[1], value: 0 },
  ];
  assert.equal((await gqlOk(t.url, ADD_GOLD, { p: p.projectId, items }, p.users.lead.token)).addGoldSlices, 2);
  assert.equal((await gqlOk(t.url, ADD_GOLD, { p: p.projectId, items }, p.users.lead.token)).addGoldSlices, 0, 'already gold');
  assert.equal(errorCode(await gql(t.url, ADD_GOLD, { p: p.projectId, items }, p.users.lab.token)), 'FORBIDDEN');
  assert.equal(errorCode(await gql(t.url, PERF, { p: p.projectId }, p.users.lab.token)), 'FORBIDDEN');
  const foreign = await gql(t.url, ADD_GOLD, { p: p.projectId, items: [{ sliceId: other.sliceIds[0], value: 1 }] }, p.users.lead.token);
  assert.equal(errorCode(foreign), 'BAD_INPUT');
  assert.match(foreign.errors![0].message, /Item 1: no such slice in this project/);
  assert.equal(errorCode(await gql(t.url, ADD_GOLD, { p: p.projectId, items: [{ sliceId: p.sliceIds[2], value: 2 }] }, p.users.lead.token)), 'BAD_INPUT');
  assert.equal(errorCode(await gql(t.url, ADD_GOLD, { p: p.projectId, items: [{ sliceId: 'nope', value: 1 }] }, p.users.lead.token)), 'BAD_INPUT');
  const conflicting = [
    { sliceId: p.sliceIds[2], value: 1 },
    { sliceId: p.sliceIds[2], value: 0 },
  ];
  assert.equal(errorCode(await gql(t.url, ADD_GOLD, { p: p.projectId, items: conflicting }, p.users.lead.token)), 'BAD_INPUT');
  const [n] = await t.sql`select count(*)::int as n from gold_slices where project_id = ${p.projectId}`;
  assert.equal(n.n, 2, 'refused batches wrote nothing');
  const [audit] = await t.sql`select payload from audit_log where project_id = ${p.projectId} and action = 'GOLD_SLICES_ADDED' order by id limit 1`;
  assert.equal(audit.payload.added, 2);
});

/** One reader's turn: lease, answer (right or wrong on gold, as told), and say whether it was gold. */
async function readOnce(token: string, projectId: string, answerGold: (expected: number) => number): Promise<'gold' | 'read' | 'none'> {
  const a = await gqlOk(t.url, NEXT_SLICE, { p: projectId }, token);
  if (!a.nextSlice) return 'none';
  const [row] = await t.sql<{ isGold: boolean; expected: number | null }[]>`
    select a.is_gold, g.value as expected from assignments a left join gold_slices g on g.slice_id = a.slice_id where a.id = ${a.nextSlice.id}`;
  const value = row.isGold ? answerGold(row.expected!) : 0;
  await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: value }, token);
  return row.isGold ? 'gold' : 'read';
}

test('[RQ2][RQ4][RQ5] gold reads from finals: served on goldRate, stored apart; reads, final labels, adjudication and agreement unchanged', async () => {
  const p = await seedProject(t, {
    slicesPerSeries: 6,
    series: 3,
    users: { r1: ['LABELER'], r2: ['LABELER'], r3: ['LABELER'], lead2: ['LEAD'], admin2: ['ADMIN'] },
  });
  // r1 and r2 read series 0 (all agree, values by position) and nothing else: finals by consensus.
  const series0 = p.sliceIds.slice(0, 6);
  await t.sql`update projects set gold_rate = 0 where id = ${p.projectId}`;
  for (const who of ['r1', 'r2']) {
    for (let i = 0; i < 6; i++) {
      const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users[who].token);
      assert.ok(series0.includes(a.nextSlice.slice.id));
      await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: series0.indexOf(a.nextSlice.slice.id) % 2 }, p.users[who].token);
    }
  }
  const { added } = await goldFromFinals(t.sql, p.projectId, 100, null);
  assert.equal(added, 6, 'every unanimous two-reader final is fit for gold');
  // The setting goes through the admin's updateProject, bounds checked.
  const bad = await gql(t.url, `mutation($p:ID!){ updateProject(id:$p, settings:{goldRate:0.9}){ goldRate } }`, { p: p.projectId }, p.users.admin2.token);
  assert.equal(errorCode(bad), 'BAD_INPUT');
  const set = await gqlOk(t.url, `mutation($p:ID!){ updateProject(id:$p, settings:{goldRate:0.5}){ goldRate } }`, { p: p.projectId }, p.users.admin2.token);
  close(set.updateProject.goldRate, 0.5, 'goldRate');

  const snapshot = async () => ({
    finals: await t.sql`select slice_id, value, source from final_labels where project_id = ${p.projectId} order by slice_id`,
    reads:
      await t.sql`select id, slice_id, user_id, value, is_repeat from reads where project_id = ${p.projectId} and slice_id = any(${series0}::uuid[]) order by id`,
    done: await t.sql`select id, reads_done from slices where id = any(${series0}::uuid[]) order by id`,
    items: await t.sql`select slice_id from adjudication_items where project_id = ${p.projectId}`,
    agreement: (await gqlOk(t.url, `query($p:ID!){ agreement(projectId:$p){ pairs kappa table } }`, { p: p.projectId }, p.users.lead2.token)).agreement,
  });
  const before = await snapshot();
  let gold = 0;
  for (let i = 0; i < 12; i++) if ((await readOnce(p.users.r3.token, p.projectId, (e) => 1 - e)) === 'gold') gold++;
  assert.ok(gold >= 1, `r3 was served gold slices at goldRate 0.5 (${gold} of 12)`);
  const [g] = await t.sql`select count(*)::int as n, count(*) filter (where value <> expected)::int as wrong from gold_reads where user_id = ${p.users.r3.id}`;
  assert.deepEqual({ n: g.n, wrong: g.wrong }, { n: gold, wrong: gold });
  assert.deepEqual(await snapshot(), before, 'gold reads changed nothing of the reads, finals, adjudication or agreement');
  const [rp] = await t.sql`select reads from labeler_counts where project_id = ${p.projectId} and user_id = ${p.users.r3.id}`;
  assert.equal(rp.reads, 12, "each gold read counts as one of the reader's own reads [RQ5]");
  const exported = await fetch(`${t.url}/export/${p.projectId}/reads.json`, { headers: { authorization: `Bearer ${p.users.lead2.token}` } });
  const rows = (await exported.json()) as unknown[];
  assert.equal(rows.length, 12 + (12 - gold), 'the reads export holds independent reads only');
  assert.ok(
    (rows as { seconds: number | null }[]).slice(12).every((r) => typeof r.seconds === 'number' && r.seconds >= 0),
    'reads carry their server-measured seconds',
  );
  const goldExport = await fetch(`${t.url}/export/${p.projectId}/gold-reads.json`, { headers: { authorization: `Bearer ${p.users.lead2.token}` } });
  const goldRows = (await goldExport.json()) as { reader: string; value: number; expected: number; correct: boolean; gold_source: string }[];
  assert.equal(goldRows.length, gold);
  assert.ok(
    goldRows.every((r) => r.correct === false && r.value === 1 - r.expected && r.gold_source === 'FINAL' && /^R-[0-9a-f]{10}$/.test(r.reader)),
    'readers as pseudonyms, never names',
  );

  const perf = (await gqlOk(t.url, PERF, { p: p.projectId }, p.users.lead2.token)).readerPerformance as any[];
  const r3 = perf.find((r) => r.reader === 'r3');
  assert.equal(r3.goldReads, gold);
  assert.equal(r3.reads, 12 - gold);
  assert.equal(r3.timedReads, 12, 'every read and gold read is timed by the server [RQ11]');
  assert.ok(r3.medianSecondsPerRead >= 0 && r3.p90SecondsPerRead >= r3.medianSecondsPerRead);
  assert.equal(perf.find((r) => r.reader === 'r1').goldReads, 0);
  // The same figures as an export, readers as the pseudonyms the reads export uses.
  const perfCsv = await (
    await fetch(`${t.url}/export/${p.projectId}/reader-performance.csv`, { headers: { authorization: `Bearer ${p.users.lead2.token}` } })
  ).text();
  const [header, ...lines] = perfCsv.trim().split('\n');
  assert.ok(header.startsWith('reader,reads,gold_reads,gold_accuracy,gold_accuracy_low,gold_accuracy_high'));
  assert.equal(lines.length, perf.length);
  const pseudonyms = new Set(rows.map((r) => (r as { reader: string }).reader));
  assert.ok(lines.every((l) => /^R-[0-9a-f]{10},/.test(l)) && !perfCsv.includes('r3'), 'pseudonyms, never usernames');
  const r3Line = lines.find((l) => Number(l.split(',')[2]) === gold && Number(l.split(',')[1]) === 12 - gold)!;
  assert.ok(pseudonyms.has(r3Line.split(',')[0]), 'the same pseudonym as in reads.json');
  // r1 and r2 agreed on all six slices; gold reads add no pair [RQ4][RQ13].
  assert.deepEqual(perf.find((r) => r.reader === 'r1').agreementWithOthers, { pairs: 6, percentAgreement: 1, kappa: 1, kappaLow: 1, kappaHigh: 1 });
});

test('[RQ3][AS10] a gold lease holds no place: an open gold slice can still be read independently', async () => {
  const labelers = Object.fromEntries([...Array(12)].map((_, i) => [`h${i}`, ['LABELER']])) as Record<string, ['LABELER']>;
  const p = await seedProject(t, { slicesPerSeries: 1, series: 1, reads: 1, users: { lead3: ['LEAD'], ...labelers } });
  const x = p.sliceIds[0];
  await gqlOk(t.url, ADD_GOLD, { p: p.projectId, items: [{ sliceId: x, value: 1 }] }, p.users.lead3.token);
  await t.sql`update projects set gold_rate = 0.5 where id = ${p.projectId}`;
  // Each labeler's first lease is gold with probability 1/2; stop at the first gold one.
  let goldHolder: string | undefined;
  for (const name of Object.keys(labelers)) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users[name].token);
    if (!a.nextSlice) break;
    const [row] = await t.sql`select is_gold from assignments where id = ${a.nextSlice.id}`;
    if (row.isGold) {
      goldHolder = name;
      break;
    }
    // A plain lease holds the only place: release it so the next labeler can try.
    await t.sql`update assignments set status = 'RELEASED', closed_at = now() where id = ${a.nextSlice.id}`;
  }
  assert.ok(goldHolder, 'one of 12 labelers drew a gold lease at rate 1/2');
  const others = Object.keys(labelers).filter((n) => n !== goldHolder);
  let independent: string | undefined;
  for (const name of others) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users[name].token);
    assert.equal(a.nextSlice?.slice.id, x, 'the slice is still open to an independent read');
    const [row] = await t.sql`select is_gold from assignments where id = ${a.nextSlice.id}`;
    if (!row.isGold) {
      independent = name;
      break;
    }
  }
  assert.ok(independent);
  await gqlOk(t.url, SUBMIT, { s: x, v: 0 }, p.users[independent].token);
  await gqlOk(t.url, SUBMIT, { s: x, v: 1 }, p.users[goldHolder].token);
  const [f] = await t.sql`select value, source from final_labels where slice_id = ${x}`;
  assert.deepEqual({ value: f.value, source: f.source }, { value: 0, source: 'SINGLE_READ' }, 'the final is the independent read, not the gold read');
  const [s] = await t.sql`select reads_done from slices where id = ${x}`;
  assert.equal(s.readsDone, 1);
  // Duplicates and changes on a gold read follow LB2/LB3.
  assert.equal((await gqlOk(t.url, SUBMIT, { s: x, v: 1 }, p.users[goldHolder].token)).submitLabel.duplicate, true);
  assert.equal(errorCode(await gql(t.url, SUBMIT, { s: x, v: 0 }, p.users[goldHolder].token)), 'ALREADY_LABELLED');
});

test('[RQ9][RQ10] a reader who answers gold wrongly on purpose is flagged and paused, a good one is not; a lead resumes', async () => {
  const p = await seedProject(t, { slicesPerSeries: 10, series: 4, reads: 1, users: { bad: ['LABELER'], good: ['LABELER'], lead4: ['LEAD'] } });
  // Gold from the end of the queue. A regular read of a gold slice makes it no longer gold for that
  // reader, so 16 gold slices at the front were used up within 16 leases, each gold with chance ½:
  // fewer than 5 gold reads had P(Binomial(16, ½) ≤ 4) ≈ 4%, and one run here served only 4.
  const gold = p.sliceIds.slice(-16).map((sliceId, i) => ({ sliceId, value: i % 2 }));
  await gqlOk(t.url, ADD_GOLD, { p: p.projectId, items: gold }, p.users.lead4.token);
  await t.sql`update projects set gold_rate = 0.5, gold_flag_below = 0.8, pause_flagged_readers = true where id = ${p.projectId}`;
  const leadSock = await connectSocket(t.url, p.users.lead4.token, p.projectId);
  const goodSock = await connectSocket(t.url, p.users.good.token, p.projectId);

  const untilGold = async (who: string, answer: (e: number) => number, n: number) => {
    let got = 0;
    for (let i = 0; i < 40 && got < n; i++) {
      const r = await readOnce(p.users[who].token, p.projectId, answer);
      if (r === 'none') break;
      if (r === 'gold') got++;
    }
    return got;
  };
  assert.equal(await untilGold('good', (e) => e, 5), 5);
  assert.equal(await untilGold('bad', (e) => 1 - e, 5), 5);
  const flagged = await leadSock.waitFor((e) => e.type === 'reader:flagged', 10_000);
  assert.ok(flagged.type === 'reader:flagged');
  assert.equal(flagged.reader, 'bad');
  assert.equal(flagged.paused, true);
  assert.equal(flagged.n, 5);
  close(flagged.high, 0.4345, 'the 0/5 interval is wholly below 0.8');
  assert.ok(!goodSock.events.some((e) => (e.type as string) === 'reader:flagged'), 'labelers never hear of flags');

  assert.equal((await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.bad.token)).nextSlice, null, 'paused: no new lease');
  const perf = (await gqlOk(t.url, PERF, { p: p.projectId }, p.users.lead4.token)).readerPerformance as any[];
  const bad = perf.find((r) => r.reader === 'bad');
  const good = perf.find((r) => r.reader === 'good');
  assert.deepEqual([bad.flagged, bad.paused, good.flagged, good.paused], [true, true, false, false]);
  assert.equal(bad.goldAccuracy.value, 0);
  close(bad.goldAccuracy.high, 0.4345, 'bad high');
  assert.equal(bad.goldAccuracy.method, 'wilson');
  assert.equal(good.goldAccuracy.value, 1);
  close(good.goldAccuracy.low, 0.5655, 'good low');

  assert.equal(errorCode(await gql(t.url, RESUME, { p: p.projectId, u: p.users.bad.id }, p.users.good.token)), 'FORBIDDEN');
  assert.equal(errorCode(await gql(t.url, RESUME, { p: p.projectId, u: 'nope' }, p.users.lead4.token)), 'NOT_FOUND');
  assert.equal((await gqlOk(t.url, RESUME, { p: p.projectId, u: p.users.bad.id }, p.users.lead4.token)).resumeReader, true);
  assert.equal((await gqlOk(t.url, RESUME, { p: p.projectId, u: p.users.bad.id }, p.users.lead4.token)).resumeReader, false, 'not paused any more');
  assert.ok((await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.bad.token)).nextSlice, 'resumed: leases again');
  const after = ((await gqlOk(t.url, PERF, { p: p.projectId }, p.users.lead4.token)).readerPerformance as any[]).find((r) => r.reader === 'bad');
  assert.deepEqual([after.flagged, after.paused], [false, false], 'the flag restarts from gold reads after the resume');
  const audit = await t.sql`select action, actor_id, entity_id from audit_log where project_id = ${p.projectId} and action like 'READER_%' order by id`;
  assert.deepEqual(
    audit.map((a) => [a.action, a.actorId, a.entityId]),
    [
      ['READER_PAUSED', null, p.users.bad.id],
      ['READER_RESUMED', p.users.lead4.id, p.users.bad.id],
    ],
  );
});

test('[RQ1] `gold import` takes the phantom ground-truth CSV as written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-gold-'));
  const secret = 'reader-qc-secret';
  const phantom = await generatePhantom({ patients: 1, outDir: path.join(dir, 'dicom'), seed: 3, rows: 64 });
  const p = await seedProject(t, { slicesPerSeries: 0, series: 0, users: {} });
  const summary = await ingest(t.sql, new LocalFileStore(path.join(dir, 'files')), {
    projectId: p.projectId,
    source: { kind: 'path', path: path.join(dir, 'dicom') },
    secret,
  });
  assert.ok(summary.accepted > 0);
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'apps/api/src/cli/concord.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: t.dbUrl, CONCORD_SECRET: secret, CONCORD_DATA_DIR: t.dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
  const csv = path.join(dir, 'dicom', SLICES_CSV_NAME);
  const r = cli('gold', 'import', csv, '--project', p.projectId);
  assert.equal(r.status, 0, r.stderr);
  const truth = phantom.patients.flatMap((x) => x.slices);
  assert.match(r.stdout, new RegExp(`gold slices: ${truth.length} added, 0 already gold \\(${truth.length} rows\\)`));
  const stored = await t.sql<{ sopUid: string; value: number; source: string }[]>`
    select s.sop_uid, g.value, g.source from gold_slices g join slices s on s.id = g.slice_id where g.project_id = ${p.projectId}`;
  const bySop = new Map(stored.map((x) => [x.sopUid, x.value]));
  for (const s of truth) assert.equal(bySop.get(pseudonymousUid(secret, s.sopUid)), s.label, `slice ${s.instanceNumber}`);
  assert.ok(stored.every((x) => x.source === 'IMPORT'));
  const again = cli('gold', 'import', csv, '--project', p.projectId);
  assert.match(again.stdout, new RegExp(`0 added, ${truth.length} already gold`));
  const other = await seedProject(t, { slicesPerSeries: 1, series: 1, users: {} });
  const wrong = cli('gold', 'import', csv, '--project', other.projectId);
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /Row 2: no slice of this project has sop_uid/);
  const missing = cli('gold', 'import', path.join(dir, 'nope.csv'), '--project', p.projectId);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /Cannot read/);
});

test('[RQ1] gold from final labels: only adjudicated or unanimous two-reader finals, never a single read', async () => {
  const p = await seedProject(t, { slicesPerSeries: 2, series: 1, reads: 1, users: { solo: ['LABELER'] } });
  for (let i = 0; i < 2; i++) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.solo.token);
    await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: 1 }, p.users.solo.token);
  }
  const r = await goldFromFinals(t.sql, p.projectId, 10, null);
  assert.deepEqual(r, { added: 0, available: 0 });
  void addUsers;
});

test('[RQ5] queue counters stay exact with gold reads on open slices, before and after those slices close', async () => {
  const p = await seedProject(t, { slicesPerSeries: 8, series: 1, reads: 2, users: { ca: ['LABELER'], cb: ['LABELER'], cc: ['LABELER'], clead: ['LEAD'] } });
  await gqlOk(t.url, ADD_GOLD, { p: p.projectId, items: p.sliceIds.slice(0, 4).map((sliceId, i) => ({ sliceId, value: i % 2 })) }, p.users.clead.token);
  await t.sql`update projects set gold_rate = 0.5 where id = ${p.projectId}`;
  const MY_PROGRESS = `query($p:ID!){ myProgress(projectId:$p){ queueSize readsDone } }`;
  const check = async (stage: string) => {
    for (const who of ['ca', 'cb', 'cc']) {
      const got = (await gqlOk(t.url, MY_PROGRESS, { p: p.projectId }, p.users[who].token)).myProgress;
      const [want] = await t.sql<{ queue: number; reads: number }[]>`
        select (select count(*)::int from slices s where s.project_id = ${p.projectId} and s.reads_done < s.reads_required
                   and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = ${p.users[who].id} and not r.is_repeat)
                   and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = ${p.users[who].id})
                   and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = ${p.users[who].id})) as queue,
               (select count(*)::int from reads where project_id = ${p.projectId} and user_id = ${p.users[who].id})
               + (select count(*)::int from gold_reads where project_id = ${p.projectId} and user_id = ${p.users[who].id}) as reads`;
      assert.deepEqual(got, { queueSize: want.queue, readsDone: want.reads }, `${who} ${stage}`);
    }
  };
  let gold = 0;
  for (let i = 0; i < 6; i++) if ((await readOnce(p.users.ca.token, p.projectId, (e) => e)) === 'gold') gold++;
  await check(`after ca's ${gold} gold reads`);
  for (const who of ['cb', 'cc']) while ((await readOnce(p.users[who].token, p.projectId, (e) => e)) !== 'none');
  await check('after cb and cc read everything they could');
  const [open] = await t.sql`select count(*)::int as n from slices where project_id = ${p.projectId} and reads_done < reads_required`;
  while ((await readOnce(p.users.ca.token, p.projectId, (e) => e)) !== 'none');
  await check(`after ca finished (${open.n} slices were open)`);
  const [left] = await t.sql`select count(*)::int as n from slices where project_id = ${p.projectId} and reads_done < reads_required`;
  assert.equal(left.n, 0, 'every slice closed: a gold read held no slice back');
});

test('[RQ14] on-screen seconds from the client: negative refused, bounded at an hour, only in statistics and exports', async () => {
  const p = await seedProject(t, { slicesPerSeries: 3, series: 1, reads: 1, users: { screen: ['LABELER'], slead: ['LEAD'] } });
  const WITH_SCREEN = `mutation($s:ID!,$v:Int!,$x:Float){ submitLabel(sliceId:$s, value:$v, screenSeconds:$x){ ok duplicate } }`;
  const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.screen.token);
  const refused = await gql(t.url, WITH_SCREEN, { s: a.nextSlice.slice.id, v: 1, x: -1 }, p.users.screen.token);
  assert.equal(errorCode(refused), 'BAD_INPUT');
  assert.match(refused.errors![0].message, /0 or more seconds/);
  await gqlOk(t.url, WITH_SCREEN, { s: a.nextSlice.slice.id, v: 1, x: 99999 }, p.users.screen.token);
  const b = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.screen.token);
  await gqlOk(t.url, WITH_SCREEN, { s: b.nextSlice.slice.id, v: 0, x: 6.5 }, p.users.screen.token);
  const c = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.screen.token);
  await gqlOk(t.url, SUBMIT, { s: c.nextSlice.slice.id, v: 0 }, p.users.screen.token);
  const stored = await t.sql`select screen_seconds from reads where user_id = ${p.users.screen.id} order by id`;
  assert.deepEqual(
    stored.map((r) => r.screenSeconds),
    [3600, 6.5, null],
  );
  const perf = (
    await gqlOk(
      t.url,
      `query($p:ID!){ readerPerformance(projectId:$p){ reader medianScreenSeconds screenTimedReads timedReads } }`,
      { p: p.projectId },
      p.users.slead.token,
    )
  ).readerPerformance;
  assert.deepEqual(
    perf.find((r: { reader: string }) => r.reader === 'screen'),
    { reader: 'screen', medianScreenSeconds: 6.5, screenTimedReads: 2, timedReads: 3 },
  );
});

const SUBMIT_FEEDBACK = `mutation($s:ID!,$v:Int!,$c:ID){ submitLabel(sliceId:$s, value:$v, clientRequestId:$c){ ok duplicate feedback { correct expected reasoning answered total passed } } }`;
const MY_CALIBRATION = `query($p:ID!){ myCalibration(projectId:$p){ required answered correct total passAt passed } }`;

test('[RQ15][RQ16][RQ17] onboarding: calibration slices with feedback first, then blinded reads; calibration reads change nothing else', async () => {
  const p = await seedProject(t, {
    slicesPerSeries: 5,
    series: 2,
    reads: 2,
    users: { novice: ['LABELER'], weak: ['LABELER'], olead: ['LEAD'], oadmin: ['ADMIN'] },
  });
  const calib = p.sliceIds.slice(0, 3);
  const requireCal = `mutation($p:ID!){ updateProject(id:$p, settings:{ calibrationRequired: true, calibrationPassAt: 0.6, goldRate: 0 }){ calibrationRequired calibrationPassAt } }`;
  assert.equal(errorCode(await gql(t.url, requireCal, { p: p.projectId }, p.users.oadmin.token)), 'BAD_INPUT', 'an empty set cannot be required');
  const ADD_CAL = `mutation($p:ID!,$i:[CalibrationItemInput!]!){ addCalibrationSlices(projectId:$p, items:$i) }`;
  assert.equal(
    errorCode(await gql(t.url, ADD_CAL, { p: p.projectId, i: [{ sliceId: calib[0], value: 1, reasoning: ' ' }] }, p.users.olead.token)),
    'BAD_INPUT',
  );
  assert.equal(
    errorCode(await gql(t.url, ADD_CAL, { p: p.projectId, i: [{ sliceId: calib[0], value: 1, reasoning: 'x' }] }, p.users.novice.token)),
    'FORBIDDEN',
  );
  const items = calib.map((sliceId, i) => ({
    sliceId,
    value: i === 0 ? 1 : 0,
    reasoning: `guide note ${i}: ${i === 0 ? 'cord flattened, CSF effaced' : 'CSF preserved around the cord'}`,
  }));
  assert.equal((await gqlOk(t.url, ADD_CAL, { p: p.projectId, i: items }, p.users.olead.token)).addCalibrationSlices, 3);
  assert.deepEqual((await gqlOk(t.url, requireCal, { p: p.projectId }, p.users.oadmin.token)).updateProject, {
    calibrationRequired: true,
    calibrationPassAt: 0.6,
  });

  // The novice gets exactly the calibration slices, in order, each answered with feedback.
  const answers = [1, 1, 0]; // the second is wrong: 2 of 3 correct ≥ 0.6
  for (const [i, id] of calib.entries()) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.novice.token);
    assert.equal(a.nextSlice.slice.id, id, `calibration slice ${i + 1} in order`);
    const r = (await gqlOk(t.url, SUBMIT_FEEDBACK, { s: id, v: answers[i], c: `cal-${i}` }, p.users.novice.token)).submitLabel;
    assert.deepEqual(r.feedback, {
      correct: answers[i] === items[i].value,
      expected: items[i].value,
      reasoning: items[i].reasoning,
      answered: i + 1,
      total: 3,
      passed: i === 2 ? true : null,
    });
  }
  // A replay is a duplicate with the same feedback; a changed answer is refused.
  assert.equal((await gqlOk(t.url, SUBMIT_FEEDBACK, { s: calib[1], v: 1, c: 'cal-1' }, p.users.novice.token)).submitLabel.duplicate, true);
  assert.equal(errorCode(await gql(t.url, SUBMIT_FEEDBACK, { s: calib[1], v: 0 }, p.users.novice.token)), 'ALREADY_LABELLED');
  assert.deepEqual((await gqlOk(t.url, MY_CALIBRATION, { p: p.projectId }, p.users.novice.token)).myCalibration, {
    required: true,
    answered: 3,
    correct: 2,
    total: 3,
    passAt: 0.6,
    passed: true,
  });
  const [counts] =
    await t.sql`select count(*)::int as reads, (select count(*)::int from final_labels where project_id = ${p.projectId}) as finals from reads where project_id = ${p.projectId}`;
  assert.deepEqual({ ...counts }, { reads: 0, finals: 0 }, 'calibration reads are not reads and decide nothing');

  // Unlocked: blinded reads now, never of a slice they calibrated on; feedback is null.
  for (let i = 0; i < 7; i++) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.novice.token);
    assert.ok(a.nextSlice, `blinded read ${i + 1}`);
    assert.ok(!calib.includes(a.nextSlice.slice.id), 'a calibrated slice is off their queue');
    assert.equal((await gqlOk(t.url, SUBMIT_FEEDBACK, { s: a.nextSlice.slice.id, v: 0 }, p.users.novice.token)).submitLabel.feedback, null);
  }
  assert.equal((await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.novice.token)).nextSlice, null);
  const progress = (await gqlOk(t.url, `query($p:ID!){ myProgress(projectId:$p){ queueSize readsDone } }`, { p: p.projectId }, p.users.novice.token))
    .myProgress;
  assert.deepEqual(progress, { queueSize: 0, readsDone: 7 }, 'counters exact: calibrated slices left the queue, calibration is not a read');

  // The weak reader gets one right of three: locked, until a lead unlocks them.
  for (const [i, id] of calib.entries()) {
    await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.weak.token);
    await gqlOk(t.url, SUBMIT_FEEDBACK, { s: id, v: i === 0 ? 1 : 1 }, p.users.weak.token);
  }
  assert.equal((await gqlOk(t.url, MY_CALIBRATION, { p: p.projectId }, p.users.weak.token)).myCalibration.passed, false);
  assert.equal((await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.weak.token)).nextSlice, null, 'failed: locked');
  const perf = (
    await gqlOk(
      t.url,
      `query($p:ID!){ readerPerformance(projectId:$p){ reader calibration { answered total passed accuracy { value low high method slices } } } }`,
      { p: p.projectId },
      p.users.olead.token,
    )
  ).readerPerformance;
  const weak = perf.find((r: { reader: string }) => r.reader === 'weak').calibration;
  assert.deepEqual({ answered: weak.answered, total: weak.total, passed: weak.passed }, { answered: 3, total: 3, passed: false });
  assert.equal(weak.accuracy, null, 'three answers: below the 5 an interval needs, withheld');
  const UNLOCK = `mutation($p:ID!,$u:ID!){ unlockReader(projectId:$p, userId:$u) }`;
  assert.equal(errorCode(await gql(t.url, UNLOCK, { p: p.projectId, u: p.users.weak.id }, p.users.novice.token)), 'FORBIDDEN');
  assert.equal((await gqlOk(t.url, UNLOCK, { p: p.projectId, u: p.users.weak.id }, p.users.olead.token)).unlockReader, true);
  assert.equal((await gqlOk(t.url, UNLOCK, { p: p.projectId, u: p.users.weak.id }, p.users.olead.token)).unlockReader, false);
  assert.ok((await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.weak.token)).nextSlice, 'unlocked by the lead');
  const audit =
    await t.sql`select action, actor_id from audit_log where project_id = ${p.projectId} and action like 'CALIBRATION_%' and entity_id = ${p.users.weak.id} order by id`;
  assert.deepEqual(
    audit.map((a) => [a.action, a.actorId]),
    [
      ['CALIBRATION_FAILED', null],
      ['CALIBRATION_PASSED', p.users.olead.id],
    ],
  );
});

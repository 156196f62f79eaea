import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from './helpers/db.js';
import { agreementFor, type AgreementStats } from '../apps/api/src/agreement/agreement.service.js';
import { isConcordError } from '@concord/contracts';

/*
 * Fixture (independent reads in time order; F = final label and its source):
 *
 *   s1  alice 0, bob 0            F0 CONSENSUS      repeats: alice 1, bob 0 (bob's is the earliest row of all)
 *   s2  alice 0, bob 0            F0 CONSENSUS      repeats: alice 0, bob 0
 *   s3  alice 1, bob 1            F1 CONSENSUS      repeat:  alice 1
 *   s4  alice 1, bob 0            F1 ADJUDICATION   repeat:  alice 1
 *   s5  bob 0, alice 1            F0 ADJUDICATION
 *   s6  carol 1, alice 1, bob 0   (no final)        reads_required 3: the third read is not paired
 *   s7  alice 0                   (no final)        one read: no pair
 *   s8  bob 0 (earlier created_at, inserted after), alice 1   F1 ADJUDICATION
 *   s9  carol 0, bob 0            F0 CONSENSUS      carol also has a repeat of s1, which she never read
 *   s10 dave 1                    F1 SINGLE_READ    reads_required 1
 */

// At top level: freshDatabase registers its clean-up with after(), which must belong to the file.
const { sql } = await freshDatabase('agreement');
let projectId: string;
let emptyProjectId: string;
let stats: AgreementStats;

const T0 = Date.parse('2026-01-01T10:00:00Z');
let clock = 0;
const at = (secondsFromT0?: number) => {
  if (secondsFromT0 === undefined) clock += 10;
  return new Date(T0 + 1000 * (secondsFromT0 ?? clock));
};

async function insertSlice(project: string, series: string, name: string, readsRequired: number): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
    values (${project}, ${series}, ${name}, 0, 0, ${'key-' + name}, ${readsRequired}) returning id`;
  return row.id;
}

before(async () => {
  const users: Record<string, string> = {};
  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    const [u] = await sql<{ id: string }[]>`insert into users (username, password_hash) values (${name}, 'x') returning id`;
    users[name] = u.id;
  }
  [{ id: projectId }] = await sql<{ id: string }[]>`insert into projects (name) values ('agreement fixture') returning id`;
  [{ id: emptyProjectId }] = await sql<{ id: string }[]>`insert into projects (name) values ('no reads yet') returning id`;
  const [patient] = await sql<{ id: string }[]>`insert into patients (project_id, pseudonym) values (${projectId}, 'p1') returning id`;
  const [study] = await sql<
    { id: string }[]
  >`insert into studies (project_id, patient_id, study_uid) values (${projectId}, ${patient.id}, '1.2.3') returning id`;
  const [series] = await sql<{ id: string }[]>`
    insert into series (project_id, study_id, series_uid, rows, cols) values (${projectId}, ${study.id}, '1.2.3.4', 256, 256) returning id`;

  const slice: Record<string, string> = {};
  for (let i = 1; i <= 10; i++) slice[`s${i}`] = await insertSlice(projectId, series.id, `s${i}`, i === 6 ? 3 : i === 10 ? 1 : 2);

  const read = (s: string, user: string, value: number, opts: { repeat?: boolean; when?: Date } = {}) =>
    sql`insert into reads (project_id, slice_id, user_id, value, is_repeat, created_at)
        values (${projectId}, ${slice[s]}, ${users[user]}, ${value}, ${opts.repeat ?? false}, ${opts.when ?? at()})`;

  await read('s1', 'bob', 0, { repeat: true, when: at(-1000) });
  await read('s1', 'alice', 0);
  await read('s1', 'bob', 0);
  await read('s2', 'alice', 0);
  await read('s2', 'bob', 0);
  await read('s3', 'alice', 1);
  await read('s3', 'bob', 1);
  await read('s4', 'alice', 1);
  await read('s4', 'bob', 0);
  await read('s5', 'bob', 0);
  await read('s5', 'alice', 1);
  await read('s6', 'carol', 1);
  await read('s6', 'alice', 1);
  await read('s6', 'bob', 0);
  await read('s7', 'alice', 0);
  // Inserted first (smaller id) but created later: created_at decides, so bob is reader A.
  await read('s8', 'alice', 1, { when: at(5000) });
  await read('s8', 'bob', 0, { when: at(4000) });
  await read('s9', 'carol', 0);
  await read('s9', 'bob', 0);
  await read('s10', 'dave', 1);
  await read('s1', 'alice', 1, { repeat: true });
  await read('s2', 'alice', 0, { repeat: true });
  await read('s3', 'alice', 1, { repeat: true });
  await read('s4', 'alice', 1, { repeat: true });
  await read('s2', 'bob', 0, { repeat: true });
  await read('s1', 'carol', 1, { repeat: true });

  const final = (s: string, value: number, source: string) =>
    sql`insert into final_labels (slice_id, project_id, value, source) values (${slice[s]}, ${projectId}, ${value}, ${source})`;
  await final('s1', 0, 'CONSENSUS');
  await final('s2', 0, 'CONSENSUS');
  await final('s3', 1, 'CONSENSUS');
  await final('s4', 1, 'ADJUDICATION');
  await final('s5', 0, 'ADJUDICATION');
  await final('s8', 1, 'ADJUDICATION');
  await final('s9', 0, 'CONSENSUS');
  await final('s10', 1, 'SINGLE_READ');

  stats = await agreementFor(sql, projectId);
});

function close(actual: number | null | undefined, expected: number, what: string, tolerance = 1e-12) {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tolerance, `${what}: got ${String(actual)}, expected ${expected}`);
}

test('[AG13] overall table pairs the first two independent reads by created_at, ignoring repeats and third reads', () => {
  // (A, B): s1 00, s2 00, s9 00, s5 01, s8 01 (bob first by created_at), s4 10, s3 11, s6 11 (carol, alice).
  assert.equal(stats.pairs, 8);
  assert.deepEqual(stats.table, [
    [3, 2],
    [1, 2],
  ]);
});

test('[AG1] [AG3] [AG4] overall figures by hand', () => {
  // po = 5/8; A positive 3/8, B positive 4/8; pe = (5/8)(4/8) + (3/8)(4/8) = 1/2; κ = (5/8 − 1/2)/(1/2) = 1/4.
  close(stats.percentAgreement, 5 / 8, 'percent');
  close(stats.positiveAgreement, 4 / 7, 'positive'); // 2·2 / (2·2 + 3)
  close(stats.negativeAgreement, 6 / 9, 'negative'); // 2·3 / (2·3 + 3)
  close(stats.kappa, 0.25, 'kappa');
  // FCE: p = (.375, .25, .125, .25); rows .625/.375, columns .5/.5; 1 − κ = .75.
  // A = .375(1 − 1.125·.75)² + .25(1 − .875·.75)² = .0091552734375 + .029541015625
  // B = .75²·[.25(.5 + .375)² + .125(.5 + .625)²] = .5625·.349609375 = .196655273437
  // C = (.25 − .5·.75)² = .015625; var = (A + B − C)/(8·.5²) = .2197265625/2
  const se = Math.sqrt(0.2197265625 / 2);
  close(stats.kappaLow, 0.25 - 1.959963984540054 * se, 'kappaLow');
  close(stats.kappaHigh, 0.25 + 1.959963984540054 * se, 'kappaHigh');
  close(stats.pabak, 0.25, 'pabak');
  // π = 7/16, pe = 2·(7/16)(9/16) = 126/256, po = 160/256: AC1 = 34/130.
  close(stats.gwetAc1, 34 / 130, 'ac1');
});

test('[AG14] reader pairs use every slice both read, named in username order', () => {
  assert.deepEqual(
    stats.readerPairs.map((p) => [p.readerA, p.readerB, p.pairs]),
    [
      ['alice', 'bob', 7],
      ['alice', 'carol', 1],
      ['bob', 'carol', 2],
    ],
  );
  const [ab, ac, bc] = stats.readerPairs;
  // alice–bob: n00 2 (s1, s2), n11 1 (s3), n10 4 (s4, s5, s6, s8). po = 3/7; pe = (2/7)(6/7) + (5/7)(1/7) = 17/49.
  close(ab.percentAgreement, 3 / 7, 'ab percent');
  close(ab.kappa, (21 / 49 - 17 / 49) / (32 / 49), 'ab kappa');
  assert.ok(ab.kappaLow < ab.kappa && ab.kappa < ab.kappaHigh);
  // alice–carol: one pair, both 1: one shared class, kappa 1 by convention (AG3).
  assert.deepEqual([ac.percentAgreement, ac.kappa, ac.kappaLow, ac.kappaHigh], [1, 1, 1, 1]);
  // bob–carol: s6 (0, 1), s9 (0, 0). po = 1/2, pe = 1·(1/2) = 1/2, κ = 0.
  close(bc.percentAgreement, 0.5, 'bc percent');
  close(bc.kappa, 0, 'bc kappa');
});

test('[AG15] readers against final labels; SINGLE_READ finals are no reference', () => {
  assert.deepEqual(
    stats.readers.map((r) => r.reader),
    ['alice', 'bob', 'carol', 'dave'],
  );
  const [alice, bob, carol, dave] = stats.readers;
  // alice: 8 reads, 5 positive. Referenced: s3, s4, s8 (F1, all called 1); s1, s2, s5 (F0; s5 called 1).
  assert.equal(alice.reads, 8);
  close(alice.positiveRate, 5 / 8, 'alice positive rate');
  close(alice.sensitivity, 1, 'alice sens');
  close(alice.specificity, 2 / 3, 'alice spec');
  close(alice.mcnemarP, 1, 'alice mcnemar'); // b = 1, c = 0: 2·P(X ≤ 0 | n = 1) = 1
  // bob: 8 reads, 1 positive. F1: s3 1, s4 0, s8 0; F0: s1, s2, s5, s9 all 0. Two misses, no over-calls.
  assert.equal(bob.reads, 8);
  close(bob.positiveRate, 1 / 8, 'bob positive rate');
  close(bob.sensitivity, 1 / 3, 'bob sens');
  close(bob.specificity, 1, 'bob spec');
  close(bob.mcnemarP, 0.5, 'bob mcnemar'); // 2·P(X ≤ 0 | n = 2) = 2/4
  // carol: s6 (no final) and s9 (F0, called 0).
  assert.deepEqual([carol.reads, carol.positiveRate, carol.sensitivity, carol.specificity, carol.mcnemarP], [2, 0.5, null, 1, 1]);
  // dave: only a SINGLE_READ slice, so nothing to compare with.
  assert.deepEqual([dave.reads, dave.positiveRate, dave.sensitivity, dave.specificity, dave.mcnemarP], [1, 1, null, null, null]);
});

test('[AG16] intra-reader agreement pairs repeats with the reader’s own independent read', () => {
  // carol's repeat of s1 has no independent read of hers to pair with, so she is not listed.
  assert.deepEqual(
    stats.intraReader.map((r) => [r.reader, r.pairs]),
    [
      ['alice', 4],
      ['bob', 2],
    ],
  );
  const [alice, bob] = stats.intraReader;
  // alice (first, repeat): s1 (0, 1), s2 (0, 0), s3 (1, 1), s4 (1, 1). po = 3/4; pe = (2/4)(1/4) + (2/4)(3/4) = 1/2.
  close(alice.percentAgreement, 3 / 4, 'alice percent');
  close(alice.kappa, 0.5, 'alice kappa');
  // bob: s1 (0, 0), s2 (0, 0): a single shared class, kappa 1 by convention.
  assert.deepEqual([bob.percentAgreement, bob.kappa], [1, 1]);
});

test('[AG2] a project without reads reports zeros and empty lists, never NaN', async () => {
  const empty = await agreementFor(sql, emptyProjectId);
  assert.deepEqual(empty, {
    pairs: 0,
    percentAgreement: 0,
    positiveAgreement: 0,
    negativeAgreement: 0,
    kappa: 0,
    kappaLow: 0,
    kappaHigh: 0,
    pabak: 0,
    gwetAc1: 0,
    table: [
      [0, 0],
      [0, 0],
    ],
    readerPairs: [],
    readers: [],
    intraReader: [],
    bySelection: ['RANDOM', 'SERIES', 'ACTIVE', 'AUDIT', 'TEST'].map((mode) => ({
      mode,
      pairs: 0,
      percentAgreement: null,
      kappa: null,
      kappaLow: null,
      kappaHigh: null,
      positiveAgreement: null,
      negativeAgreement: null,
    })),
  });
});

test('[AG17] an unknown or malformed project id is PROJECT_NOT_FOUND', async () => {
  const notFound = (e: unknown) => isConcordError(e) && e.code === 'PROJECT_NOT_FOUND';
  await assert.rejects(agreementFor(sql, '00000000-0000-4000-8000-000000000000'), notFound);
  await assert.rejects(agreementFor(sql, 'not-a-uuid'), notFound);
});

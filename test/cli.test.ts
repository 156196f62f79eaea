import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freshDatabase } from './helpers/db.js';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { builtCli } from './helpers/api-process.js';

const { url, sql } = await freshDatabase('cli');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-cli-'));

function concord(...args: string[]) {
  return run(['--import', 'tsx', path.join(REPO_ROOT, 'apps/api/src/cli/concord.ts'), ...args]);
}

/** The built CLI with plain node, as the API image runs it (CLI4). */
function built(...args: string[]) {
  // Two decoding threads even on one core: the worker's own bundle is what CLI4 checks.
  return run([builtCli(), ...args], { CONCORD_INGEST_WORKERS: '2' });
}

function run(nodeArgs: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, nodeArgs, {
    env: { ...process.env, DATABASE_URL: url, CONCORD_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

test('[CLI1] migrate, project create, user add, phantom and ingest work as the README says', () => {
  assert.equal(concord('migrate').code, 0);
  const p = concord('project', 'create', '--name', 'CLI study', '--reads', '2');
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /^[0-9a-f-]{36}$/);
  const u = concord('user', 'add', '--username', 'cliuser', '--password', 'password123', '--roles', 'labeler,adjudicator', '--project', p.out);
  assert.equal(u.code, 0, u.err);
  const out = path.join(dataDir, 'ph');
  const ph = concord('phantom', '--patients', '2', '--out', out, '--seed', '7');
  assert.equal(ph.code, 0, ph.err);
  assert.ok(fs.existsSync(path.join(out, 'ground_truth_slices.csv')));
  const ing = concord('ingest', out, '--project', p.out, '--cohorts', path.join(out, 'ground_truth_patients.csv'));
  assert.equal(ing.code, 0, ing.err);
  assert.match(ing.out, /accepted/);
  const truth = fs.readFileSync(path.join(out, 'ground_truth_slices.csv'), 'utf8').trim().split('\n').length - 1;
  return sql`select count(*)::int as n from slices where project_id = ${p.out}`.then(([r]) => assert.equal(r.n, truth));
});

test('[CLI4] the built CLI runs with plain node: migrate, project, user, phantom and ingest (its decoding worker built beside it); train says where to run', async () => {
  assert.equal(built('migrate').code, 0);
  const p = built('project', 'create', '--name', 'CLI built', '--reads', '2');
  assert.equal(p.code, 0, p.err);
  const u = built('user', 'add', '--username', 'clibuilt', '--password', 'password123', '--roles', 'labeler', '--project', p.out);
  assert.equal(u.code, 0, u.err);
  const out = path.join(dataDir, 'ph-built');
  const ph = built('phantom', '--patients', '1', '--out', out, '--seed', '11');
  assert.equal(ph.code, 0, ph.err);
  const ing = built('ingest', out, '--project', p.out);
  assert.equal(ing.code, 0, ing.err);
  assert.match(ing.out, /accepted/);
  const truth = fs.readFileSync(path.join(out, 'ground_truth_slices.csv'), 'utf8').trim().split('\n').length - 1;
  const [r] = await sql`select count(*)::int as n from slices where project_id = ${p.out}`;
  assert.equal(r.n, truth);
  const t = built('train', '--project', p.out);
  assert.equal(t.code, 2, t.err);
  assert.match(t.err, /built CLI does not run training/);
});

test('[CLI2] bad input exits non-zero with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['project', 'create', '--name', 'x', '--reads', 'two'], /--reads must be a whole number/],
    [['user', 'add', '--username', 'bob', '--password', 'password123', '--roles', 'wizard'], /--roles takes/],
    [['user', 'add', '--username', 'bob', '--password', 'short', '--roles', 'labeler'], /at least 8 characters/],
    [['ingest', '/nonexistent', '--project', '00000000-0000-0000-0000-000000000000'], /no project with id/],
    [['ingest', '--project', 'x'], /give a PATH/],
    [['project', 'create', '--name', 'CLI study'], /exists already/],
    [['nosuchcommand'], /unknown command/],
  ];
  for (const [args, msg] of cases) {
    const r = concord(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, msg, `${args.join(' ')} → ${r.err}`);
  }
});

test('[CLI3] train runs a round with progress and prints AUC with its interval; models lists it; promote rolls back; bad ids are refused', async () => {
  const { LocalFileStore } = await import('@concord/db');
  const { seedProject, finaliseLabels } = await import('../services/trainer/src/testing/project-fixture.js');
  // The CLI's file store lives under its data dir: seed the project's images there.
  const store = new LocalFileStore(path.join(dataDir, 'files'));
  const { projectId, slices } = await seedProject(sql, store, { patients: 6, slicesPerPatient: 6 });
  await finaliseLabels(
    sql,
    projectId,
    slices.filter((_, i) => i % 3 !== 2).map((s) => ({ sliceId: s.id, value: s.truth })),
  );
  const env = { CONCORD_TF_BACKEND: 'wasm' };
  const train = () => concordEnv(env, 'train', '--project', projectId, '--backbone', 'tiny', '--workers', '1');
  const first = train();
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /round 1: model version [0-9a-f-]{36} is CURRENT/);
  assert.match(first.out, /slice AUC (\d\.\d{3}|n\/a) \(95% CI/);
  assert.match(first.err, /embedding.*\d+\/\d+/, 'the embedding stage shows progress (on stderr, as bars go)');
  assert.match(first.err, /training.*epoch \d+/, 'the training stage shows epochs');
  const second = train();
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /round 2: model version/);
  assert.match(second.out, /embeddings: 0 computed, \d+ cached/, 'the second round reuses cached embeddings');

  const models = concord('models', '--project', projectId);
  assert.equal(models.code, 0, models.err);
  const lines = models.out.split('\n');
  assert.equal(lines.length, 3, models.out);
  const round1 = lines[1].split('\t');
  const round1Id = round1.at(-1)!;
  const [{ before }] = await sql<{ before: string }[]>`select current_model_version_id as before from projects where id = ${projectId}`;
  const promoted = concord('promote', '--model', round1Id);
  assert.equal(promoted.code, 0, promoted.err);
  const [{ current }] = await sql<{ current: string }[]>`select current_model_version_id as current from projects where id = ${projectId}`;
  assert.equal(current, round1Id, 'rollback to round 1 made it current');
  const audits = await sql<
    { payload: { previous: string; via: string } }[]
  >`select payload from audit_log where action = 'PROMOTE_MODEL' and entity_id = ${round1Id}`;
  assert.equal(audits.length, 1, 'the promotion is audited');
  assert.deepEqual(audits[0].payload, { previous: before, via: 'cli' }, 'the audit names the version it replaced');

  for (const [args, msg] of [
    [['train', '--project', '00000000-0000-0000-0000-000000000000'], /no project with id/],
    [['train', '--project', projectId, '--backbone', 'vgg'], /unknown backbone "vgg"/],
    [['models', '--project', 'nope'], /no project with id nope/],
    [['promote', '--model', 'nope'], /no model version with id nope/],
  ] as [string[], RegExp][]) {
    const r = concord(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, msg);
  }
});

function concordEnv(extra: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'apps/api/src/cli/concord.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: url, CONCORD_DATA_DIR: dataDir, ...extra },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

function simulate(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tools/simulate/src/cli/simulate.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: url, CONCORD_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

test('[SIM2] npm run simulate: bad flags exit 2 with the reason; a small run writes the CSV and a chart with one line per strategy', () => {
  // Help is not an error, in either CLI (commander reports it as one).
  assert.equal(simulate('--help').code, 0);
  assert.equal(concord('--help').code, 0);
  assert.equal(simulate('--bogus').code, 2);
  for (const [args, msg] of [
    [['--rounds', 'abc'], /--rounds must be a whole number from 1 to 1000 \(got "abc"\)/],
    [['--batch', '0'], /--batch must be a whole number/],
    [['--patients', '2.5'], /--patients must be a whole number/],
    [['--strategy', 'entropy', '--strategies', 'random'], /--strategy or --strategies, not both/],
    [['--strategy', 'greedy'], /unknown strategy "greedy"/],
    [['--backbone', 'vgg'], /unknown backbone "vgg"/],
    [['--cohort-cues', 'medium'], /--cohort-cues must be none, mild, strong or a number from 0 to 1 \(got "medium"\)/],
  ] as [string[], RegExp][]) {
    const r = simulate(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, msg);
  }
  const out = path.join(dataDir, 'sim');
  const r = simulate(
    '--patients',
    '6',
    '--rows',
    '64',
    '--rounds',
    '2',
    '--batch',
    '10',
    '--strategies',
    'entropy,random',
    '--epochs',
    '3',
    '--mc-samples',
    '2',
    '--out',
    out,
  );
  assert.equal(r.code, 0, r.err);
  const csv = fs.readFileSync(path.join(out, 'learning-curves.csv'), 'utf8').trim().split('\n');
  assert.match(csv[0], /^strategy,round,label_count,test_auc,test_auc_low,test_auc_high,/);
  const rows = csv.slice(1).map((l) => l.split(','));
  assert.deepEqual(rows.map((c) => `${c[0]}:${c[1]}`).sort(), ['entropy:1', 'entropy:2', 'random:1', 'random:2']);
  for (const c of rows) assert.ok(Number(c[2]) >= 20, `labels used in round ${c[1]}: ${c[2]}`);
  const svg = fs.readFileSync(path.join(out, 'learning-curves.svg'), 'utf8');
  // Two panels (AUC, accuracy) × one line per strategy, in the strategy's colour.
  assert.equal((svg.match(/<polyline/g) ?? []).length, 4);
  for (const colour of ['#c81e1e', '#787878']) assert.equal((svg.match(new RegExp(`<polyline[^>]*stroke="${colour}"`, 'g')) ?? []).length, 2);
  const png = fs.readFileSync(path.join(out, 'learning-curves.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // Pooling runs (docs/simulation is made this way): the same run twice has itself as the mean.
  const pooled = path.join(dataDir, 'sim-pooled');
  const summary = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tools/simulate/src/cli/simulate-summary.ts'), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
  const s = summary('--out', pooled, out, out);
  assert.equal(s.status, 0, s.stderr);
  const mean = fs
    .readFileSync(path.join(pooled, 'learning-curves-mean.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  assert.equal(mean.length, rows.length);
  for (const c of rows) {
    const m = mean.find((x) => x[0] === c[0] && x[1] === c[2])!;
    assert.equal(m[2], '2', 'two runs pooled');
    assert.equal(Number(m[3]).toFixed(3), Number(c[3]).toFixed(3), `${c[0]} at ${c[2]} labels: mean AUC is the run's`);
  }
  assert.equal(fs.readFileSync(path.join(pooled, 'learning-curves-runs.csv'), 'utf8').trim().split('\n').length, 1 + 2 * rows.length);
  assert.ok(fs.statSync(path.join(pooled, 'learning-curves-mean.png')).size > 1000);
  const bad = summary('--out', pooled, path.join(dataDir, 'no-such-run'));
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /learning-curves\.csv does not exist/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freshDatabase } from './helpers/db.js';
import { REPO_ROOT } from '../apps/api/src/config/config.js';

const { url, sql } = await freshDatabase('cli');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-cli-'));

function concord(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'apps/api/src/cli/concord.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: url, CONCORD_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 120_000,
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

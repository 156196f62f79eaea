import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pairedAgainstRandom, pairedLine, type ReplicatePoint } from '@concord/simulate';
import { freshDatabase } from './helpers/db.js';

// The CLI migrates and writes the database it is given: a database of this file's own, never the
// shared one DATABASE_URL names (a run against it once left a stale migration there for later runs).
const { url } = await freshDatabase('simpaired');
const env = { ...process.env, DATABASE_URL: url };

function fixture(reps: [number[], number[]][]): ReplicatePoint[] {
  return reps.flatMap(([entropy, random], r) => [
    ...entropy.map((auc, i) => ({ replicate: r + 1, strategy: 'entropy' as const, round: i + 1, labels: 100 * (i + 1), auc })),
    ...random.map((auc, i) => ({ replicate: r + 1, strategy: 'random' as const, round: i + 1, labels: 100 * (i + 1), auc })),
  ]);
}

test("[SIM4] paired ΔAULC with a paired-t interval over replicates, and labels to reach random's final AUC (hand-computed)", () => {
  // ΔAULC per replicate: 0.05, 0.10, −0.05; mean 0.0333, sd 0.07638, t(0.975, 2) = 4.3027.
  const [r] = pairedAgainstRandom(
    fixture([
      [
        [0.7, 0.9],
        [0.7, 0.8],
      ],
      [
        [0.6, 0.8],
        [0.6, 0.6],
      ],
      [
        [0.5, 0.6],
        [0.5, 0.7],
      ],
    ]),
  );
  assert.equal(r.strategy, 'entropy');
  assert.equal(r.replicates, 3);
  assert.ok(Math.abs(r.delta! - 0.033333) < 1e-5);
  assert.ok(Math.abs(r.low! - -0.156397) < 1e-5, String(r.low));
  assert.ok(Math.abs(r.high! - 0.223064) < 1e-5, String(r.high));
  assert.equal(r.neverReached, 1);
  assert.equal(r.labelsToMatch, null, 'never reached in one replicate: no mean label count');
  assert.equal(
    pairedLine(r),
    "paired: entropy−random ΔAULC = 0.033 (95% CI -0.156 to 0.223) over 3 replicates; labels to reach random's final AUC: not reached in 1 of 3 replicates",
  );

  // Reached in both: 200 of 200 labels, then 100 of 200; t(0.975, 1) = 12.706.
  const [both] = pairedAgainstRandom(
    fixture([
      [
        [0.7, 0.9],
        [0.7, 0.8],
      ],
      [
        [0.6, 0.8],
        [0.6, 0.6],
      ],
    ]),
  );
  assert.equal(
    pairedLine(both),
    "paired: entropy−random ΔAULC = 0.075 (95% CI -0.243 to 0.393) over 2 replicates; labels to reach random's final AUC: 150 (75%)",
  );

  // One replicate has no interval; a replicate with a missing AUC is left out, not read as 0.
  const [one] = pairedAgainstRandom([
    ...fixture([
      [
        [0.7, 0.9],
        [0.7, 0.8],
      ],
    ]),
    ...fixture([
      [
        [0.6, 0.8],
        [0.6, 0.6],
      ],
    ]).map((p) => ({ ...p, replicate: 2, auc: p.round === 2 && p.strategy === 'random' ? null : p.auc })),
  ]);
  assert.equal(one.replicates, 1);
  assert.equal(one.low, null);
  assert.match(pairedLine(one), /95% CI n\/a to n\/a\) over 1 replicates/);
});

test("[SIM4] [SIM5] npm run simulate -- --replicates 2 runs paired replicates in worker processes and prints one paired line per strategy, and each round's baselines", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-sim-replicates-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'tools/simulate/src/cli/simulate.ts',
        '--patients',
        '8',
        '--strategies',
        'entropy,random',
        '--rounds',
        '2',
        '--batch',
        '10',
        '--replicates',
        '2',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 400_000, env },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^paired: entropy−random ΔAULC = -?\d\.\d{3} \(95% CI -?\d+\.\d{3} to -?\d+\.\d{3}\) over 2 replicates; labels to reach random's final AUC: (\d+ \(\d+%\)|not reached in [12] of 2 replicates)$/m,
    );
    // Defaults: 192 px, mild cohort cues; every round's baselines line, forwarded from its replicate.
    assert.match(
      r.stdout,
      /^\[replicate 1\] \[entropy\] round 2 baselines: within-DCM test AUC (\d\.\d{3}|n\/a) \(95% CI (\d\.\d{3}|n\/a)–(\d\.\d{3}|n\/a)\); raw-pixel logistic regression \d\.\d{3} \(95% CI \d\.\d{3}–\d\.\d{3}\)$/m,
    );
    assert.equal((r.stdout.match(/ baselines: /g) ?? []).length, 2 * 2 * 2);
    // 192² × 16 bits of pixel data plus a header of a few kB.
    const bytes = fs.statSync(path.join(out, 'replicate-1', 'phantom', 'P0001', 'series-3', '1.dcm')).size;
    assert.ok(bytes > 192 * 192 * 2 && bytes < 192 * 192 * 2 + 8000, `an axial file of ${bytes} bytes is not 192²`);
    const csv = fs.readFileSync(path.join(out, 'replicates.csv'), 'utf8').trim().split('\n');
    assert.match(
      csv[0],
      /,within_dcm_test_auc,within_dcm_test_auc_low,within_dcm_test_auc_high,pixel_lr_test_auc,pixel_lr_test_auc_low,pixel_lr_test_auc_high$/,
    );
    assert.match(csv[0], /^replicate,seed,strategy,round,label_count,test_auc/);
    assert.equal(csv.length, 1 + 2 * 2 * 2, 'replicates × strategies × rounds rows');
    assert.ok(csv.some((l) => l.startsWith('2,concord-sim-r2,')));
    assert.ok(fs.existsSync(path.join(out, 'learning-curves-mean.png')));
    // Without random there is nothing to pair with.
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'tools/simulate/src/cli/simulate.ts', '--strategies', 'entropy', '--replicates', '2'], {
      encoding: 'utf8',
      env,
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /include random/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

/**
 * The trainer's configuration is checked before it does anything (README "Configuration"): a
 * backbone name it does not build stops it with the accepted values, instead of quietly running
 * resnet50.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { backboneOptionsFromEnv, backboneOptionsNamed } from '../services/trainer/src/model/backbone.js';
import { ConcordError } from '@concord/contracts';
import { tfBackendFromEnv } from '../services/trainer/src/backend.js';
import { fineTuneEnabled } from '../services/trainer/src/model/finetune.js';

test('[TR22] CONCORD_BACKBONE: unset or empty is resnet50, the three kinds are taken, anything else is refused naming them', () => {
  assert.equal(backboneOptionsFromEnv({}).kind, 'resnet50');
  assert.equal(backboneOptionsFromEnv({ CONCORD_BACKBONE: '' }).kind, 'resnet50');
  for (const kind of ['resnet50', 'tiny', 'pixels']) assert.equal(backboneOptionsFromEnv({ CONCORD_BACKBONE: kind }).kind, kind);
  assert.equal(backboneOptionsFromEnv({ CONCORD_BACKBONE: 'tiny', CONCORD_BACKBONE_WEIGHTS: '/w' }).weights, '/w');
  for (const bad of ['resnet', 'ResNet50', 'resnet50 ', 'vgg']) {
    assert.throws(
      () => backboneOptionsFromEnv({ CONCORD_BACKBONE: bad }),
      (e: unknown) =>
        e instanceof ConcordError &&
        e.code === 'BAD_INPUT' &&
        e.message === `CONCORD_BACKBONE must be resnet50, tiny or pixels, or unset for resnet50 (got "${bad}")`,
      bad,
    );
  }
  // A command line naming a backbone does not hide a broken environment.
  assert.throws(() => backboneOptionsNamed('tiny', { CONCORD_BACKBONE: 'resnet' }), /CONCORD_BACKBONE must be/);
});

/** The trainer with one bad setting, against a database nobody listens on: reaching it would fail differently, and later. */
function trainerWith(setting: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'services/trainer/src/main.ts')], {
    env: { ...process.env, ...setting, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr + r.stdout, /ECONNREFUSED|backend /, 'nothing ran before the check');
  return r.stderr;
}

test('[TR22] the trainer process stops at start on CONCORD_BACKBONE=resnet, before it reaches the database', () => {
  assert.match(
    trainerWith({ CONCORD_BACKBONE: 'resnet' }),
    /\[trainer\] CONCORD_BACKBONE must be resnet50, tiny or pixels, or unset for resnet50 \(got "resnet"\)/,
  );
});

test('[TR23] CONCORD_TF_BACKEND and CONCORD_FINETUNE take only their documented values', () => {
  assert.equal(tfBackendFromEnv({}), 'auto');
  for (const v of ['auto', 'tensorflow', 'wasm', 'cpu'] as const) assert.equal(tfBackendFromEnv({ CONCORD_TF_BACKEND: v }), v);
  for (const bad of ['gpu', 'WASM', 'tfjs-node'])
    assert.throws(() => tfBackendFromEnv({ CONCORD_TF_BACKEND: bad }), new RegExp(`CONCORD_TF_BACKEND must be tensorflow, wasm or cpu.*got "${bad}"`));
  assert.equal(fineTuneEnabled({}), false);
  assert.equal(fineTuneEnabled({ CONCORD_FINETUNE: '0' }), false);
  assert.equal(fineTuneEnabled({ CONCORD_FINETUNE: '1' }), true);
  for (const bad of ['true', 'yes', 'on', '2'])
    assert.throws(() => fineTuneEnabled({ CONCORD_FINETUNE: bad }), new RegExp(`CONCORD_FINETUNE must be 1 .*got "${bad}"`));
});

test('[TR23] every trainer setting read during a round is checked at start, before the database', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ CONCORD_TF_BACKEND: 'gpu' }, /\[trainer\] CONCORD_TF_BACKEND must be tensorflow, wasm or cpu/],
    [{ CONCORD_FINETUNE: 'true' }, /\[trainer\] CONCORD_FINETUNE must be 1/],
    [{ CONCORD_EMBED_ENGINE: 'onnx' }, /\[trainer\] CONCORD_EMBED_ENGINE must be auto, onnxruntime or tfjs/],
    [{ CONCORD_FULL_RETRAIN_EVERY: 'often' }, /\[trainer\] CONCORD_FULL_RETRAIN_EVERY must be a whole number/],
  ];
  for (const [setting, message] of cases) assert.match(trainerWith(setting), message, JSON.stringify(setting));
});

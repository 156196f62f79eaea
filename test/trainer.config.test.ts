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
import { ConcordError } from '../apps/api/src/errors/codes.js';

test('[TR22] CONCORD_BACKBONE: unset or empty is resnet50, the three kinds are taken, anything else is refused naming them', () => {
  assert.equal(backboneOptionsFromEnv({}).kind, 'resnet50');
  assert.equal(backboneOptionsFromEnv({ CONCORD_BACKBONE: '' }).kind, 'resnet50');
  for (const kind of ['resnet50', 'tiny', 'pixels']) assert.equal(backboneOptionsFromEnv({ CONCORD_BACKBONE: kind }).kind, kind);
  assert.equal(backboneOptionsFromEnv({ CONCORD_BACKBONE: 'tiny', CONCORD_BACKBONE_WEIGHTS: '/w' }).weights, '/w');
  for (const bad of ['resnet', 'ResNet50', 'resnet50 ', 'vgg']) {
    assert.throws(() => backboneOptionsFromEnv({ CONCORD_BACKBONE: bad }), (e: unknown) =>
      e instanceof ConcordError && e.code === 'BAD_INPUT'
      && e.message === `CONCORD_BACKBONE must be resnet50, tiny or pixels, or unset for resnet50 (got "${bad}")`, bad);
  }
  // A command line naming a backbone does not hide a broken environment.
  assert.throws(() => backboneOptionsNamed('tiny', { CONCORD_BACKBONE: 'resnet' }), /CONCORD_BACKBONE must be/);
});

test('[TR22] the trainer process stops at start on CONCORD_BACKBONE=resnet, before it reaches the database', () => {
  // A database nobody listens on: reaching it would fail differently, and later.
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'services/trainer/src/main.ts')], {
    env: { ...process.env, CONCORD_BACKBONE: 'resnet', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' },
    encoding: 'utf8', timeout: 120_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /\[trainer\] CONCORD_BACKBONE must be resnet50, tiny or pixels, or unset for resnet50 \(got "resnet"\)/);
  assert.doesNotMatch(r.stderr + r.stdout, /ECONNREFUSED|backend /, 'nothing ran before the check');
});

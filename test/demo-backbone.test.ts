/**
 * The demo's backbone choice (DM4) is environment for the trainer: what the demo says it uses is
 * what the trainer's own reading of that environment builds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoBackbone } from '@concord/demo';
import { backboneOptionsFromEnv } from '../services/trainer/src/model/backbone.js';

test('[DM4] without weights or a named backbone the demo uses pixels and says so; a configured one is left to the environment, and the trainer builds what the note names', () => {
  const cases: [NodeJS.ProcessEnv, string, RegExp][] = [
    [{}, 'pixels', /^"pixels" stand-in .*no CONCORD_BACKBONE_WEIGHTS configured/],
    [{ CONCORD_BACKBONE: 'tiny' }, 'tiny', /^tiny \(from the environment, RANDOM weights\)$/],
    [{ CONCORD_BACKBONE: 'pixels' }, 'pixels', /^pixels \(from the environment\)$/],
    [{ CONCORD_BACKBONE_WEIGHTS: '/srv/w' }, 'resnet50', /^resnet50 \(from the environment, weights configured\)$/],
  ];
  for (const [env, kind, note] of cases) {
    const chosen = demoBackbone(env);
    assert.match(chosen.note, note, JSON.stringify(env));
    // The demo hands `chosen.env` on top of its own environment to the history seeding and its trainer.
    assert.equal(backboneOptionsFromEnv({ ...env, ...chosen.env }).kind, kind, JSON.stringify(env));
  }
});

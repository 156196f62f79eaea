/**
 * [ST1] Biome's format and lint over the whole repository, as `npm test` runs it: a file it would
 * reformat or a lint finding fails the suite, naming the files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../apps/api/src/config/config.js';

test('[ST1] biome check finds nothing to format or fix', () => {
  const biome = path.join(REPO_ROOT, 'node_modules', '.bin', 'biome');
  const r = spawnSync(biome, ['check', '--max-diagnostics=50', '--colors=off', '.'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `biome check failed; run \`npx biome check --write .\` for formatting:\n${(r.stdout + r.stderr).slice(-6000)}`);
});

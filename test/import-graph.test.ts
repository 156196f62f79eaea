/**
 * The import graph (issue #15): workspaces use each other by package name only, so the trainer
 * imports packages, not the API's folders. Rules: docs/SPEC.md (WS1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { describeOffence, offencesIn, scanImportGraph, workspaceOf } from './helpers/import-graph.js';

const WORKSPACES = ['packages/a', 'apps/b', 'services/c'];

test('[WS1] a relative path into another workspace is found in every form; paths inside a workspace and package names are not', () => {
  const source = [
    `import { x } from '../../../../packages/a/src/x.js';`,
    `import type { Y } from "../../../../services/c/src/y.js";`,
    `export { z } from '../../../../packages/a/src/z.js';`,
    `const lazy = () => import('../../../../services/c/src/lazy.js');`,
    `const MODULE = '../../../../services/c/src/jobs/queue.js';`,
    `import './side-effect.js';`,
    `import { own } from '../own.js';`,
    `import { pkg } from '@concord/a';`,
    `const dir = path.join(here, '../../../migrations');`,
  ].join('\n');
  const found = offencesIn(source, 'apps/b/src/dir/file.ts', WORKSPACES).map((o) => `${o.specifier} → ${o.to}`);
  assert.deepEqual(found, [
    '../../../../packages/a/src/x.js → packages/a',
    '../../../../services/c/src/y.js → services/c',
    '../../../../packages/a/src/z.js → packages/a',
    '../../../../services/c/src/lazy.js → services/c',
    '../../../../services/c/src/jobs/queue.js → services/c',
  ]);
  // A root file (bench/) reaching into a workspace leaves the root workspace.
  assert.deepEqual(offencesIn(`import { q } from '../apps/b/src/q.js';`, 'bench/run.ts', WORKSPACES).map(describeOffence), [
    `bench/run.ts: '../apps/b/src/q.js' leaves the root workspace for apps/b`,
  ]);
  assert.equal(workspaceOf('apps/bb/x.ts', WORKSPACES), '.', 'a folder that only starts like a workspace is not it');
});

test('[WS1] no file outside a workspace imports it by relative path', () => {
  const { workspaces, files, offences } = scanImportGraph(REPO_ROOT);
  assert.ok(workspaces.length >= 4 && files > 200, `the workspaces and their files were read (${workspaces.length} workspaces, ${files} files)`);
  const found = offences.map(describeOffence);
  assert.deepEqual(
    found,
    [],
    `${found.length} relative imports leave their workspace; import the package by name (add it to the importer's package.json dependencies):\n  ${found.join('\n  ')}`,
  );
});

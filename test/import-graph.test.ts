/**
 * The import graph (issue #15): workspaces use each other by package name only, so the trainer
 * imports packages, not the API's folders. Rules: docs/SPEC.md (WS1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { describeOffence, offencesIn, scanImportGraph, workspaceOf } from './helpers/import-graph.js';

/** Owned by the job-queue work, which replaces the bridge; nothing else may join this list. */
const ALLOWED = new Set([
  "apps/api/src/model-versions/training-bridge.ts: '../../../../services/trainer/src/jobs/queue.js'",
  "apps/api/src/model-versions/training-bridge.ts: '../../../../services/trainer/src/versions.js'",
]);

/**
 * Not moved yet (issue #15 item 1 continues): this list may only shrink; an entry that no longer
 * offends fails the test until it is removed.
 */
const PENDING = new Set([
  "apps/api/src/cli/concord.ts: '../../../../services/trainer/src/cli/train-command.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/round.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/eval/splits.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/model/backbone.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/sim/labelling.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/sim/project.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/sim/readers.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/sim/run.js'",
  "apps/api/src/demo/history.ts: '../../../../services/trainer/src/sim/truth.js'",
  "apps/api/src/demo/prepare.ts: '../../../../services/trainer/src/model/backbone.js'",
  "services/trainer/src/sim/labelling.ts: '../../../../apps/api/src/assignment/assignment.service.js'",
  "services/trainer/src/sim/labelling.ts: '../../../../apps/api/src/assignment/assignment.queries.js'",
  "services/trainer/src/sim/labelling.ts: '../../../../apps/api/src/labels/labels.service.js'",
  "services/trainer/src/sim/labelling.ts: '../../../../apps/api/src/adjudication/adjudication.service.js'",
  "services/trainer/src/sim/labelling.ts: '../../../../apps/api/src/adjudication/adjudication.queries.js'",
  "services/trainer/src/sim/project.ts: '../../../../apps/api/src/projects/projects.queries.js'",
  "services/trainer/src/sim/project.ts: '../../../../apps/api/src/users/users.queries.js'",
  "services/trainer/src/sim/project.ts: '../../../../apps/api/src/ingest/ingest.js'",
  "services/trainer/src/sim/project.ts: '../../../../apps/api/src/ingest/cohorts.js'",
  "services/trainer/src/sim/truth.ts: '../../../../apps/api/src/ingest/pseudonym.js'",
  "bench/al-round/run.ts: '../../services/trainer/src/backend.js'",
  "bench/al-round/run.ts: '../../services/trainer/src/model/head.js'",
  "bench/al-round/run.ts: '../../services/trainer/src/model/warm-start.js'",
  "bench/al-round/run.ts: '../../services/trainer/src/al/uncertainty.js'",
  "bench/al-round/run.ts: '../../services/trainer/src/al/candidate-pool.js'",
  "bench/al-round/run.ts: '../../services/trainer/src/al/select.js'",
  "bench/al-round/run.ts: '../../services/trainer/src/eval/splits.js'",
  "bench/embeddings/run.ts: '../../services/trainer/src/backend.js'",
  "bench/embeddings/run.ts: '../../services/trainer/src/model/backbone.js'",
  "bench/embeddings/run.ts: '../../services/trainer/src/data/embeddings.js'",
  "bench/embeddings/run.ts: '../../services/trainer/src/data/onnx-embedder.js'",
  "bench/embeddings/run.ts: '../../services/trainer/src/data/embed-batch.js'",
  "bench/embeddings/run.ts: '../../services/trainer/src/testing/dicom-fixture.js'",
  "bench/gpu-check.ts: '../services/trainer/src/backend.js'",
  "bench/gpu-check.ts: '../services/trainer/src/model/backbone.js'",
  "bench/gpu-check.ts: '../services/trainer/src/model/head.js'",
  "bench/gpu-check.ts: '../services/trainer/src/model/finetune.js'",
  "bench/gpu-check.ts: '../services/trainer/src/data/embed-batch.js'",
  "bench/gpu-check.ts: '../services/trainer/src/data/embeddings.js'",
  "bench/gpu-check.ts: '../services/trainer/src/round.js'",
  "bench/gpu-check.ts: '../services/trainer/src/eval/splits.js'",
  "bench/gpu-check.ts: '../services/trainer/src/testing/project-fixture.js'",
  "bench/gpu-check.ts: '../apps/api/src/config/config.js'",
  "bench/ingest-decode/run.ts: '../../apps/api/src/ingest/codecs.js'",
  "bench/ingest-decode/run.ts: '../../apps/api/src/ingest/prepare-file.js'",
  "bench/ingest-decode/run.ts: '../../apps/api/src/ingest/parse-instance.js'",
  "bench/ingest-decode/run.ts: '../../apps/api/src/ingest/pixel-decode.js'",
  "bench/ingest-decode/run.ts: '../../apps/api/src/ingest/series-rules.js'",
  "bench/ingest-decode/run.ts: '../../apps/api/src/config/config.js'",
  "bench/labeling/api-child.ts: '../../apps/api/src/server/start.js'",
  "bench/labeling/run.ts: '../../apps/api/src/projects/projects.queries.js'",
  "bench/labeling/run.ts: '../../apps/api/src/assignment/assignment.service.js'",
  "bench/labeling/run.ts: '../../apps/api/src/labels/labels.service.js'",
  "bench/labeling/run.ts: '../../apps/api/src/auth/passwords.js'",
  "bench/labeling/run.ts: '../../apps/api/src/auth/sessions.queries.js'",
  "bench/query-cost/run.ts: '../../apps/api/src/server/start.js'",
  "bench/query-cost/run.ts: '../../apps/api/src/projects/projects.queries.js'",
  "bench/query-cost/run.ts: '../../apps/api/src/users/users.queries.js'",
  "bench/reader-qc/run.ts: '../../apps/api/src/projects/projects.queries.js'",
  "bench/reader-qc/run.ts: '../../apps/api/src/assignment/assignment.service.js'",
  "bench/reader-qc/run.ts: '../../apps/api/src/labels/labels.service.js'",
  "bench/structured-report/run.ts: '../../apps/api/src/projects/projects.queries.js'",
  "bench/structured-report/run.ts: '../../apps/api/src/export/export.queries.js'",
  "bench/structured-report/run.ts: '../../apps/api/src/structured-report/sr-build.js'",
  "bench/submit-timing/run.ts: '../../apps/api/src/server/start.js'",
  "bench/submit-timing/run.ts: '../../apps/api/src/projects/projects.queries.js'",
  "bench/submit-timing/run.ts: '../../apps/api/src/users/users.queries.js'",
]);

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
  assert.deepEqual(offencesIn(`import { q } from '../apps/b/src/q.js';`, 'bench/run.ts', WORKSPACES).map(describeOffence),
    [`bench/run.ts: '../apps/b/src/q.js' leaves the root workspace for apps/b`]);
  assert.equal(workspaceOf('apps/bb/x.ts', WORKSPACES), '.', 'a folder that only starts like a workspace is not it');
});

test('[WS1] no file outside a workspace imports it by relative path', () => {
  const { workspaces, files, offences } = scanImportGraph(REPO_ROOT);
  assert.ok(workspaces.length >= 4 && files > 200, `the workspaces and their files were read (${workspaces.length} workspaces, ${files} files)`);
  const listed = offences.map((o) => `${o.file}: '${o.specifier}'`);
  const unexpected = offences.filter((o, i) => !ALLOWED.has(listed[i]) && !PENDING.has(listed[i])).map(describeOffence);
  assert.deepEqual(unexpected, [], `${unexpected.length} relative imports leave their workspace; import the package by name (add it to the importer's package.json dependencies):\n  ${unexpected.join('\n  ')}`);
  const stale = [...ALLOWED, ...PENDING].filter((a) => !listed.includes(a));
  assert.deepEqual(stale, [], 'an allowed path that is gone leaves the allow-list');
});

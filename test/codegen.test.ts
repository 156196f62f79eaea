/**
 * [GT1] [GT2] Generated types are current, and the web app sends only typed documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.js';
import { REPO_ROOT } from '../apps/api/src/config/config.js';

test('[GT1] the committed generated files equal a fresh codegen run', async () => {
  const outputs = (await generate({ ...config, cwd: REPO_ROOT, silent: true }, false)) as { filename: string; content: string }[];
  const files = outputs.map((o) => path.relative(REPO_ROOT, path.resolve(REPO_ROOT, o.filename))).sort();
  assert.ok(files.includes('apps/api/src/graphql/generated.ts') && files.includes('apps/web/lib/gql/graphql.ts'), files.join(', '));
  const stale = outputs.filter((o) => {
    const p = path.resolve(REPO_ROOT, o.filename);
    return !fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== o.content;
  });
  assert.deepEqual(stale.map((o) => o.filename), [], 'stale generated files: run `npm run codegen` and commit the result');
});

test('[GT2] no page writes a GraphQL operation by hand: every one is a typed document in lib/queries.ts', () => {
  const webDir = path.join(REPO_ROOT, 'apps/web');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (!['node_modules', '.next', 'gql'].includes(e.name)) walk(p); continue; }
      if (!/\.(ts|tsx)$/.test(e.name) || p.endsWith(path.join('lib', 'queries.ts'))) continue;
      const src = fs.readFileSync(p, 'utf8');
      if (/[`'"]\s*(query|mutation|subscription)\b[\s\w$(]*[({]/.test(src)) offenders.push(path.relative(REPO_ROOT, p));
    }
  };
  walk(webDir);
  assert.deepEqual(offenders, []);
  assert.equal(fs.existsSync(path.join(webDir, 'lib/api-types.ts')), false, 'hand-written API types are gone');
  const queries = fs.readFileSync(path.join(webDir, 'lib/queries.ts'), 'utf8');
  const bare = queries.split('\n').filter((l) => /^export const \w+ = [`'"]/.test(l));
  assert.deepEqual(bare, [], 'every exported document goes through graphql()');
});

/**
 * [GT1] [GT2] Generated types are current, and the web app sends only typed documents.
 * [GT3] The features' resolver maps, merged, cover the schema's operations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLObjectType } from 'graphql';
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
  assert.deepEqual(
    stale.map((o) => o.filename),
    [],
    'stale generated files: run `npm run codegen` and commit the result',
  );
});

test('[GT2] no page writes a GraphQL operation by hand: every one is a typed document in lib/queries.ts', () => {
  const webDir = path.join(REPO_ROOT, 'apps/web');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', '.next', 'gql'].includes(e.name)) walk(p);
        continue;
      }
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

test('[GT3] every Query and Mutation field of schema.graphql is resolved, each by one feature', async () => {
  // Importing the map runs mergeResolvers, which refuses a field two features both resolve.
  const { resolvers } = await import('../apps/api/src/graphql/resolvers.js');
  const schema = buildSchema(fs.readFileSync(path.join(REPO_ROOT, 'schema.graphql'), 'utf8'));
  const wrong: string[] = [];
  for (const root of ['Query', 'Mutation'] as const) {
    const fields = (schema.getType(root) as GraphQLObjectType).getFields();
    const resolved = (resolvers[root] ?? {}) as Record<string, unknown>;
    for (const f of Object.keys(fields)) if (typeof resolved[f] !== 'function') wrong.push(`${root}.${f} has no resolver`);
    for (const f of Object.keys(resolved)) if (!fields[f]) wrong.push(`${root}.${f} is not in the schema`);
  }
  assert.deepEqual(wrong, []);
});

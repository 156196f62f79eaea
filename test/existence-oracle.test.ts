/**
 * [EX1] No existence oracle: for every query and mutation that takes an id (walked from
 * schema.graphql, so a new one is covered or fails here), a caller outside project B gets the
 * very same answer for a real id of B's and for a random id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { buildSchema, getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { startTestApi, seedProject, gql } from './helpers/api.js';
import { submitLabel } from '../apps/api/src/labels/labels.service.js';
import { nextSlice } from '../apps/api/src/assignment/assignment.service.js';

const t = await startTestApi('oracle');
const a = await seedProject(t, {
  slicesPerSeries: 2,
  users: { olead: ['LEAD'], olab: ['LABELER'], oadj: ['ADJUDICATOR'], omix: ['LEAD', 'ADJUDICATOR', 'LABELER'] },
});
const b = await seedProject(t, { slicesPerSeries: 2, users: { blab1: ['LABELER'], blab2: ['LABELER'] } });
// Project B's rows of every kind an id can name.
const sa = await nextSlice(t.sql, b.projectId, b.users.blab1.id);
const sb = await nextSlice(t.sql, b.projectId, b.users.blab2.id);
await submitLabel(t.sql, { sliceId: sa!.sliceId, userId: b.users.blab1.id, value: 1, clientRequestId: null });
await submitLabel(t.sql, { sliceId: sb!.sliceId, userId: b.users.blab2.id, value: 0, clientRequestId: null });
const [item] = await t.sql`select id from adjudication_items where project_id = ${b.projectId}`;
const [batch] = await t.sql`insert into ingest_batches (project_id, source) values (${b.projectId}, 'test') returning id`;
const [mv] = await t.sql`insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
                         values (${b.projectId}, 1, 'CURRENT', 'test', 'cpu', 'entropy', 2, '{}', '{}') returning id`;
const [mv2] = await t.sql`insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
                          values (${b.projectId}, 2, 'CANDIDATE', 'test', 'cpu', 'entropy', 2, '{}', '{}') returning id`;

/** The real id of project B's row that each id argument names. */
const REAL: Record<string, string> = {
  projectId: b.projectId,
  'project.id': b.projectId,
  'updateProject.id': b.projectId,
  'ingestBatch.id': batch.id,
  sliceId: b.sliceIds[0],
  itemId: item.id,
  modelVersionId: mv.id,
  'compareVersions.a': mv.id,
  'compareVersions.b': mv2.id,
  userId: b.users.blab1.id,
  projectIds: b.projectId,
};
/** ID arguments that name no row (idempotency keys). */
const NOT_ROW_IDS = new Set(['clientRequestId']);

const schema = buildSchema(fs.readFileSync('schema.graphql', 'utf8'));

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  return isObjectType(getNamedType(field.type)) ? '{ __typename }' : '';
}

function valueFor(type: string): unknown {
  if (type.startsWith('Int')) return 1;
  if (type.startsWith('Float')) return 0.1;
  if (type.startsWith('Boolean')) return true;
  if (type.startsWith('[Role')) return ['LABELER'];
  if (type.startsWith('ProjectSettingsInput')) return { readsPerSlice: 2 };
  if (type.startsWith('String')) return 'CORD_DEFORMITY';
  return null;
}

function idFields(root: GraphQLObjectType): { field: GraphQLField<unknown, unknown>; idArgs: string[] }[] {
  return Object.values(root.getFields())
    .map((field) => ({ field, idArgs: field.args.filter((x) => getNamedType(x.type).name === 'ID' && !NOT_ROW_IDS.has(x.name)).map((x) => x.name) }))
    .filter((f) => f.idArgs.length > 0);
}

async function call(root: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, ids: Record<string, string>, token: string) {
  const vars: Record<string, unknown> = {};
  for (const arg of field.args) {
    const ty = arg.type.toString();
    const v = arg.name in ids ? (ty.startsWith('[') ? [ids[arg.name]] : ids[arg.name]) : NOT_ROW_IDS.has(arg.name) ? randomUUID() : valueFor(ty);
    if (v !== null) vars[arg.name] = v;
  }
  const decl = field.args
    .filter((x) => x.name in vars)
    .map((x) => `$${x.name}: ${x.type}`)
    .join(', ');
  const use = field.args
    .filter((x) => x.name in vars)
    .map((x) => `${x.name}: $${x.name}`)
    .join(', ');
  const doc = `${root}${decl ? `(${decl})` : ''} { ${field.name}${use ? `(${use})` : ''} ${selectionFor(field)} }`;
  return gql(t.url, doc, vars, token);
}

test('[EX1] every id-taking field answers a real id of another project exactly like a random id', async () => {
  const roots = [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ] as const;
  let compared = 0;
  for (const [root, type] of roots) {
    for (const { field, idArgs } of idFields(type)) {
      for (const caller of ['olead', 'olab', 'oadj', 'omix']) {
        const real: Record<string, string> = {};
        const random: Record<string, string> = {};
        for (const arg of idArgs) {
          const id = REAL[`${field.name}.${arg}`] ?? REAL[arg];
          assert.ok(id, `${field.name}(${arg}): add project B's real id for this argument to REAL`);
          real[arg] = id;
          random[arg] = randomUUID();
        }
        const token = a.users[caller].token;
        const r1 = await call(root, field, real, token);
        const r2 = await call(root, field, random, token);
        const what = `${caller} ${field.name}(${idArgs.join(', ')})`;
        assert.ok(r1.errors?.length, `${what}: another project's row must be refused: ${JSON.stringify(r1)}`);
        assert.deepEqual(
          { code: r1.errors![0].extensions?.code, message: r1.errors![0].message },
          { code: r2.errors?.[0]?.extensions?.code, message: r2.errors?.[0]?.message },
          `${what}: real and random ids must look the same`,
        );
        compared++;
      }
    }
  }
  assert.ok(compared >= 15 * 4, `walked ${compared} field × caller pairs`);
  // Nothing changed in B.
  const [{ n }] = await t.sql`select count(*)::int as n from adjudications`;
  assert.equal(n, 0);
});

test("[EX1] ingestBatch: NOT_FOUND for both, whatever the caller's role; members still hear FORBIDDEN for their own", async () => {
  const Q = 'query($id:ID!){ ingestBatch(id:$id){ id } }';
  for (const caller of ['olead', 'olab']) {
    for (const id of [batch.id, randomUUID()]) {
      assert.equal((await gql(t.url, Q, { id }, a.users[caller].token)).errors?.[0]?.extensions?.code, 'NOT_FOUND', `${caller} ${id}`);
    }
  }
  const [own] = await t.sql`insert into ingest_batches (project_id, source) values (${a.projectId}, 'test') returning id`;
  assert.equal((await gql(t.url, Q, { id: own.id }, a.users.olab.token)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.equal((await gql(t.url, Q, { id: own.id }, a.users.olead.token)).data?.ingestBatch?.id, own.id);
});

test("[EX1] REST routes: another project's id and a random id get the same status and body", async () => {
  const random = randomUUID();
  for (const caller of ['olead', 'olab', 'omix']) {
    const headers = { authorization: `Bearer ${a.users[caller].token}` };
    const pairs: [string, string, RequestInit][] = [
      [`/export/${b.projectId}/reads.csv`, `/export/${random}/reads.csv`, { headers }],
      [`/images/${b.sliceIds[0]}`, `/images/${random}`, { headers }],
      [`/upload?projectId=${b.projectId}`, `/upload?projectId=${random}`, { method: 'POST', headers, body: new FormData() }],
    ];
    for (const [real, fake, init] of pairs) {
      const r1 = await fetch(`${t.url}${real}`, init);
      const r2 = await fetch(`${t.url}${fake}`, init);
      assert.deepEqual({ status: r1.status, body: await r1.text() }, { status: r2.status, body: await r2.text() }, `${caller} ${real}`);
      assert.ok(r1.status === 404 || r1.status === 403, `${caller} ${real}: ${r1.status}`);
    }
  }
});

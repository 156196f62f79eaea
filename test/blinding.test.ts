/**
 * Attacker's-side tests of blinding [BL1]: a labeler walks every query and mutation the
 * schema offers and listens to every socket event, while other readers label the same slices,
 * adjudication opens, and model scores exist. Nothing may reveal other reads, read counts,
 * model output, cohort or identity.
 */
import { EXPORT_KINDS } from '../apps/api/src/export/export.queries.js';
import { fileStoreFor } from '@concord/db';
import { test } from 'node:test';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { buildSchema, getNamedType, isObjectType, isScalarType, isEnumType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import fs from 'node:fs';
import { startTestApi, seedProject, gql, gqlOk, NEXT_SLICE, SUBMIT, connectSocket } from './helpers/api.js';

const t = await startTestApi('blind');
const s = await seedProject(t, { slicesPerSeries: 3, series: 2, users: { spy: ['LABELER'], peer: ['LABELER'], peer2: ['LABELER'], lead: ['LEAD'] } });
const schema = buildSchema(fs.readFileSync('schema.graphql', 'utf8'));

// Fields a labeler may legitimately receive data from; everything else must be refused.
const LABELER_QUERIES = new Set(['me', 'projects', 'project', 'nextSlice', 'nextSlices', 'myProgress', 'myCalibration']);
const LABELER_MUTATIONS = new Set(['login', 'logout', 'submitLabel', 'skipSlice']);

/** A selection set of every scalar field, two levels deep, for walking what a type exposes. */
function selection(type: GraphQLObjectType, depth = 0): string {
  const parts: string[] = [];
  for (const f of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
    if (f.args.some((a) => a.type.toString().endsWith('!') && a.defaultValue === undefined)) continue;
    const named = getNamedType(f.type);
    if (isScalarType(named) || isEnumType(named)) parts.push(f.name);
    else if (isObjectType(named) && depth < 3) parts.push(`${f.name} { ${selection(named, depth + 1)} }`);
  }
  return parts.join(' ');
}

/** The kinds of entity an `ID` argument names. */
interface RealIds {
  project: string;
  slice: string;
  user: string;
  modelVersion: string;
  ingestBatch: string;
  adjudicationItem: string;
}

/**
 * The kind of each `ID` argument, by `field.argument` or by argument name [TW2]. A walk that gave
 * every id argument a slice id met NOT_FOUND before the role check in every resolver that looks a
 * row up first (ingestBatch, screening, compareVersions, promoteModel), so those checks were never
 * reached. An id argument not listed fails the walk: a new one must say what it names.
 */
const ID_KIND: Record<string, keyof RealIds | 'fresh'> = {
  projectId: 'project',
  projectIds: 'project',
  'project.id': 'project',
  'updateProject.id': 'project',
  sliceId: 'slice',
  userId: 'user',
  itemId: 'adjudicationItem',
  modelVersionId: 'modelVersion',
  'compareVersions.a': 'modelVersion',
  'compareVersions.b': 'modelVersion',
  'ingestBatch.id': 'ingestBatch',
  // An idempotency key the client makes up, not a row.
  clientRequestId: 'fresh',
};

function idFor(field: GraphQLField<unknown, unknown>, arg: string, ids: RealIds): string {
  const kind = ID_KIND[`${field.name}.${arg}`] ?? ID_KIND[arg];
  assert.ok(kind, `${field.name}(${arg}: ID): say in ID_KIND what kind of id it takes, so the walk passes a real one`);
  return kind === 'fresh' ? randomUUID() : ids[kind];
}

function argsFor(field: GraphQLField<unknown, unknown>, ids: RealIds): { decl: string; use: string; vars: Record<string, unknown> } {
  const vars: Record<string, unknown> = {};
  const decl: string[] = [];
  const use: string[] = [];
  for (const a of field.args) {
    const ty = a.type.toString();
    const v = ty.startsWith('ID')
      ? idFor(field, a.name, ids)
      : ty.startsWith('[ID')
        ? [idFor(field, a.name, ids)]
        : ty.startsWith('Int')
          ? 1
          : ty.startsWith('String')
            ? 'CORD_DEFORMITY'
            : ty.startsWith('[Role')
              ? ['ADMIN']
              : ty.startsWith('ProjectSettingsInput')
                ? { readsPerSlice: 1 }
                : ty.startsWith('[GoldItemInput')
                  ? [{ sliceId: ids.slice, value: 1 }]
                  : ty.startsWith('[CalibrationItemInput')
                    ? [{ sliceId: ids.slice, value: 1, reasoning: 'cord flattened' }]
                    : ty.startsWith('Boolean')
                      ? true
                      : null;
    if (v === null && ty.endsWith('!')) continue;
    vars[a.name] = v;
    decl.push(`$${a.name}: ${ty}`);
    use.push(`${a.name}: $${a.name}`);
  }
  return { decl: decl.length ? `(${decl.join(', ')})` : '', use: use.length ? `(${use.join(', ')})` : '', vars };
}

/** One operation with real ids of the right kind, as `token`. */
async function call(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, ids: RealIds, token: string) {
  const named = getNamedType(field.type);
  const sel = isObjectType(named) ? `{ ${selection(named)} }` : '';
  const { decl, use, vars } = argsFor(field, ids);
  return gql(t.url, `${kind}${decl} { ${field.name}${use} ${sel} }`, vars, token);
}

/** What a refused call must never change, whoever made it. */
async function snapshot(): Promise<string> {
  const [state] = await t.sql`
    select (select json_agg(json_build_array(id, reads_per_slice, current_model_version_id) order by id) from projects) as projects,
           (select json_agg(json_build_array(user_id, role) order by user_id, role) from user_roles) as roles,
           (select json_agg(json_build_array(project_id, user_id) order by project_id, user_id) from project_members) as members,
           (select json_agg(json_build_array(id, disabled) order by id) from users) as users,
           (select json_agg(json_build_array(id, status) order by id) from model_versions) as versions,
           (select count(*) from adjudications) as adjudications,
           (select count(*) from evaluation_sets) as sets,
           (select count(*) from ingest_batches) as batches,
           (select count(*) from gold_slices) as gold,
           (select count(*) from calibration_slices) as calibration,
           (select count(*) from audit_log) as audited,
           -- No training was queued.
           (select count(*) from training_jobs) as queue`;
  return JSON.stringify(state);
}

/** Operations only an admin may call; a lead of the project is refused them too. */
const ADMIN_ONLY = new Set(['users', 'createProject', 'updateProject', 'createUser', 'setUserRoles', 'unlockUser', 'addProjectMember', 'ingestDicomweb']);
let ids: RealIds;

test('[BL1] setup: peers label, a disagreement opens, a model scores slices', async () => {
  for (let i = 0; i < 2; i++) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.peer.token);
    const b = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.peer2.token);
    await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: 1 }, s.users.peer.token);
    await gqlOk(t.url, SUBMIT, { s: b.nextSlice.slice.id, v: i }, s.users.peer2.token);
  }
  const [mv] = await t.sql`insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
                           values (${s.projectId}, 1, 'CURRENT', 'test', 'cpu', 'entropy', 2, '{}', '{"auc":0.9}') returning id`;
  await t.sql`update projects set current_model_version_id = ${mv.id} where id = ${s.projectId}`;
  for (const [i, id] of s.sliceIds.entries()) {
    await t.sql`insert into predictions (model_version_id, slice_id, probability) values (${mv.id}, ${id}, 0.8731)`;
    await t.sql`insert into uncertainty_scores (model_version_id, slice_id, strategy, score, rank) values (${mv.id}, ${id}, 'entropy', 0.4242, ${i})`;
  }
  const [batch] = await t.sql`insert into ingest_batches (project_id, source, created_by) values (${s.projectId}, 'blinding', ${s.users.lead.id}) returning id`;
  const [item] = await t.sql`select id, slice_id from adjudication_items where project_id = ${s.projectId}`;
  assert.ok(item, 'the peers disagreed on a slice: an adjudication item is open');
  ids = { project: s.projectId, slice: item.sliceId, user: s.users.peer.id, modelVersion: mv.id, ingestBatch: batch.id, adjudicationItem: item.id };
});

test('[BL1] [TW2] every query a labeler can call: allowed ones reveal nothing, the rest are refused by their role check', async () => {
  const spy = s.users.spy.token;
  // The spy holds one slice, which peers have already read.
  const mine = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, spy);
  assert.ok(mine.nextSlice);
  assert.deepEqual(Object.keys(mine.nextSlice).sort(), ['id', 'leaseExpiresAt', 'slice'], 'no selection hint on the assignment');
  let refused = 0;
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    const r = await call('query', field, ids, spy);
    const text = JSON.stringify(r);
    if (LABELER_QUERIES.has(field.name)) {
      assert.ok(!r.errors, `${field.name}: ${text}`);
    } else {
      // Real ids of the right kind in the spy's own project: only the role check can refuse [TW2].
      assert.equal(r.errors?.[0].extensions?.code, 'FORBIDDEN', `${field.name} must be refused by its role check: ${text}`);
      refused++;
    }
    for (const secret of ['0.8731', '0.4242', 'DCM', 'CONTROL', 'PSN', 'peer', 'readsDone":2', 'cohort', 'probability']) {
      assert.ok(!text.includes(secret), `${field.name} leaks "${secret}": ${text}`);
    }
    if (field.name === 'project' || field.name === 'projects') assert.ok(!/"progress":\{/.test(text), 'project progress is for leads');
  }
  console.log(`# ${refused} queries refused to a labeler by their role check (FORBIDDEN)`);
});

test('[BL1] [TW2] mutations a labeler may not call are refused by their role check, without effect', async () => {
  const spy = s.users.spy.token;
  const before = await snapshot();
  let refused = 0;
  for (const field of Object.values(schema.getMutationType()!.getFields())) {
    if (LABELER_MUTATIONS.has(field.name)) continue;
    const r = await call('mutation', field, ids, spy);
    assert.equal(r.errors?.[0].extensions?.code, 'FORBIDDEN', `${field.name}: ${JSON.stringify(r)}`);
    refused++;
  }
  console.log(`# ${refused} mutations refused to a labeler by their role check (FORBIDDEN)`);
  const [p] = await t.sql`select reads_per_slice from projects where id = ${s.projectId}`;
  assert.equal(p.readsPerSlice, 2, 'nothing changed');
  assert.equal(await snapshot(), before, 'no refused mutation changed projects, roles, members, users, versions, adjudications or jobs');
});

test('[BL1] [TW2] a lead of the project is refused every admin-only operation by its role check, without effect', async () => {
  const lead = s.users.lead.token;
  const before = await snapshot();
  const walked: string[] = [];
  for (const [kind, type] of [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ] as const) {
    for (const field of Object.values(type.getFields())) {
      if (!ADMIN_ONLY.has(field.name)) continue;
      const r = await call(kind, field, ids, lead);
      assert.equal(r.errors?.[0].extensions?.code, 'FORBIDDEN', `${field.name} as a lead: ${JSON.stringify(r)}`);
      walked.push(field.name);
    }
  }
  assert.deepEqual(walked.sort(), [...ADMIN_ONLY].sort(), 'every admin-only operation is in the schema and was walked');
  assert.equal(await snapshot(), before, 'no refused call changed anything');
});

test('[BL1] [TW2] a real project the caller is not a member of answers exactly like an id that names nothing, in every operation', async () => {
  const foreign = (await seedProject(t, { users: {} as Record<string, never> })).projectId;
  const before = await snapshot();
  const takesProject = (f: GraphQLField<unknown, unknown>) => f.args.some((a) => (ID_KIND[`${f.name}.${a.name}`] ?? ID_KIND[a.name]) === 'project');
  let walked = 0;
  for (const who of ['spy', 'lead'] as const) {
    for (const [kind, type] of [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const) {
      for (const field of Object.values(type.getFields()).filter(takesProject)) {
        const answer = async (project: string) => {
          const r = await call(kind, field, { ...ids, project }, s.users[who].token);
          return [r.errors?.[0].extensions?.code, r.errors?.[0].message];
        };
        const real = await answer(foreign);
        assert.ok(real[0], `${field.name} as ${who} on a foreign project is refused`);
        assert.deepEqual(real, await answer(randomUUID()), `${field.name} as ${who}: a real foreign project and an unknown id look the same`);
        walked++;
      }
    }
  }
  console.log(`# ${walked} calls on a foreign project answered as for an unknown id`);
  assert.equal(await snapshot(), before, 'no call on a foreign project changed anything');
});

test('[BL1] a second label reveals nothing about the first reads; errors are the same for every slice', async () => {
  const spy = s.users.spy.token;
  const held = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, spy);
  // A slice the spy does not hold, read twice by peers, and one nobody read: same answer.
  const r1 = await gql(t.url, SUBMIT, { s: s.sliceIds[0] === held.nextSlice.slice.id ? s.sliceIds[1] : s.sliceIds[0], v: 1 }, spy);
  const r2 = await gql(t.url, SUBMIT, { s: s.sliceIds[5], v: 1 }, spy);
  assert.equal(r1.errors?.[0].message, r2.errors?.[0].message);
  assert.equal(r1.errors?.[0].extensions?.code, r2.errors?.[0].extensions?.code);
});

test('[BL1] images: a labeler gets only series they hold an assignment in', async () => {
  const spy = s.users.spy.token;
  const held = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, spy);
  const heldSeries = new Set(held.nextSlice.slice.series.slices.map((x: { id: string }) => x.id));
  const other = s.sliceIds.find((id) => !heldSeries.has(id))!;
  const r = await fetch(`${t.url}/images/${other}`, { headers: { authorization: `Bearer ${spy}` } });
  assert.equal(r.status, 404);
  // Every export, including the model's predictions and the selection log, is refused to a labeler.
  for (const kind of EXPORT_KINDS) {
    for (const format of ['csv', 'json']) {
      const exp = await fetch(`${t.url}/export/${s.projectId}/${kind}.${format}`, { headers: { authorization: `Bearer ${spy}` } });
      assert.equal(exp.status, 403, `${kind}.${format}`);
    }
  }
});

test('[BL1] socket: a labeler receives only their own queue size, presence counts, and reprioritisation', async () => {
  const spySock = await connectSocket(t.url, s.users.spy.token, s.projectId);
  await spySock.waitFor((e) => e.type === 'queue:size');
  const before = spySock.events.length;
  // Peers act: reads, an adjudication item, progress for leads.
  const o = await seedProject(t, { users: {} as Record<string, never> });
  void o;
  const a = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.peer.token);
  if (a.nextSlice) await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: 0 }, s.users.peer.token);
  // "No event" needs a window in which one would have arrived; the window is the thing under test [TW1].
  await new Promise((r) => setTimeout(r, 400));
  const fromOthers = spySock.events.slice(before).filter((e) => e.type !== 'presence');
  assert.deepEqual(fromOthers, [], 'no event is triggered for the spy by other readers');
  for (const e of spySock.events) {
    assert.ok(['presence', 'queue:size', 'queue:reprioritised'].includes(e.type), `unexpected ${e.type}`);
    if (e.type === 'presence') for (const o2 of e.online) assert.deepEqual(o2.usernames, []);
  }
  const held = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.spy.token);
  if (held.nextSlice) {
    await gqlOk(t.url, SUBMIT, { s: held.nextSlice.slice.id, v: 1 }, s.users.spy.token);
    await spySock.waitFor((e) => e.type === 'queue:size' && spySock.events.indexOf(e) >= before);
  }
});

/**
 * An answer with what legitimately differs from slice to slice (ids, URLs, lease time, position,
 * queue size) replaced by its key: any other difference, even one boolean, survives the comparison.
 */
const VARYING = new Set(['id', 'sliceId', 'imageUrl', 'leaseExpiresAt', 'position', 'size', 'readsDone', 'projectId']);
function shape(x: unknown, key = ''): unknown {
  if (Array.isArray(x)) return x.map((v) => shape(v));
  if (x && typeof x === 'object')
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, shape((x as Record<string, unknown>)[k], k)]),
    );
  return VARYING.has(key) ? `<${key}>` : x;
}

test('[EV8] a labeler cannot tell test, audit, active and queue slices apart: same fields, same events', async () => {
  const p = await seedProject(t, { slicesPerSeries: 2, series: 4, reads: 1, users: { blindspy: ['LABELER'] } });
  const spy = p.users.blindspy.token;
  const sliceOf = async (series: number) =>
    (await t.sql<{ id: string }[]>`select id from slices where series_id = ${p.seriesIds[series]} order by position`).map((r) => r.id);
  const [testSlices, activeSlices, auditSlices, queueSlices] = [await sliceOf(0), await sliceOf(1), await sliceOf(2), await sliceOf(3)];
  // Series 0's patient is the evaluation set; series 1 was picked by uncertainty, series 2 by the audit draw.
  const [{ patientId: testPatient }] = await t.sql<
    { patientId: string }[]
  >`select st.patient_id from series se join studies st on st.id = se.study_id where se.id = ${p.seriesIds[0]}`;
  const [set] = await t.sql`insert into evaluation_sets (project_id, rule) values (${p.projectId}, '{}') returning id`;
  await t.sql`insert into evaluation_set_patients (set_id, patient_id) values (${set.id}, ${testPatient})`;
  await t.sql`update patients set is_test = true where id = ${testPatient}`;
  await t.sql`update projects set evaluation_share = 0.5 where id = ${p.projectId}`;
  const [mv] = await t.sql`insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
                           values (${p.projectId}, 1, 'CURRENT', 'test', 'cpu', 'entropy', 2, '{}', '{"auc":0.9}') returning id`;
  await t.sql`update projects set current_model_version_id = ${mv.id} where id = ${p.projectId}`;
  const picks = [...activeSlices.map((id) => ({ id, mode: 'ACTIVE' })), ...auditSlices.map((id) => ({ id, mode: 'AUDIT' }))];
  for (const [i, pick] of picks.entries()) {
    await t.sql`insert into uncertainty_scores (model_version_id, slice_id, strategy, score, rank) values (${mv.id}, ${pick.id}, 'entropy', 0.4242, ${i + 1})`;
    await t.sql`insert into selection_log (project_id, slice_id, model_version_id, strategy, score, rank, mode) values (${p.projectId}, ${pick.id}, ${mv.id}, 'entropy', 0.4242, ${i + 1}, ${pick.mode})`;
  }

  const sock = await connectSocket(t.url, spy, p.projectId);
  await sock.waitFor((e) => e.type === 'queue:size');
  const served = new Map<string, { answer: unknown; events: unknown[] }>();
  // Every field the schema offers on an assignment, not only what the web app asks for.
  const everyField = `query($p:ID!){ nextSlice(projectId:$p){ ${selection(schema.getType('Assignment') as GraphQLObjectType)} } }`;
  for (let i = 0; i < 8; i++) {
    const r = await gql(t.url, everyField, { p: p.projectId }, spy);
    assert.ok(!r.errors, JSON.stringify(r.errors));
    const text = JSON.stringify(r);
    for (const secret of ['TEST', 'AUDIT', 'ACTIVE', 'prioritised', 'rank', '0.4242', 'is_test', 'evaluation'])
      assert.ok(!text.includes(secret), `leaks "${secret}": ${text}`);
    const id = r.data.nextSlice.slice.id as string;
    const before = sock.events.length;
    await gqlOk(t.url, SUBMIT, { s: id, v: 0 }, spy);
    await sock.waitFor((e) => e.type === 'queue:size' && sock.events.indexOf(e) >= before);
    served.set(id, {
      answer: shape(r.data),
      events: sock.events
        .slice(before)
        .filter((e) => e.type !== 'presence')
        .map((e) => shape(e)),
    });
  }
  const kinds = { test: testSlices, active: activeSlices, audit: auditSlices, queue: queueSlices };
  for (const [kind, ids] of Object.entries(kinds)) for (const id of ids) assert.ok(served.has(id), `the ${kind} slice ${id} was served`);
  const reference = served.get(queueSlices[0])!;
  for (const [kind, ids] of Object.entries(kinds)) {
    for (const id of ids)
      assert.deepEqual(
        served.get(id),
        reference,
        `a ${kind} slice looks like a queue slice, in GraphQL and on the socket: ${JSON.stringify(served.get(id))} vs ${JSON.stringify(reference)}`,
      );
  }
  for (const e of sock.events) assert.ok(['presence', 'queue:size', 'queue:reprioritised'].includes(e.type), `unexpected ${e.type}`);
  sock.socket.disconnect();
});

test('[RQ6] a labeler cannot tell gold slices from any other: same fields, lease, errors, images and events', async () => {
  const p = await seedProject(t, { slicesPerSeries: 4, series: 4, reads: 1, users: { goldspy: ['LABELER'], goldpeer: ['LABELER'], goldlead: ['LEAD'] } });
  const spy = p.users.goldspy.token;
  // The peer reads series 1 first: those slices are closed gold, series 0's are open gold.
  for (let i = 0; i < 4; i++) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.goldpeer.token);
    await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: 1 }, p.users.goldpeer.token);
  }
  const goldIds = p.sliceIds.slice(0, 8);
  await gqlOk(
    t.url,
    `mutation($p:ID!,$i:[GoldItemInput!]!){ addGoldSlices(projectId:$p, items:$i) }`,
    { p: p.projectId, i: goldIds.map((sliceId, i) => ({ sliceId, value: i % 2 })) },
    p.users.goldlead.token,
  );
  await t.sql`update projects set gold_rate = 0.5 where id = ${p.projectId}`;
  // Real stored bytes, so the image route answers 200 and a refusal would show.
  const key = await fileStoreFor(t.dataDir).put(new Uint8Array(256).fill(7));
  await t.sql`update slices set file_key = ${key} where project_id = ${p.projectId}`;
  const [{ leaseSeconds }] = await t.sql`select lease_seconds from projects where id = ${p.projectId}`;

  const sock = await connectSocket(t.url, spy, p.projectId);
  await sock.waitFor((e) => e.type === 'queue:size');
  const everyField = `query($p:ID!){ nextSlice(projectId:$p){ ${selection(schema.getType('Assignment') as GraphQLObjectType)} } }`;
  const seen: { gold: boolean; answer: unknown; events: unknown[]; again: unknown; image: string }[] = [];
  for (let i = 0; i < 12; i++) {
    const asked = Date.now();
    const r = await gql(t.url, everyField, { p: p.projectId }, spy);
    assert.ok(!r.errors, JSON.stringify(r.errors));
    if (!r.data.nextSlice) break;
    const text = JSON.stringify(r);
    for (const secret of ['gold', 'GOLD', 'is_gold', 'expected']) assert.ok(!text.includes(secret), `leaks "${secret}": ${text}`);
    const lease = Date.parse(r.data.nextSlice.leaseExpiresAt) - asked;
    assert.ok(Math.abs(lease - leaseSeconds * 1000) < 30_000, 'the same lease time for every kind');
    const id = r.data.nextSlice.slice.id as string;
    const [row] = await t.sql`select is_gold from assignments where id = ${r.data.nextSlice.id}`;
    const img = await fetch(`${t.url}/images/${id}`, { headers: { authorization: `Bearer ${spy}` } });
    const image = `${img.status} ${img.headers.get('content-type')}`;
    await img.arrayBuffer();
    const before = sock.events.length;
    const submitted = await gql(t.url, SUBMIT, { s: id, v: 0, c: `rq6-${i}` }, spy);
    await sock.waitFor((e) => e.type === 'queue:size' && sock.events.indexOf(e) >= before);
    // A changed label and a replayed request: the same answers on gold and on any slice.
    const changed = await gql(t.url, SUBMIT, { s: id, v: 1 }, spy);
    const replay = await gql(t.url, SUBMIT, { s: id, v: 0, c: `rq6-${i}` }, spy);
    seen.push({
      gold: row.isGold,
      image,
      answer: shape({ next: r.data, submitted: submitted.data }),
      events: sock.events
        .slice(before)
        .filter((e) => e.type !== 'presence')
        .map((e) => shape(e)),
      again: { changed: [changed.errors?.[0].extensions?.code, changed.errors?.[0].message], replay: shape(replay) },
    });
  }
  const gold = seen.filter((x) => x.gold);
  const plain = seen.filter((x) => !x.gold);
  assert.ok(gold.length >= 1 && plain.length >= 1, `both kinds served (${gold.length} gold, ${plain.length} other)`);
  assert.equal(plain[0].image, '200 application/dicom');
  const strip = ({ gold: _g, ...rest }: (typeof seen)[number]) => rest;
  for (const g of gold) assert.deepEqual(strip(g), strip(plain[0]), 'a gold slice looks like any other, in GraphQL, images, errors and on the socket');
  for (const e of sock.events) assert.ok(['presence', 'queue:size', 'queue:reprioritised'].includes(e.type), `unexpected ${e.type}`);
  const [n] = await t.sql`select count(*)::int as n from gold_reads where user_id = ${p.users.goldspy.id}`;
  assert.equal(n.n, gold.length);
  sock.socket.disconnect();
});

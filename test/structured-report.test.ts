import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { getMultipartBoundary, parseMultipartStream } from '@remix-run/multipart-parser';
import { unzipSync } from 'fflate';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { dcmjsData, toArrayBuffer, MR_IMAGE_STORAGE } from '@concord/dicom';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { ingestFromDicomweb } from '../apps/api/src/dicomweb/index.js';
import { fileStoreFor } from '@concord/db';
import { generatePhantom, type PhantomResult } from '@concord/phantom';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { projectSrs, type BuiltSr, type SrOptions } from '../apps/api/src/structured-report/sr-build.js';
import { pushProjectSrs } from '../apps/api/src/structured-report/push.js';
import { setReidentification } from '../apps/api/src/structured-report/reidentification.js';
import { COMPREHENSIVE_SR } from '../apps/api/src/structured-report/sr-document.js';
import { addUsers, startTestApi } from './helpers/api.js';
import { findCorpus } from './helpers/corpus.js';
import { dicomFilesUnder, startOrthanc, uploadToOrthanc, type TestOrthanc } from './helpers/orthanc.js';

// Needs Debian's dcmtk (dsrdump) and dicom3tools (dciodvfy), and orthanc + orthanc-dicomweb.

// ------------------------------------------------------------------ fixtures (top level: helpers register after())
const phantomDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-sr-phantom-'));
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-sr-out-'));
after(() => {
  fs.rmSync(phantomDir, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
});
const [orthanc, phantom]: [TestOrthanc, PhantomResult] = await Promise.all([
  startOrthanc(),
  generatePhantom({ patients: 2, outDir: phantomDir, seed: 'sr', rows: 64 }),
]);
const phantomFiles = dicomFilesUnder(phantomDir);
await uploadToOrthanc(orthanc, phantomFiles);
const t = await startTestApi('sr');
const SECRET = 'sr-test-secret';
const store = fileStoreFor(t.dataDir);

/** Every identifying value of the phantom's original files: none may appear in de-identified output. */
const originalValues = new Set<string>();
for (const f of phantomFiles) {
  const ds = naturalFile(fs.readFileSync(f));
  for (const k of ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'FrameOfReferenceUID', 'PatientID']) {
    if (typeof ds[k] === 'string' && ds[k]) originalValues.add(ds[k] as string);
  }
}

// Project A allows re-identification and pulls from the PACS; project B does not and ingests files.
const projectA = await createProject(t.sql, { name: 'SR reidentifiable' });
await setReidentification(t.sql, projectA.id, true, null);
await ingestFromDicomweb(t.sql, store, { projectId: projectA.id, baseUrl: orthanc.dicomweb, secret: SECRET });
const projectB = await createProject(t.sql, { name: 'SR deidentified' });
await ingest(t.sql, store, { projectId: projectB.id, source: { kind: 'path', path: phantomDir }, secret: SECRET });
const users = await addUsers(t, projectB.id, { srlead: ['LEAD'], srlabeler: ['LABELER'], srreader1: ['LABELER'], srreader2: ['LABELER'] });
await t.sql`insert into project_members (project_id, user_id) values (${projectA.id}, ${users.srlead.id}), (${projectA.id}, ${users.srreader1.id}), (${projectA.id}, ${users.srreader2.id})`;

/**
 * Final labels the way the services leave them: per series, position 0 agreed positive, 1 agreed
 * negative, 2 disagreed and adjudicated positive (reason CSF_EFFACEMENT_ONLY, longer than a Code
 * Value holds); the rest unlabelled. One model version scores every slice.
 */
async function labelProject(projectId: string): Promise<void> {
  const slices = await t.sql<{ id: string; position: number }[]>`
    select s.id, s.position from slices s where s.project_id = ${projectId} and s.position < 3 order by s.id`;
  for (const s of slices) {
    const [a, b] = s.position === 2 ? [1, 0] : s.position === 0 ? [1, 1] : [0, 0];
    const [ra] = await t.sql`insert into reads (project_id, slice_id, user_id, value) values (${projectId}, ${s.id}, ${users.srreader1.id}, ${a}) returning id`;
    const [rb] = await t.sql`insert into reads (project_id, slice_id, user_id, value) values (${projectId}, ${s.id}, ${users.srreader2.id}, ${b}) returning id`;
    if (s.position === 2) {
      const [item] =
        await t.sql`insert into adjudication_items (project_id, slice_id, read_a_id, read_b_id) values (${projectId}, ${s.id}, ${ra.id}, ${rb.id}) returning id`;
      await t.sql`insert into adjudications (item_id, user_id, value, reason_code) values (${item.id}, ${users.srlead.id}, 1, 'CSF_EFFACEMENT_ONLY')`;
      await t.sql`insert into final_labels (slice_id, project_id, value, source) values (${s.id}, ${projectId}, 1, 'ADJUDICATION')`;
    } else {
      await t.sql`insert into final_labels (slice_id, project_id, value, source) values (${s.id}, ${projectId}, ${a}, 'CONSENSUS')`;
    }
  }
  const [mv] = await t.sql`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${projectId}, 1, 'CURRENT', 'tiny', 'cpu', 'entropy', ${slices.length}, '{}', ${t.sql.json({ threshold: 0.5 })}) returning id`;
  await t.sql`
    insert into predictions (model_version_id, slice_id, probability)
    select ${mv.id}, id, ((position * 37) % 100) / 100.0 + 0.001234567 from slices where project_id = ${projectId}`;
}
await labelProject(projectA.id);
await labelProject(projectB.id);

// ------------------------------------------------------------------ helpers
function naturalFile(bytes: Uint8Array): Record<string, any> {
  const file = dcmjsData.DicomMessage.readFile(toArrayBuffer(bytes));
  return dcmjsData.DicomMetaDictionary.naturalizeDataset(file.dict) as Record<string, any>;
}

function items(x: unknown): any[] {
  return Array.isArray(x) ? x : x ? [x] : [];
}

function conceptName(item: any): string {
  const c = items(item.ConceptNameCodeSequence)[0];
  return `${c?.CodeValue ?? c?.LongCodeValue}:${c?.CodingSchemeDesignator}`;
}

function codeValue(item: any): string {
  const c = items(item.ConceptCodeSequence)[0];
  return `${c?.CodeValue ?? c?.LongCodeValue}:${c?.CodingSchemeDesignator}`;
}

interface ParsedLabel {
  sopUid: string;
  sopClassUid: string;
  positive: boolean;
  decision: string;
  reason?: string;
  probabilities: number[];
}

/** Reads the labels back out of an SR: what a PACS-side consumer would do. */
function labelsOf(ds: Record<string, any>): ParsedLabel[] {
  const measurements = items(ds.ContentSequence).find((i) => conceptName(i) === '126010:DCM');
  assert.ok(measurements, 'Imaging Measurements container');
  return items(measurements.ContentSequence).map((group) => {
    const children = items(group.ContentSequence);
    const label = children.find((c) => c.ValueType === 'CODE' && conceptName(c) === '71286001:SCT' && c.RelationshipType === 'CONTAINS');
    const mods = items(label.ContentSequence);
    const image = mods.find((m) => m.ValueType === 'IMAGE');
    const ref = items(image.ReferencedSOPSequence)[0];
    const reason = mods.find((m) => conceptName(m) === 'ADJ_REASON:99CONCORD');
    return {
      sopUid: ref.ReferencedSOPInstanceUID,
      sopClassUid: ref.ReferencedSOPClassUID,
      positive: codeValue(label) === '52101004:SCT',
      decision: codeValue(mods.find((m) => conceptName(m) === 'DECISION:99CONCORD')).split(':')[0],
      reason: reason ? codeValue(reason).split(':')[0] : undefined,
      probabilities: children.filter((c) => conceptName(c) === 'MODEL_PROB:99CONCORD').map((c) => Number(items(c.MeasuredValueSequence)[0].NumericValue)),
    };
  });
}

async function finalLabels(projectId: string) {
  return t.sql<{ sopUid: string; studyUid: string; value: number; source: string; reasonCode: string | null; originSop: string | null; probability: number }[]>`
    select s.sop_uid, st.study_uid, f.value, f.source, d.reason_code, o.sop_uid as origin_sop, p.probability
      from final_labels f join slices s on s.id = f.slice_id join series se on se.id = s.series_id join studies st on st.id = se.study_id
      left join adjudication_items i on i.slice_id = s.id left join adjudications d on d.item_id = i.id
      left join slice_origins o on o.slice_id = s.id
      left join predictions p on p.slice_id = s.id
     where f.project_id = ${projectId}`;
}

async function collect(projectId: string, opts: SrOptions): Promise<BuiltSr[]> {
  const out: BuiltSr[] = [];
  for await (const sr of projectSrs(t.sql, SECRET, projectId, opts)) {
    assert.equal(sr.kind, 'sr', sr.kind === 'skipped' ? sr.reason : '');
    if (sr.kind === 'sr') out.push(sr);
  }
  return out;
}

function writeTemp(sr: BuiltSr, tag: string): string {
  const file = path.join(outDir, `${tag}-${sr.studyUid}.dcm`);
  fs.writeFileSync(file, sr.bytes());
  return file;
}

function concord(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'apps/api/src/cli/concord.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: t.dbUrl, CONCORD_DATA_DIR: t.dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

async function rejection(fn: () => Promise<unknown>): Promise<ConcordError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof ConcordError, `expected a ConcordError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

async function orthancInstances(): Promise<string[]> {
  return (await (await fetch(`${orthanc.url}/instances`)).json()) as string[];
}

/** QIDO-RS for the SRs of a study, then WADO-RS for each: the parsed datasets the PACS holds. */
async function readBackSrs(studyUid: string): Promise<Record<string, any>[]> {
  const res = await fetch(`${orthanc.dicomweb}/studies/${studyUid}/instances?SOPClassUID=${COMPREHENSIVE_SR}`, {
    headers: { accept: 'application/dicom+json' },
  });
  const found = res.status === 204 ? [] : ((await res.json()) as Record<string, { Value?: string[] }>[]);
  const out: Record<string, any>[] = [];
  for (const inst of found) {
    const series = inst['0020000E'].Value![0];
    const sop = inst['00080018'].Value![0];
    const wado = await fetch(`${orthanc.dicomweb}/studies/${studyUid}/series/${series}/instances/${sop}`, {
      headers: { accept: 'multipart/related; type="application/dicom"' },
    });
    assert.equal(wado.status, 200);
    const boundary = getMultipartBoundary(wado.headers.get('content-type') ?? '');
    assert.ok(boundary);
    for await (const part of parseMultipartStream(wado.body!, { boundary })) out.push(naturalFile(part.bytes));
  }
  return out;
}

// ------------------------------------------------------------------ tests
const KNOWN_WARNINGS = [
  /^Warning - Missing attribute or value that would be needed to build DICOMDIR - Study (Date|Time|ID)$/,
  /^Warning - Unrecognized defined term <99CONCORD> for value 1 of attribute <Coding Scheme Designator>$/,
  /^Warning - Value dubious for this VR - \(0x0010,0x0010\) PN Patient's Name .* - Retired Person Name form$/,
];

test('[SR1] every SR Concord writes passes dciodvfy without errors', async () => {
  const variants: [string, string, SrOptions][] = [
    ['B-plain', projectB.id, { reidentified: false, includeModels: false }],
    ['B-models', projectB.id, { reidentified: false, includeModels: true }],
    ['A-reid-models', projectA.id, { reidentified: true, includeModels: true }],
  ];
  let checked = 0;
  for (const [tag, projectId, opts] of variants) {
    for (const sr of await collect(projectId, opts)) {
      const r = spawnSync('dciodvfy', [writeTemp(sr, tag)], { encoding: 'utf8' });
      const report = `${r.stdout}${r.stderr}`;
      assert.match(report, /ComprehensiveSR/, 'dciodvfy recognised the IOD');
      const errors = report.split('\n').filter((l) => /^Error/.test(l));
      assert.deepEqual(errors, [], `${tag}: ${report}`);
      // Warnings are the known, deliberate ones only: empty study date/time/ID (Concord keeps no
      // dates), the private coding scheme, and the pseudonym as a one-component name.
      const unexpected = report.split('\n').filter((l) => /^Warning/.test(l) && !KNOWN_WARNINGS.some((w) => w.test(l)));
      assert.deepEqual(unexpected, [], `${tag}: ${report}`);
      checked++;
    }
  }
  assert.equal(checked, 3 * phantom.patients.length);
});

test('[SR2] dsrdump prints the expected tree; every final label is in it with how it was decided', async () => {
  const srs = await collect(projectB.id, { reidentified: false, includeModels: false });
  const labels = await finalLabels(projectB.id);
  for (const sr of srs) {
    const r = spawnSync('dsrdump', ['+Pu', '+Pl', writeTemp(sr, 'dump')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const dump = r.stdout;
    assert.match(dump, /^Comprehensive SR Document/m);
    assert.match(dump, /^<CONTAINER:\(,,"Imaging Measurement Report"\)=SEPARATE>/m);
    assert.match(dump, /<has obs context CODE:\(,,"Observer Type"\)=\(121007,DCM,"Device"\)>/);
    assert.match(dump, /<contains CONTAINER:\(,,"Imaging Measurements"\)=SEPARATE>/);
    const mine = labels.filter((l) => l.studyUid === sr.studyUid);
    assert.equal(mine.length, sr.slices);
    assert.equal(dump.match(/<contains CONTAINER:\(,,"Measurement Group"\)/g)?.length, mine.length);
    assert.equal(dump.match(/<has concept mod CODE:\(,,"Finding"\)=\(71286001,SCT,"Compression of spinal cord"\)>/g)?.length, mine.length);
    assert.equal(
      dump.match(/<contains CODE:\(,,"Compression of spinal cord"\)=\(52101004,SCT,"Present"\)>/g)?.length,
      mine.filter((l) => l.value === 1).length,
    );
    assert.equal(dump.match(/<contains CODE:\(,,"Compression of spinal cord"\)=\(2667000,SCT,"Absent"\)>/g)?.length, mine.filter((l) => l.value === 0).length);
    assert.equal(
      dump.match(/\(ADJUDICATION,99CONCORD,"Adjudication of disagreeing readers"\)/g)?.length,
      mine.filter((l) => l.source === 'ADJUDICATION').length,
    );
    assert.equal(dump.match(/\(CSF_EFFACEMENT_ONLY,99CONCORD,"Csf effacement only"\)/g)?.length, mine.filter((l) => l.reasonCode).length);
    for (const l of mine) assert.ok(dump.includes(`<inferred from IMAGE:(,,"Source of Measurement")=(MR image,"${l.sopUid}")>`), `image ${l.sopUid}`);
    // Without --models: no model item at all.
    assert.doesNotMatch(dump, /Model probability|Patient-level screening/);

    const parsed = labelsOf(naturalFile(sr.bytes()));
    assert.deepEqual(
      parsed.map((p) => [p.sopUid, p.positive, p.decision, p.reason ?? null]).sort(),
      mine.map((l) => [l.sopUid, l.value === 1, l.source, l.reasonCode]).sort(),
    );
  }
});

test('[SR3] with models: one probability per version on each labelled slice and a screening result per version', async () => {
  const srs = await collect(projectB.id, { reidentified: false, includeModels: true });
  const labels = await finalLabels(projectB.id);
  const [{ k }] = await t.sql<{ k: number }[]>`select screening_k as k from projects where id = ${projectB.id}`;
  for (const sr of srs) {
    const ds = naturalFile(sr.bytes());
    for (const p of labelsOf(ds)) {
      const l = labels.find((x) => x.sopUid === p.sopUid)!;
      assert.deepEqual(p.probabilities, [Math.round(l.probability * 1e6) / 1e6]);
    }
    const screening = items(ds.ContentSequence).filter((i) => conceptName(i) === 'SCREENING:99CONCORD');
    assert.equal(screening.length, 1, 'one model version, one screening result');
    const [{ positives }] = await t.sql<{ positives: number }[]>`
      select count(*) filter (where p.probability >= 0.5)::int as positives
        from predictions p join slices s on s.id = p.slice_id join series se on se.id = s.series_id join studies st on st.id = se.study_id
       where st.study_uid = ${sr.studyUid} and st.project_id = ${projectB.id}`;
    assert.equal(codeValue(screening[0]), positives > k ? '52101004:SCT' : '2667000:SCT');
    const dump = spawnSync('dsrdump', ['+Pl', writeTemp(sr, 'models')], { encoding: 'utf8' }).stdout;
    assert.match(dump, /<contains NUM:\(,,"Model probability of spinal cord compression"\)="0\.\d+" \(1,UCUM,"no units"\)>/);
    assert.match(dump, /<has concept mod TEXT:\(,,"Algorithm Name"\)="Concord spinal cord compression classifier">/);
    assert.match(dump, /<contains CODE:\(,,"Patient-level screening result"\)=\((52101004|2667000),SCT/);
  }
});

test('[SR4] a project without re-identification keeps no origins and never writes an original UID or patient ID', async () => {
  const [{ n }] = await t.sql`select count(*)::int as n from slice_origins where project_id = ${projectB.id}`;
  assert.equal(n, 0);
  assert.ok(originalValues.size > 10);
  const outputs = [
    ...(await collect(projectB.id, { reidentified: false, includeModels: true })),
    // A project that allows re-identification still writes de-identified SRs unless asked.
    ...(await collect(projectA.id, { reidentified: false, includeModels: true })),
  ];
  for (const sr of outputs) {
    const text = Buffer.from(sr.bytes()).toString('latin1');
    for (const v of originalValues) assert.ok(!text.includes(v), `original value found in a de-identified SR`);
    const ds = naturalFile(sr.bytes());
    assert.match(String(ds.PatientID), /^P[0-9A-F]{16}$/);
    assert.equal(ds.PatientIdentityRemoved, 'YES');
    for (const l of labelsOf(ds)) assert.equal(l.sopClassUid, MR_IMAGE_STORAGE);
  }
});

test('[SR5] re-identified output needs the project setting; it references the original instances and identity', async () => {
  const refused = await rejection(() => collect(projectB.id, { reidentified: true, includeModels: false }));
  assert.equal(refused.code, ErrorCode.FORBIDDEN);
  assert.match(refused.message, /does not allow re-identification/);

  const labels = await finalLabels(projectA.id);
  const srs = await collect(projectA.id, { reidentified: true, includeModels: false });
  assert.equal(srs.length, phantom.patients.length);
  for (const sr of srs) {
    const ds = naturalFile(sr.bytes());
    const patient = phantom.patients.find((p) => p.studyUid === ds.StudyInstanceUID);
    assert.ok(patient, 'the SR belongs to the original study');
    assert.equal(ds.PatientID, patient.patientId);
    assert.equal(ds.PatientIdentityRemoved, undefined);
    const mine = labels.filter((l) => l.studyUid === sr.studyUid);
    assert.deepEqual(
      labelsOf(ds)
        .map((p) => p.sopUid)
        .sort(),
      mine.map((l) => l.originSop).sort(),
    );
    // Each group also names Concord's de-identified instance, as a UID only (not an image reference).
    const deid = items(items(ds.ContentSequence).find((i) => conceptName(i) === '126010:DCM').ContentSequence).map((g) =>
      items(g.ContentSequence).find((c) => conceptName(c) === 'DEID_SOP_UID:99CONCORD'),
    );
    assert.ok(deid.every((d) => d?.ValueType === 'UIDREF'));
    assert.deepEqual(deid.map((d) => d.UID).sort(), mine.map((l) => l.sopUid).sort());
    for (const l of mine) assert.ok(originalValues.has(l.originSop!), 'an original SOP Instance UID of the phantom');
  }
});

test('[SR5] [SR10] slices ingested before re-identification was allowed are skipped with the reason; re-ingest records them', async () => {
  const c = await createProject(t.sql, { name: 'SR allowed late' });
  await ingest(t.sql, store, { projectId: c.id, source: { kind: 'path', path: phantomDir }, secret: SECRET });
  await labelProject(c.id);
  await setReidentification(t.sql, c.id, true, users.srlead.id);
  const before: { kind: string; reason?: string }[] = [];
  for await (const sr of projectSrs(t.sql, SECRET, c.id, { reidentified: true, includeModels: false })) before.push(sr);
  assert.equal(before.length, phantom.patients.length);
  for (const sr of before) {
    assert.equal(sr.kind, 'skipped');
    assert.match(sr.reason!, /^\d+ labelled slice\(s\) have no original UIDs: .* re-ingest the study to record them$/);
  }
  // The zip says the same in SKIPPED.txt.
  await t.sql`insert into project_members (project_id, user_id) values (${c.id}, ${users.srlead.id})`;
  const zip = await fetch(`${t.url}/export/${c.id}/sr.zip?reidentified=1`, { headers: { authorization: `Bearer ${users.srlead.token}` } });
  assert.equal(zip.status, 200);
  const entries = unzipSync(new Uint8Array(await zip.arrayBuffer()));
  assert.deepEqual(Object.keys(entries), ['SKIPPED.txt']);
  assert.equal(new TextDecoder().decode(entries['SKIPPED.txt']).trim().split('\n').length, 1 + phantom.patients.length);
  const again = await ingest(t.sql, store, { projectId: c.id, source: { kind: 'path', path: phantomDir }, secret: SECRET });
  assert.equal(again.accepted, 0, 'nothing new: every slice is a duplicate');
  const after = await collect(c.id, { reidentified: true, includeModels: false });
  assert.deepEqual(after.map((sr) => naturalFile(sr.bytes()).PatientID).sort(), phantom.patients.map((p) => p.patientId).sort());
  // Switched off again: what was recorded stays, nothing new is recorded, and both changes are on record.
  await setReidentification(t.sql, c.id, false, users.srlead.id);
  const audit = await t.sql`select actor_id, payload from audit_log where project_id = ${c.id} and action = 'REIDENTIFICATION_SETTING' order by id`;
  assert.deepEqual(
    audit.map((a) => [a.actorId, a.payload.allowed]),
    [
      [users.srlead.id, true],
      [users.srlead.id, false],
    ],
  );
  const [{ kept }] = await t.sql`select count(*)::int as kept from slice_origins where project_id = ${c.id}`;
  assert.ok(kept > 0);
  const refused = await rejection(() => collect(c.id, { reidentified: true, includeModels: false }));
  assert.equal(refused.code, ErrorCode.FORBIDDEN);
});

test('[SR7] GET /export/:projectId/sr.zip: leads and admins only, audited, one SR per study', async () => {
  const get = (projectId: string, token?: string, query = '') =>
    fetch(`${t.url}/export/${projectId}/sr.zip${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  assert.equal((await get(projectB.id)).status, 401);
  const labeler = await get(projectB.id, users.srlabeler.token);
  assert.equal(labeler.status, 403);
  assert.equal(((await labeler.json()) as { code: string }).code, 'FORBIDDEN');
  assert.equal((await get('not-a-uuid', users.srlead.token)).status, 404);
  assert.equal((await get('00000000-0000-0000-0000-000000000000', users.srlead.token)).status, 404);
  const badFlag = await get(projectB.id, users.srlead.token, '?models=yes');
  assert.equal(badFlag.status, 400);
  assert.equal(((await badFlag.json()) as { code: string }).code, 'BAD_INPUT');
  const reid = await get(projectB.id, users.srlead.token, '?reidentified=1');
  assert.equal(reid.status, 403);
  assert.match(((await reid.json()) as { message: string }).message, /does not allow re-identification/);

  const before = await t.sql`select count(*)::int as n from audit_log where project_id = ${projectB.id} and action = 'EXPORT'`;
  const res = await get(projectB.id, users.srlead.token, '?models=1');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/zip');
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  const studies = await t.sql<{ studyUid: string }[]>`select study_uid from studies where project_id = ${projectB.id}`;
  assert.deepEqual(Object.keys(files).sort(), studies.map((s) => `${s.studyUid}.dcm`).sort());
  for (const bytes of Object.values(files)) assert.equal(naturalFile(bytes).SOPClassUID, COMPREHENSIVE_SR);
  const audit = await t.sql`select actor_id, payload from audit_log where project_id = ${projectB.id} and action = 'EXPORT' order by id`;
  assert.equal(audit.length, before[0].n + 1);
  assert.equal(audit.at(-1)!.actorId, users.srlead.id);
  assert.deepEqual(audit.at(-1)!.payload, { kind: 'sr', format: 'zip', reidentified: false, includeModels: true });

  // A lead of a project that allows it gets SRs in the original studies, and that is on record.
  const reidA = await get(projectA.id, users.srlead.token, '?reidentified=1');
  assert.equal(reidA.status, 200);
  const reidFiles = Object.values(unzipSync(new Uint8Array(await reidA.arrayBuffer()))).map((b) => naturalFile(b));
  assert.deepEqual(reidFiles.map((d) => d.PatientID).sort(), phantom.patients.map((p) => p.patientId).sort());
  const [last] = await t.sql`select payload from audit_log where project_id = ${projectA.id} and action = 'EXPORT' order by id desc limit 1`;
  assert.deepEqual(last.payload, { kind: 'sr', format: 'zip', reidentified: true, includeModels: false });
});

test('[SR8] export-sr writes one file per study and prints a line per study', () => {
  const dir = path.join(outDir, 'cli-export');
  const r = concord('export-sr', '--project', projectB.id, '--out', dir, '--models');
  assert.equal(r.code, 0, r.err);
  const files = fs.readdirSync(dir).sort();
  assert.equal(files.length, phantom.patients.length);
  for (const f of files)
    assert.match(r.out, new RegExp(`study ${f.replace('.dcm', '').replace(/\./g, '\\.')}: wrote .* \\(version \\d+, \\d+ labelled slices\\)`));
  assert.match(r.out, new RegExp(`wrote ${files.length} SR file\\(s\\) to `));
  const bad = concord('export-sr', '--project', 'nope', '--out', dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /No such project/);
  const onFile = concord('export-sr', '--project', projectB.id, '--out', path.join(dir, files[0]));
  assert.equal(onFile.code, 2);
  assert.match(onFile.err, /cannot create the folder .*: give a writable --out/);
  const reid = concord('export-sr', '--project', projectB.id, '--out', dir, '--reidentified');
  assert.equal(reid.code, 2);
  assert.match(reid.err, /does not allow re-identification/);
});

test('[SR9] push-sr stores every SR in Orthanc over STOW-RS; read back, it gives every final label; a re-run stores nothing new', async () => {
  const before = (await orthancInstances()).length;
  const first = concord('push-sr', '--project', projectA.id, '--dicomweb', orthanc.dicomweb, '--reidentified');
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /: 2 stored, 0 already stored, 0 refused, 0 skipped$/m);
  assert.equal((await orthancInstances()).length, before + phantom.patients.length);

  const labels = await finalLabels(projectA.id);
  for (const patient of phantom.patients) {
    const stored = await readBackSrs(patient.studyUid);
    assert.equal(stored.length, 1, 'one SR in the original study');
    const parsed = labelsOf(stored[0]);
    const [{ studyUid }] = await t.sql`select distinct st.study_uid from slice_origins o join slices s on s.id = o.slice_id
      join series se on se.id = s.series_id join studies st on st.id = se.study_id where o.study_uid = ${patient.studyUid}`;
    const mine = labels.filter((l) => l.studyUid === studyUid);
    assert.deepEqual(parsed.map((p) => [p.sopUid, p.positive, p.decision]).sort(), mine.map((l) => [l.originSop, l.value === 1, l.source]).sort());
    assert.equal(stored[0].PatientID, patient.patientId);
  }

  const again = concord('push-sr', '--project', projectA.id, '--dicomweb', orthanc.dicomweb, '--reidentified');
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /: 0 stored, 2 already stored, 0 refused, 0 skipped$/m);
  for (const line of again.out.split('\n').slice(0, -1)) assert.match(line, /^study 2\.25\.\d+: already stored \(version \d+\), nothing sent$/);
  assert.equal((await orthancInstances()).length, before + phantom.patients.length);

  // De-identified SRs with model outputs go to their own (de-identified) studies and read back whole.
  const pushed = await pushProjectSrs(t.sql, SECRET, projectB.id, orthanc.dicomweb, { reidentified: false, includeModels: true });
  assert.deepEqual(pushed.counts, { STORED: 2, ALREADY_STORED: 0, REFUSED: 0, SKIPPED: 0 });
  const labelsB = await finalLabels(projectB.id);
  for (const o of pushed.outcomes) {
    const [stored] = await readBackSrs(o.studyUid);
    assert.equal(stored.SOPInstanceUID, o.sopUid);
    const mine = labelsB.filter((l) => l.studyUid === o.studyUid);
    assert.deepEqual(
      labelsOf(stored)
        .map((p) => [p.sopUid, p.positive, p.decision, p.reason ?? null, p.probabilities])
        .sort(),
      mine.map((l) => [l.sopUid, l.value === 1, l.source, l.reasonCode, [Math.round(l.probability * 1e6) / 1e6]]).sort(),
    );
  }
  const pushedAgain = await pushProjectSrs(t.sql, SECRET, projectB.id, orthanc.dicomweb, { reidentified: false, includeModels: true });
  assert.deepEqual(pushedAgain.counts, { STORED: 0, ALREADY_STORED: 2, REFUSED: 0, SKIPPED: 0 });
  const audit = await t.sql`select payload from audit_log where project_id = ${projectA.id} and action = 'SR_PUSH' order by id`;
  assert.deepEqual(
    audit.map((a) => [a.payload.STORED, a.payload.ALREADY_STORED]),
    [
      [2, 0],
      [0, 2],
    ],
  );
});

test("[SR9] a refusal is that study's outcome with the reason; an unreachable server stops with PUSH_FAILED", async () => {
  const sops = (await collect(projectB.id, { reidentified: false, includeModels: false })).map((s) => s.sopUid);
  // A PACS that holds nothing and refuses every instance it is sent, as PS3.18 10.5.3 describes.
  const srv = http.createServer((req, res) => {
    if (req.method === 'GET') return res.writeHead(200, { 'content-type': 'application/dicom+json' }).end('[]');
    req.resume();
    req.on('end', () =>
      res.writeHead(409, { 'content-type': 'application/dicom+json' }).end(
        JSON.stringify({
          '00081198': {
            vr: 'SQ',
            Value: sops.map((sop) => ({
              '00081150': { vr: 'UI', Value: [COMPREHENSIVE_SR] },
              '00081155': { vr: 'UI', Value: [sop] },
              '00081197': { vr: 'US', Value: [0xa900] },
            })),
          },
        }),
      ),
    );
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const port = (srv.address() as net.AddressInfo).port;
    const summary = await pushProjectSrs(t.sql, SECRET, projectB.id, `http://127.0.0.1:${port}/dicom-web`, { reidentified: false, includeModels: false });
    assert.equal(summary.counts.REFUSED, phantom.patients.length);
    for (const o of summary.outcomes) assert.match(o.reason!, /^the dataset does not match the SOP class .*\(failure reason 0xA900\)$/);
  } finally {
    srv.close();
  }
  // A server that says 200 to STOW-RS without a response body is asked with QIDO-RS; it holds nothing.
  const silent = http.createServer((req, res) => {
    if (req.method === 'GET') return res.writeHead(200, { 'content-type': 'application/dicom+json' }).end('[]');
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const port = (silent.address() as net.AddressInfo).port;
    const summary = await pushProjectSrs(t.sql, SECRET, projectB.id, `http://127.0.0.1:${port}/dicom-web`, { reidentified: false, includeModels: false });
    assert.equal(summary.counts.REFUSED, phantom.patients.length);
    for (const o of summary.outcomes) assert.match(o.reason!, /answered success without a STOW-RS response, and a search does not find the instance/);
  } finally {
    silent.close();
  }
  const cliBadUrl = concord('push-sr', '--project', projectB.id, '--dicomweb', 'ftp://pacs/dicom-web');
  assert.equal(cliBadUrl.code, 2);
  assert.match(cliBadUrl.err, /must start with http:\/\/ or https:\/\//);
  const cliReid = concord('push-sr', '--project', projectB.id, '--dicomweb', orthanc.dicomweb, '--reidentified');
  assert.equal(cliReid.code, 2);
  assert.match(cliReid.err, /does not allow re-identification/);

  // Not a DICOMweb root, and a server that wants other credentials: the run stops, saying what to check.
  const odd = http.createServer((req, res) => {
    if (req.url?.startsWith('/html/')) return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    res.writeHead(401).end();
  });
  await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
  try {
    const port = (odd.address() as net.AddressInfo).port;
    const html = await rejection(() =>
      pushProjectSrs(t.sql, SECRET, projectB.id, `http://127.0.0.1:${port}/html/dicom-web`, { reidentified: false, includeModels: false }),
    );
    assert.equal(html.code, ErrorCode.PUSH_FAILED);
    assert.match(html.message, /did not answer a QIDO-RS search with DICOM JSON/);
    const denied = await rejection(() =>
      pushProjectSrs(t.sql, SECRET, projectB.id, `http://pacsuser:pw%40secret@127.0.0.1:${port}/dicom-web`, { reidentified: false, includeModels: false }),
    );
    assert.equal(denied.code, ErrorCode.PUSH_FAILED);
    assert.match(denied.message, /refused access .*HTTP 401/);
    assert.doesNotMatch(denied.message, /pacsuser|secret/);
  } finally {
    odd.close();
  }
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const down = await rejection(() =>
    pushProjectSrs(t.sql, SECRET, projectB.id, `http://127.0.0.1:${closed}/dicom-web`, { reidentified: false, includeModels: false }),
  );
  assert.equal(down.code, ErrorCode.PUSH_FAILED);
  assert.match(down.message, /ECONNREFUSED/);
  const badUrl = await rejection(() => pushProjectSrs(t.sql, SECRET, projectB.id, 'ftp://pacs', { reidentified: false, includeModels: false }));
  assert.equal(badUrl.code, ErrorCode.BAD_INPUT);
});

test('[SR10] [IN18] ingest keeps original identity only while the project allows it; changes are audited', async () => {
  const [{ n }] = await t.sql`select count(*)::int as n from slice_origins where project_id = ${projectA.id}`;
  const [{ slices }] = await t.sql`select count(*)::int as slices from slices where project_id = ${projectA.id}`;
  assert.equal(n, slices, 'every slice of the allowing project has its origin');
  const audit = await t.sql`select payload from audit_log where project_id = ${projectA.id} and action = 'REIDENTIFICATION_SETTING'`;
  assert.deepEqual(
    audit.map((a) => a.payload),
    [{ allowed: true }],
  );
  const bad = concord('project', 'reidentification', '--project', projectB.id, '--allow', 'maybe');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--allow takes on or off/);
});

// Required by the preflight (helpers/corpus.js): a missing corpus stops the run before it starts.
const CORPUS = findCorpus();

test('[SR10] recording origins from the hostile public corpus breaks no series: every accepted slice has its origin', async () => {
  const [p] = await t.sql<{ id: string }[]>`
    insert into projects (name, allow_reidentification, series_rules)
    values ('SR corpus', true, ${t.sql.json({ maxAxialAngleDeg: 90, minEchoTimeMs: 0, maxEchoTimeMs: 10000, minRepetitionTimeMs: 0, descriptionPattern: '.*' })})
    returning id`;
  const summary = await ingest(t.sql, store, { projectId: p.id, source: { kind: 'path', path: CORPUS! }, secret: SECRET });
  assert.ok(summary.accepted > 50, `accepted ${summary.accepted}`);
  const [{ status }] = await t.sql`select status from ingest_batches where id = ${summary.batchId}`;
  assert.equal(status, 'DONE');
  const [{ slices, origins }] = await t.sql`
    select (select count(*)::int from slices where project_id = ${p.id}) as slices,
           (select count(*)::int from slice_origins where project_id = ${p.id}) as origins`;
  assert.equal(slices, summary.accepted);
  assert.equal(origins, slices);
});

test('[SR6] the same content keeps its SOP Instance UID and bytes; new content is a new instance in the same series', async () => {
  const opts = { reidentified: false, includeModels: false };
  const [a1, a2] = [await collect(projectB.id, opts), await collect(projectB.id, opts)];
  assert.deepEqual(
    a1.map((s) => s.sopUid),
    a2.map((s) => s.sopUid),
  );
  for (const [i, sr] of a1.entries()) assert.ok(Buffer.from(sr.bytes()).equals(Buffer.from(a2[i].bytes())), 'byte-identical re-export');

  // One more final label in the first study.
  const target = a1[0];
  const [slice] = await t.sql<{ id: string }[]>`
    select s.id from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
     where st.study_uid = ${target.studyUid} and s.project_id = ${projectB.id}
       and not exists (select 1 from final_labels f where f.slice_id = s.id) order by s.position limit 1`;
  await t.sql`insert into final_labels (slice_id, project_id, value, source) values (${slice.id}, ${projectB.id}, 1, 'SINGLE_READ')`;
  const b = await collect(projectB.id, opts);
  const next = b.find((s) => s.studyUid === target.studyUid)!;
  assert.notEqual(next.sopUid, target.sopUid);
  assert.equal(next.seriesUid, target.seriesUid);
  // Next in the series, whatever earlier exports (with and without models) numbered before it.
  const [{ max }] = await t.sql`select max(instance_number)::int as max from structured_reports r join studies st on st.id = r.study_id
    where st.study_uid = ${target.studyUid} and st.project_id = ${projectB.id} and not r.reidentified`;
  assert.ok(next.instanceNumber > target.instanceNumber);
  assert.equal(next.instanceNumber, max);
  assert.equal(next.slices, target.slices + 1);
  const ds = naturalFile(next.bytes());
  // It names the instance it replaces: the latest before it in the series.
  const [previous] = await t.sql`select r.sop_uid from structured_reports r join studies st on st.id = r.study_id
    where st.study_uid = ${target.studyUid} and st.project_id = ${projectB.id} and not r.reidentified and r.instance_number = ${max - 1}`;
  assert.equal(
    items(items(items(ds.PredecessorDocumentsSequence)[0].ReferencedSeriesSequence)[0].ReferencedSOPSequence)[0].ReferencedSOPInstanceUID,
    previous.sopUid,
  );
  // Two exports racing over newer content agree on one instance (the per-study lock).
  await t.sql`insert into final_labels (slice_id, project_id, value, source)
    select s.id, ${projectB.id}, 0, 'SINGLE_READ' from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
     where st.study_uid = ${target.studyUid} and s.project_id = ${projectB.id}
       and not exists (select 1 from final_labels f where f.slice_id = s.id) order by s.position limit 1`;
  const [r1, r2] = await Promise.all([collect(projectB.id, opts), collect(projectB.id, opts)]);
  const [x, y] = [r1, r2].map((run) => run.find((s) => s.studyUid === target.studyUid)!);
  assert.equal(x.sopUid, y.sopUid);
  assert.equal(x.instanceNumber, next.instanceNumber + 1);
  assert.equal(y.instanceNumber, x.instanceNumber);
  // The untouched study keeps its instance.
  const other = b.find((s) => s.studyUid !== target.studyUid)!;
  assert.equal(other.sopUid, a1.find((s) => s.studyUid === other.studyUid)!.sopUid);
  // The new version is valid too.
  const r = spawnSync('dciodvfy', [writeTemp(next, 'v2')], { encoding: 'utf8' });
  assert.deepEqual(
    `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^Error/.test(l)),
    [],
  );
});

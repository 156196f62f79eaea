import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { dicomwebFiles, ingestFromDicomweb } from '../apps/api/src/dicomweb/index.js';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { generatePhantom, type PhantomResult } from '@concord/phantom';
import { createProject } from '../apps/api/src/projects/projects.queries.js';
import { fileStoreFor } from '@concord/db';
import { freshDatabase } from './helpers/db.js';
import { dicomFilesUnder, startOrthanc, uploadToOrthanc, type TestOrthanc } from './helpers/orthanc.js';

// At top level, not in a before() hook: the helper's after() must belong to the file, not the hook.
const phantomDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-dw-phantom-'));
const [orthanc, phantom]: [TestOrthanc, PhantomResult] = await Promise.all([
  startOrthanc(),
  generatePhantom({ patients: 2, outDir: phantomDir, seed: 'dicomweb', rows: 64 }),
]);
const phantomFiles = dicomFilesUnder(phantomDir);
await uploadToOrthanc(orthanc, phantomFiles);
after(() => fs.rmSync(phantomDir, { recursive: true, force: true }));

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function collect(url: string, opts: Parameters<typeof dicomwebFiles>[1] = {}) {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for await (const f of dicomwebFiles(url, opts)) out.push(f);
  return out;
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

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

test('[DW1] every instance in Orthanc arrives once, byte for byte, with positional names', async () => {
  const progress: [number, number][] = [];
  const files = await collect(orthanc.dicomweb, { onProgress: (d, t) => progress.push([d, t]) });
  assert.equal(files.length, phantom.files);
  const expected = phantomFiles.map((f) => sha(fs.readFileSync(f))).sort();
  assert.deepEqual(files.map((f) => sha(f.bytes)).sort(), expected);
  assert.equal(new Set(files.map((f) => f.name)).size, files.length, 'names are unique');
  for (const f of files) assert.match(f.name, /^study-\d+\/series-\d+\/\d+\.dcm$/);
  // [DW6] the total is known from the first report and the last report is complete.
  assert.deepEqual(progress[0], [0, phantom.files]);
  assert.deepEqual(progress.at(-1), [phantom.files, phantom.files]);
});

test('[DW2] a study UID pulls only that study; unknown and malformed UIDs are refused', async () => {
  const [first, second] = phantom.patients;
  const files = await collect(orthanc.dicomweb + '/', { studyUid: second.studyUid });
  const secondFiles = phantomFiles.filter((f) => f.includes(`${path.sep}${second.patientKey}${path.sep}`));
  assert.equal(files.length, secondFiles.length);
  assert.deepEqual(files.map((f) => sha(f.bytes)).sort(), secondFiles.map((f) => sha(fs.readFileSync(f))).sort());
  assert.notEqual(first.studyUid, second.studyUid);

  const unknown = await rejection(() => collect(orthanc.dicomweb, { studyUid: '1.2.3.4.5' }));
  assert.equal(unknown.code, ErrorCode.NOT_FOUND);
  const malformed = await rejection(() => collect(orthanc.dicomweb, { studyUid: "1.2'; drop" }));
  assert.equal(malformed.code, ErrorCode.BAD_INPUT);
});

test('[DW3] unreachable server, wrong path and bad URLs give errors that say what to check', async () => {
  const port = await closedPort();
  const down = await rejection(() => collect(`http://127.0.0.1:${port}/dicom-web`));
  assert.equal(down.code, ErrorCode.INGEST_FAILED);
  assert.match(down.message, new RegExp(`http://127\\.0\\.0\\.1:${port}/dicom-web`));
  assert.match(down.message, /ECONNREFUSED/);
  assert.match(down.message, /check the URL/);

  const wrongRoot = await rejection(() => collect(`${orthanc.url}/not-dicomweb`));
  assert.equal(wrongRoot.code, ErrorCode.INGEST_FAILED);
  assert.match(wrongRoot.message, /404.*DICOMweb root/);

  assert.equal((await rejection(() => collect('not a url'))).code, ErrorCode.BAD_INPUT);
  assert.equal((await rejection(() => collect('ftp://pacs/dicom-web'))).code, ErrorCode.BAD_INPUT);
});

test('[DW4] credentials go in an Authorization header and never into messages', async () => {
  let seenAuth: string | undefined;
  const srv = http.createServer((req, res) => {
    seenAuth = req.headers.authorization;
    res.writeHead(401).end();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const port = (srv.address() as net.AddressInfo).port;
    const err = await rejection(() => collect(`http://alice:s%3Acret@127.0.0.1:${port}/dicom-web`));
    assert.equal(seenAuth, `Basic ${Buffer.from('alice:s:cret').toString('base64')}`);
    assert.equal(err.code, ErrorCode.INGEST_FAILED);
    assert.match(err.message, /refused access \(HTTP 401\)/);
    assert.doesNotMatch(err.message, /alice|cret/);
  } finally {
    srv.close();
  }
});

test('[DW6] a truncated WADO-RS answer fails with INGEST_FAILED', async () => {
  const boundary = 'b0undary';
  const srv = http.createServer((req, res) => {
    const url = req.url ?? '';
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/dicom+json' }).end(JSON.stringify(body));
    if (url.startsWith('/dicom-web/studies?')) return json([{ '0020000D': { vr: 'UI', Value: ['1.2.3'] } }]);
    if (url.startsWith('/dicom-web/studies/1.2.3/series?'))
      return json([{ '0020000E': { vr: 'UI', Value: ['1.2.3.4'] }, '00201209': { vr: 'IS', Value: [2] } }]);
    // One whole part, then the connection ends in the middle of the second.
    res.writeHead(200, { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}` });
    res.write(
      `--${boundary}\r\nContent-Type: application/dicom\r\n\r\n${'x'.repeat(200)}\r\n--${boundary}\r\nContent-Type: application/dicom\r\n\r\n${'y'.repeat(50)}`,
    );
    res.end();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const port = (srv.address() as net.AddressInfo).port;
    const got: number[] = [];
    const err = await rejection(async () => {
      for await (const f of dicomwebFiles(`http://127.0.0.1:${port}/dicom-web`, {})) got.push(f.bytes.length);
    });
    assert.equal(err.code, ErrorCode.INGEST_FAILED);
    assert.deepEqual(got, [200], 'the complete part was delivered before the failure');
  } finally {
    srv.close();
  }
});

test('[DW5] ingestFromDicomweb accepts exactly the axial T2 slices and skips distractors', async () => {
  const { sql } = await freshDatabase('dicomweb');
  const project = await createProject(sql, { name: 'dicomweb pull' });
  const store = fileStoreFor(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-dw-store-')));
  const withCredentials = orthanc.dicomweb.replace('http://', 'http://reader:hunter2@');
  await ingestFromDicomweb(sql, store, { projectId: project.id, baseUrl: withCredentials, secret: 'test-secret' });

  const axial = phantom.patients.reduce((n, p) => n + p.nSlices, 0);
  const [slices] = await sql<{ n: number }[]>`select count(*)::int as n from slices where project_id = ${project.id}`;
  assert.equal(slices.n, axial);
  const [batch] = await sql<{ source: string; accepted: number; skipped: number; rejected: number; total: number }[]>`
    select source, accepted, skipped, rejected, total from ingest_batches where project_id = ${project.id}`;
  assert.equal(batch.source, orthanc.dicomweb, 'label is the root without credentials');
  assert.equal(batch.accepted, axial);
  assert.equal(batch.skipped + batch.rejected, phantom.files - axial, 'every distractor instance is not accepted');
  const descriptions = await sql<{ description: string }[]>`select distinct description from series where project_id = ${project.id}`;
  assert.deepEqual(
    descriptions.map((d) => d.description),
    ['T2 TSE AX'],
  );
});

test('[DW5] ingestFromDicomweb with a study UID ingests only that study', async () => {
  const { sql } = await freshDatabase('dicomwebstudy');
  const project = await createProject(sql, { name: 'dicomweb one study' });
  const store = fileStoreFor(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-dw-store-')));
  const target = phantom.patients[0];
  await ingestFromDicomweb(sql, store, { projectId: project.id, baseUrl: orthanc.dicomweb, studyUid: target.studyUid, secret: 'test-secret' });
  const [slices] = await sql<{ n: number }[]>`select count(*)::int as n from slices where project_id = ${project.id}`;
  assert.equal(slices.n, target.nSlices);
  const [studies] = await sql<{ n: number }[]>`select count(*)::int as n from studies where project_id = ${project.id}`;
  assert.equal(studies.n, 1);
});

test('[DW3] ingestFromDicomweb against an unreachable server fails with INGEST_FAILED', async () => {
  const { sql } = await freshDatabase('dicomwebdown');
  const project = await createProject(sql, { name: 'dicomweb down' });
  const store = fileStoreFor(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-dw-store-')));
  const port = await closedPort();
  const err = await rejection(() => ingestFromDicomweb(sql, store, { projectId: project.id, baseUrl: `http://127.0.0.1:${port}/dicom-web`, secret: 's' }));
  assert.ok(err.code === ErrorCode.INGEST_FAILED || err.code === ErrorCode.BAD_INPUT);
  assert.match(err.message, /check the URL/);
});

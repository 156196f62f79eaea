/**
 * Browser upload (POST /upload, multipart) and the image route, end to end: an admin uploads a
 * zip, ingest reports per file over the API and sockets, and the stored de-identified DICOM is
 * served only to whom may see it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, seedProject, gqlOk, NEXT_SLICE, connectSocket } from './helpers/api.js';
import { patientFiles, storedZip } from './helpers/dicom-fixtures.js';

const t = await startTestApi('upload');
const s = await seedProject(t, { slicesPerSeries: 0, users: { boss: ['ADMIN'], lab: ['LABELER'], lab2: ['LABELER'], ld: ['LEAD'] } });

function form(files: { name: string; bytes: Uint8Array }[]): FormData {
  const f = new FormData();
  for (const x of files) f.append('files', new Blob([Buffer.from(x.bytes)]), x.name);
  return f;
}

test('[UP1] an admin uploads a zip: every file gets a report row, progress is live, pixels are served de-identified', async () => {
  const files = patientFiles('UPLOADPAT', 5);
  const leadSock = await connectSocket(t.url, s.users.ld.token, s.projectId);
  const res = await fetch(`${t.url}/upload?projectId=${s.projectId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.users.boss.token}` },
    body: form([
      { name: 'study.zip', bytes: storedZip(files) },
      { name: 'notes.txt', bytes: new TextEncoder().encode('not dicom') },
    ]),
  });
  assert.equal(res.status, 200);
  const summary = await res.json();
  assert.equal(summary.total, files.length + 1);
  assert.ok(summary.accepted >= 1);
  assert.equal(summary.rejected >= 1, true, 'the text file is rejected, not fatal');
  await leadSock.waitFor((e) => e.type === 'ingest:progress' && e.finished);
  const b = await gqlOk(
    t.url,
    `query($id:ID!){ ingestBatch(id:$id){ total accepted files { path status reason } } }`,
    { id: summary.batchId },
    s.users.ld.token,
  );
  assert.equal(b.ingestBatch.files.length, summary.total);
  assert.ok(b.ingestBatch.files.some((f: { reason: string }) => f.reason === 'NOT_DICOM'));
  // A labeler who holds a slice of the series gets its image; the bytes carry no identity.
  const n = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.lab.token);
  const img = await fetch(`${t.url}${n.nextSlice.slice.imageUrl}`, { headers: { authorization: `Bearer ${s.users.lab.token}` } });
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'application/dicom');
  const bytes = Buffer.from(await img.arrayBuffer());
  assert.equal(bytes.subarray(128, 132).toString('latin1'), 'DICM');
  assert.ok(!bytes.includes(Buffer.from('UPLOADPAT')), 'no original patient id in the served file');
  // Another labeler without an assignment in that series gets nothing; no token gets 401.
  const other = await fetch(`${t.url}${n.nextSlice.slice.imageUrl}`, { headers: { authorization: `Bearer ${s.users.lab2.token}` } });
  assert.equal(other.status, 404);
  assert.equal((await fetch(`${t.url}${n.nextSlice.slice.imageUrl}`)).status, 401);
});

test('[UP2] only admins upload; an empty or non-multipart upload is refused with a clear error', async () => {
  for (const who of ['lab', 'ld']) {
    const r = await fetch(`${t.url}/upload?projectId=${s.projectId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.users[who].token}` },
      body: form([{ name: 'x.dcm', bytes: new Uint8Array(10) }]),
    });
    assert.equal(r.status, 403, who);
  }
  const r1 = await fetch(`${t.url}/upload?projectId=${s.projectId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.users.boss.token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(r1.status, 400);
  assert.match((await r1.json()).message, /multipart/);
  const r2 = await fetch(`${t.url}/upload?projectId=${s.projectId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.users.boss.token}` },
    body: new FormData(),
  });
  assert.equal(r2.status, 400);
});

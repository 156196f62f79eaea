/**
 * DICOMweb pull asks for the stored syntax (transfer-syntax=*): a real Orthanc holding JPEG-LS
 * instances hands them over untranscoded, and ingest decodes them bit-exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dicomwebFiles, ingestFromDicomweb } from '../apps/api/src/dicomweb/index.js';
import { LocalFileStore } from '@concord/db';
import { parseInstance } from '../apps/api/src/ingest/parse-instance.js';
import { readStoredSlicePixels } from '@concord/dicom';
import { classicSeries, convertAll } from './helpers/codec-fixtures.js';
import { freshDatabase } from './helpers/db.js';
import { dicomFilesUnder, startOrthanc, uploadToOrthanc } from './helpers/orthanc.js';

// The preflight (test/preflight/tools.ts) installs the fixture tools or stops the run: nothing skips.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-dw-syntax-'));
const { sql } = await freshDatabase('dw_syntax');
const orthanc = await startOrthanc();

test('[IN11][DW5] WADO-RS returns JPEG-LS as stored (no transcoding on the way), and ingest decodes it bit-exact', async () => {
  const series = classicSeries(path.join(tmp, 'raw'), 4);
  convertAll(series, path.join(tmp, 'jls'), 'dcmcjpls', []);
  await uploadToOrthanc(orthanc, dicomFilesUnder(path.join(tmp, 'jls')));
  const syntaxes = new Set<string>();
  for await (const f of dicomwebFiles(orthanc.dicomweb)) syntaxes.add(parseInstance(f.bytes).transferSyntax);
  assert.deepEqual([...syntaxes], ['1.2.840.10008.1.2.4.80'], 'the server did not transcode');

  const [p] = await sql<{ id: string }[]>`insert into projects (name) values ('dw-syntax') returning id`;
  const store = new LocalFileStore(path.join(tmp, 'files'));
  const summary = await ingestFromDicomweb(sql, store, { projectId: p.id, baseUrl: orthanc.dicomweb, secret: 's' });
  assert.equal(summary.accepted, series.length);
  const slices = await sql<{ fileKey: string; lossy: boolean }[]>`select file_key, lossy from slices where project_id = ${p.id} order by position`;
  for (const [k, s] of slices.entries()) {
    assert.deepEqual(Array.from(readStoredSlicePixels(await store.get(s.fileKey)).pixels), Array.from(series[k].pixels), `slice ${k}`);
    assert.equal(s.lossy, false);
  }
});

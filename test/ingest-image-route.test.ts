/**
 * Slices cut from a compressed enhanced MR object reach the viewer through the ordinary image
 * route as uncompressed Explicit VR Little Endian, pixel-identical to the scanner's frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApi, seedProject, gqlOk, NEXT_SLICE } from './helpers/api.js';
import { classicSeries, enhancedFile } from './helpers/codec-fixtures.js';
import { fileStoreFor } from '@concord/db';
import { ingest } from '../apps/api/src/ingest/ingest.js';
import { readStoredSlicePixels } from '@concord/dicom';
import { loadConfig } from '../apps/api/src/config/config.js';

// The preflight (test/preflight/tools.ts) installs the fixture tools or stops the run: nothing skips.

const t = await startTestApi('ingest_image_route');
const s = await seedProject(t, { slicesPerSeries: 0, users: { lab: ['LABELER'], lead: ['LEAD'] } });

test('[IN12][IN14][IN16] a slice of a JPEG-LS enhanced MR object is served by /images uncompressed and pixel-identical; the export names its frame and lossiness', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-route-'));
  const series = classicSeries(path.join(tmp, 'raw'), 4);
  const enhanced = enhancedFile(series, path.join(tmp, 'enh.dcm'), [2, 0, 3, 1]);
  const dir = path.join(tmp, 'in');
  fs.mkdirSync(dir);
  execFileSync('dcmcjpls', [enhanced, path.join(dir, 'enh.dcm')]);
  const summary = await ingest(t.sql, fileStoreFor(t.dataDir), {
    projectId: s.projectId,
    source: { kind: 'path', path: dir },
    secret: loadConfig().pseudonymSecret,
  });
  assert.equal(summary.accepted, 1);

  const n = await gqlOk(t.url, NEXT_SLICE, { p: s.projectId }, s.users.lab.token);
  const img = await fetch(`${t.url}${n.nextSlice.slice.imageUrl}`, { headers: { authorization: `Bearer ${s.users.lab.token}` } });
  assert.equal(img.status, 200);
  const bytes = new Uint8Array(await img.arrayBuffer());
  assert.ok(Buffer.from(bytes).includes(Buffer.from('1.2.840.10008.1.2.1\0', 'latin1')), 'served as Explicit VR Little Endian');
  const served = readStoredSlicePixels(bytes);
  assert.deepEqual(Array.from(served.pixels), Array.from(series[n.nextSlice.slice.position].pixels));

  // [IN14][IN16] the final-labels export says whether a slice is lossy and which frame it came from.
  await t.sql`insert into final_labels (slice_id, project_id, value, source) select id, project_id, 0, 'SINGLE_READ' from slices where project_id = ${s.projectId}`;
  const rows = (await (
    await fetch(`${t.url}/export/${s.projectId}/final-labels.json`, { headers: { authorization: `Bearer ${s.users.lead.token}` } })
  ).json()) as { position: number; lossy: boolean; source_frame: number; source_sop_uid: string }[];
  assert.deepEqual(
    rows.map((r) => [r.position, r.lossy, r.source_frame]),
    [
      [0, false, 2],
      [1, false, 4],
      [2, false, 1],
      [3, false, 3],
    ],
  );
  assert.match(rows[0].source_sop_uid, /^2\.25\.\d+$/);
  const csv = await (await fetch(`${t.url}/export/${s.projectId}/final-labels.csv`, { headers: { authorization: `Bearer ${s.users.lead.token}` } })).text();
  assert.match(csv.split('\n')[0], /,lossy,source_sop_uid,source_frame$/);
});

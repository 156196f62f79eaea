/**
 * The lead's reader QC panel in a real Chromium against the real API and PostgreSQL
 * (apps/api/src/reader-qc/SPEC.md): figures with interval, method and n or "insufficient"; a
 * reader who answers gold wrongly is flagged and paused live; the lead resumes them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase } from './helpers/db.js';
import { gqlOk, seedProject, NEXT_SLICE, SUBMIT, type TestApi } from './helpers/api.js';
import { startApiServer } from '../apps/api/src/server/start.js';
import { freePort, startWebServer } from './helpers/web-server.js';
import { launchBrowser, loginAs, newPage, screenshot } from './helpers/browser.js';
import { fileStoreFor } from '@concord/db';
import { phantomFixture, writeMrImage } from '@concord/phantom';

const closers: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});
const { url: dbUrl, sql } = await freshDatabase('rqweb');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-rqweb-'));
const webPort = await freePort();
const api = await startApiServer({
  databaseUrl: dbUrl,
  dataDir,
  port: 0,
  host: '127.0.0.1',
  webOrigins: [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`],
  logLevel: 'silent',
});
closers.push(() => api.close());
const t: TestApi = { api, sql, url: api.url, dbUrl, dataDir };
const p = await seedProject(t, { series: 4, slicesPerSeries: 10, reads: 1, users: { rqgood: ['LABELER'], rqbad: ['LABELER'], rqlead: ['LEAD'] } });
const web = await startWebServer({ apiUrl: api.url, port: webPort });
closers.push(() => web.close());
const browser = await launchBrowser();
closers.push(() => browser.close());

/** Reads until `n` gold reads are in, answering gold right or wrong as told (the test knows the truth). */
async function goldReads(who: string, right: boolean, n: number): Promise<void> {
  let got = 0;
  for (let i = 0; i < 60 && got < n; i++) {
    const a = await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users[who].token);
    assert.ok(a.nextSlice, `${who} still has work`);
    const [row] =
      await sql`select a.is_gold, g.value as expected from assignments a left join gold_slices g on g.slice_id = a.slice_id where a.id = ${a.nextSlice.id}`;
    const value = row.isGold ? (right ? row.expected : 1 - row.expected) : 0;
    await gqlOk(t.url, SUBMIT, { s: a.nextSlice.slice.id, v: value }, p.users[who].token);
    if (row.isGold) got++;
  }
  assert.equal(got, n);
}

test("[RQ7][RQ9][RQ10] the lead's reader QC panel: intervals with n, insufficient, a live flag and pause, resume", async () => {
  await gqlOk(
    t.url,
    `mutation($p:ID!,$i:[GoldItemInput!]!){ addGoldSlices(projectId:$p, items:$i) }`,
    // Four positives among twenty: whichever five gold slices the server draws, fewer than five are
    // positive, so the sensitivity cell is withheld (with ten, all five were positive 1.6% of runs).
    { p: p.projectId, i: p.sliceIds.slice(0, 20).map((sliceId, i) => ({ sliceId, value: i < 4 ? 1 : 0 })) },
    p.users.rqlead.token,
  );
  await sql`update projects set gold_rate = 0.5, gold_flag_below = 0.8, pause_flagged_readers = true where id = ${p.projectId}`;
  await goldReads('rqgood', true, 5);

  const { page } = await newPage(browser);
  page.on('dialog', (d) => void d.accept());
  await loginAs(page, web.url, 'rqlead');
  await page.waitForURL(/\/lead$/);
  try {
    await page.waitForSelector('[data-testid=reader-qc-rqgood]', { timeout: 20_000 });
    const good = page.locator('[data-testid=reader-qc-rqgood]');
    assert.equal(await good.locator('[data-testid=rq-goldReads]').textContent(), '5');
    // 5/5 right: 1.00 (0.57–1.00), Wilson, with its n.
    assert.match((await good.locator('[data-testid=rq-goldAccuracy]').textContent()) ?? '', /1\.00 \(0\.57–1\.00\)n = 5 gold reads/);
    assert.equal(await good.locator('[data-testid=rq-goldAccuracy]').getAttribute('title'), 'wilson score 95% interval');
    // Fewer than 5 gold positives: withheld, saying why.
    assert.match((await good.locator('[data-testid=rq-goldSensitivity]').textContent()) ?? '', /^insufficient: [0-4] gold positives$/);
    assert.equal(await page.locator('[data-testid=reader-qc-rqbad] [data-testid=rq-status]').textContent(), 'ok');
    // One read per slice here: no pairs, so no κ, and the panel says why.
    assert.equal(await good.locator('[data-testid=rq-kappa]').textContent(), 'no paired reads');

    // The bad reader answers gold wrongly while the lead watches: flagged and paused, live.
    await goldReads('rqbad', false, 5);
    await page.waitForSelector('[data-testid=reader-flag-notice]', { timeout: 15_000 });
    assert.match(
      (await page.textContent('[data-testid=reader-flag-notice]')) ?? '',
      /rqbad flagged: rolling gold accuracy 0\.00 \(95% CI 0\.00–0\.43, n 5\); paused/,
    );
    await page.waitForFunction(
      () => document.querySelector('[data-testid=reader-qc-rqbad] [data-testid=rq-status]')?.textContent?.startsWith('paused'),
      undefined,
      { timeout: 15_000 },
    );
    assert.equal((await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.rqbad.token)).nextSlice, null);
    await screenshot(page, 'reader-qc-flagged');

    await page.click('[data-testid=resume-rqbad]');
    await page.waitForFunction(() => document.querySelector('[data-testid=reader-qc-rqbad] [data-testid=rq-status]')?.textContent === 'ok', undefined, {
      timeout: 15_000,
    });
    assert.ok((await gqlOk(t.url, NEXT_SLICE, { p: p.projectId }, p.users.rqbad.token)).nextSlice, 'resumed from the browser');
  } catch (e) {
    await screenshot(page, 'reader-qc-failed');
    throw e;
  }
  await page.context().close();
});

test('[RQ12] a labeler never sees the reader QC panel', async () => {
  const { page } = await newPage(browser);
  await loginAs(page, web.url, 'rqgood');
  await page.waitForURL(/\/label$/);
  await page.goto(`${web.url}/lead`);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('[data-testid=reader-qc]').count(), 0);
  await page.context().close();
});

test("[RQ15][RQ16] onboarding in the browser: a new labeler labels a calibration slice by hotkey and reads the guide's reasoning", async () => {
  const o = await seedProject(t, { series: 1, slicesPerSeries: 4, reads: 2, users: { rqnovice: ['LABELER'], rqolead: ['LEAD'], rqoadmin: ['ADMIN'] } });
  // Real phantom pixels, so the viewer draws the slice as for any read.
  const store = fileStoreFor(dataDir);
  for (const [i, id] of o.sliceIds.entries()) {
    const fx = phantomFixture({ severity: i % 2 === 0 ? 0 : 2, seed: `rq-${i}`, rows: 64 });
    const key = await store.put(
      writeMrImage(
        {
          SOPInstanceUID: `2.25.77${i}${Date.now()}`,
          Modality: 'MR',
          PixelSpacing: [fx.pixelSpacingMm, fx.pixelSpacingMm],
          WindowCenter: 1200,
          WindowWidth: 2400,
        },
        fx.pixels,
        64,
        64,
      ),
    );
    await sql`update slices set file_key = ${key} where id = ${id}`;
  }
  await gqlOk(
    t.url,
    `mutation($p:ID!,$i:[CalibrationItemInput!]!){ addCalibrationSlices(projectId:$p, items:$i) }`,
    { p: o.projectId, i: [{ sliceId: o.sliceIds[1], value: 1, reasoning: 'The cord is flattened and the CSF around it is effaced.' }] },
    o.users.rqolead.token,
  );
  await gqlOk(
    t.url,
    `mutation($p:ID!){ updateProject(id:$p, settings:{ calibrationRequired: true }){ calibrationRequired } }`,
    { p: o.projectId },
    o.users.rqoadmin.token,
  );
  const { page } = await newPage(browser);
  try {
    await loginAs(page, web.url, 'rqnovice');
    await page.waitForURL(/\/label$/);
    await page.waitForFunction((id) => document.querySelector('[data-testid=assignment]')?.getAttribute('data-slice-id') === id, o.sliceIds[1], {
      timeout: 20_000,
    });
    // The page takes a label once the slice has been on screen a moment; it says when.
    await page.waitForSelector('[data-testid=assignment][data-labelable=true]', { timeout: 10_000 });
    await page.keyboard.press('0');
    await page.waitForSelector('[data-testid=calibration-feedback]', { timeout: 15_000 });
    const text = (await page.textContent('[data-testid=calibration-feedback]')) ?? '';
    assert.match(text, /Calibration 1 of 1: not what the guide says\. Guide: compression: The cord is flattened and the CSF around it is effaced\./);
    assert.match(text, /Calibration passed|Calibration not passed/);
    await screenshot(page, 'reader-qc-calibration-feedback');
    const [stored] = await sql`select value, expected from calibration_reads where slice_id = ${o.sliceIds[1]}`;
    assert.deepEqual({ ...stored }, { value: 0, expected: 1 });
    const [reads] = await sql`select count(*)::int as n from reads where project_id = ${o.projectId}`;
    assert.equal(reads.n, 0, 'a calibration answer is not a read');
  } catch (e) {
    await screenshot(page, 'reader-qc-calibration-failed');
    throw e;
  }
  await page.context().close();
});

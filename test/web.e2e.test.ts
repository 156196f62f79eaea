/**
 * The web app in a real Chromium against the real API and PostgreSQL: two labelers disagree,
 * the adjudicator's queue grows live, the adjudicator decides, the lead's figures move live;
 * the viewer draws the phantom's pixels; hotkeys label; window/level changes pixels; roles
 * hide pages.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { freshDatabase } from './helpers/db.js';
import { eventually } from './helpers/eventually.js';
import { seedProject, type SeededProject, type TestApi } from './helpers/api.js';
import { startApiServer } from '../apps/api/src/server/start.js';
import { fileStoreFor } from '@concord/db';
import { phantomFixture, writeMrImage } from '@concord/phantom';
import { freePort, startWebServer, type RunningWeb } from './helpers/web-server.js';
import { canvasGrey, launchBrowser, loginAs, newPage, screenshot } from './helpers/browser.js';
import type { Browser } from 'playwright-core';
import { EVENTS_CHANNEL, type ServerEvent } from '@concord/contracts';
import { encodeEnvelope } from '@concord/contracts';

const ROWS = 128;
// Only for think times, the slow network WEB6 simulates and "nothing arrives" windows [TW1].
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Step log for diagnosing a stuck run: CONCORD_WEB_TRACE=/tmp/file. */
const trace = (m: string) => process.env.CONCORD_WEB_TRACE && fs.appendFileSync(process.env.CONCORD_WEB_TRACE, `${new Date().toISOString()} ${m}\n`);

/** Phantom pixels per slice id, to compare with what the browser draws. */
const pixelsBySlice = new Map<string, Uint16Array>();

/** Replaces the seed's placeholder files with phantom DICOM (severity cycles 0, 2, 0, 2 …). */
async function attachPhantomImages(sliceIds: string[]): Promise<void> {
  const store = fileStoreFor(t.dataDir);
  for (const [i, id] of sliceIds.entries()) {
    const fx = phantomFixture({ severity: i % 2 === 0 ? 0 : 2, seed: `web-${i}`, rows: ROWS });
    const bytes = writeMrImage(
      {
        SOPInstanceUID: `2.25.${1000 + i}${Date.now()}`,
        Modality: 'MR',
        PixelSpacing: [fx.pixelSpacingMm, fx.pixelSpacingMm],
        WindowCenter: 1200,
        WindowWidth: 2400,
      },
      fx.pixels,
      ROWS,
      ROWS,
    );
    const key = await store.put(bytes);
    await t.sql`update slices set file_key = ${key} where id = ${id}`;
    pixelsBySlice.set(id, fx.pixels);
  }
}

// Set up at module level: after() hooks registered inside a before() hook would fire when that hook ends.
// Registered first so it runs first: browser, web and API go before the database is dropped.
const closers: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const close of closers.reverse()) {
    await close().catch((e: unknown) => trace(`teardown: ${String(e)}`));
  }
  trace('teardown done');
});
const { url: dbUrl, sql } = await freshDatabase('web');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-web-'));
const webPort = await freePort();
trace('db ready');
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
trace(`api at ${api.url}`);
const seeded: SeededProject = await seedProject(t, {
  series: 1,
  slicesPerSeries: 4,
  reads: 2,
  users: { alice: ['LABELER'], bob: ['LABELER'], carol: ['ADJUDICATOR'], lena: ['LEAD'] },
});
await attachPhantomImages(seeded.sliceIds);
trace('seeded');
const web: RunningWeb = await startWebServer({ apiUrl: api.url, port: webPort });
closers.push(() => web.close());
trace(`web at ${web.url}`);
const browser: Browser = await launchBrowser();
closers.push(() => browser.close());
trace('browser up');

type MetricsWindow = { __concordMetrics?: { labelToNextImageMs: number[] } };

async function openLabeler(name: string): Promise<Page> {
  const { page } = await newPage(browser);
  page.on('console', (m) => trace(`[${name} console] ${m.type()} ${m.text()}`));
  page.on('pageerror', (e) => trace(`[${name} pageerror] ${e.message}`));
  await loginAs(page, web.url, name);
  trace(`${name} logged in`);
  await page.waitForURL(/\/label$/);
  await page.waitForSelector('[data-testid=assignment]');
  trace(`${name} has an assignment`);
  try {
    await page.waitForSelector('[data-testid=on-target]', { timeout: 20_000 });
  } catch (e) {
    await screenshot(page, `failed-open-${name}`);
    throw e;
  }
  return page;
}

async function sliceOnScreen(page: Page): Promise<string> {
  return (await page.getAttribute('[data-testid=assignment]', 'data-slice-id')) ?? '';
}

/** Pearson correlation of two equally long series. */
function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/**
 * Samples the canvas where the image should be (fitted, centred, square) and the phantom at the
 * same points. Linear window/level keeps correlation, so a faithful drawing scores near 1.
 */
async function drawnVersusPhantom(page: Page, sliceId: string): Promise<number> {
  const { width, height, grey } = await canvasGrey(page);
  const pixels = pixelsBySlice.get(sliceId);
  assert.ok(pixels, 'phantom pixels known for the slice on screen');
  const side = Math.min(width, height);
  const x0 = (width - side) / 2;
  const y0 = (height - side) / 2;
  const drawn: number[] = [];
  const truth: number[] = [];
  for (let r = 4; r < ROWS - 4; r += 3) {
    for (let c = 4; c < ROWS - 4; c += 3) {
      const x = Math.floor(x0 + ((c + 0.5) / ROWS) * side);
      const y = Math.floor(y0 + ((r + 0.5) / ROWS) * side);
      drawn.push(grey[y * width + x]);
      truth.push(pixels[r * ROWS + c]);
    }
  }
  return correlation(drawn, truth);
}

test('[WEB1] the viewer draws the assigned phantom slice, scrolls neighbours, and window/level changes pixels', async () => {
  const page = await openLabeler('alice');
  const sliceId = await sliceOnScreen(page);
  assert.equal(sliceId, seeded.sliceIds[0], 'series order: the first slice is served first (AS3)');
  await page.waitForTimeout(300);
  const r = await drawnVersusPhantom(page, sliceId);
  await screenshot(page, 'web1-labeler-viewer');
  assert.ok(r > 0.9, `canvas should match the phantom's pixels (correlation ${r.toFixed(3)})`);

  const before = (await canvasGrey(page)).grey;
  const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 6 });
  await page.mouse.up();
  await page.waitForTimeout(200);
  const after = (await canvasGrey(page)).grey;
  let changed = 0;
  for (let i = 0; i < before.length; i += 7) if (before[i] !== after[i]) changed++;
  assert.ok(changed > 200, `window/level drag should change pixels (changed samples: ${changed})`);
  await screenshot(page, 'web1-after-window-level');

  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('[data-testid=off-target]');
  await page.keyboard.press(' ');
  await page.waitForSelector('[data-testid=on-target]');
  await page.context().close();
});

test('[WEB2] two labelers disagree by hotkey; the adjudicator sees it live, decides, and the lead dashboard moves live', async () => {
  const lead = (await newPage(browser)).page;
  await loginAs(lead, web.url, 'lena');
  await lead.waitForURL(/\/lead$/);
  try {
    await lead.waitForSelector('[data-testid=p-final]', { timeout: 15_000 });
  } catch (e) {
    await screenshot(lead, 'failed-lead');
    throw e;
  }
  await lead.waitForSelector('.live.live');
  assert.equal(await lead.textContent('[data-testid=p-backlog]'), '0');

  const adj = (await newPage(browser)).page;
  await loginAs(adj, web.url, 'carol');
  await adj.waitForURL(/\/adjudicate$/);
  await adj.waitForSelector('.live.live');
  await adj.waitForFunction(() => document.querySelector('[data-testid=adj-queue-size]')?.textContent === '0');

  const alice = await openLabeler('alice');
  const bob = await openLabeler('bob');
  // Presence: the lead sees who is online, by role, as people arrive.
  await lead.waitForFunction(() => /2 labelers/.test(document.querySelector('[data-testid=presence]')?.textContent ?? ''), undefined, { timeout: 10_000 });
  assert.match((await lead.textContent('[data-testid=presence]')) ?? '', /1 adjudicator/);
  const target = await sliceOnScreen(alice);
  assert.equal(await sliceOnScreen(bob), target, 'both labelers hold the same slice');

  await alice.keyboard.press('1');
  await alice.waitForFunction((id) => document.querySelector('[data-testid=assignment]')?.getAttribute('data-slice-id') !== id, target);
  await alice.waitForSelector('[data-testid=on-target]');
  await alice.waitForFunction(() => ((window as unknown as MetricsWindow).__concordMetrics?.labelToNextImageMs.length ?? 0) > 0);
  const ms = await alice.evaluate(() => (window as unknown as MetricsWindow).__concordMetrics!.labelToNextImageMs);
  console.log(`# label → next image on screen: ${ms.join(', ')} ms`);
  trace(`label → next image: ${ms.join(', ')} ms`);
  // The label is saved in the background while the next image is already on screen.
  await alice.waitForFunction(() => document.querySelector('[data-testid=reads-done]')?.textContent === '1', undefined, { timeout: 10_000 });

  await bob.keyboard.press('0');
  await bob.waitForFunction((id) => document.querySelector('[data-testid=assignment]')?.getAttribute('data-slice-id') !== id, target);

  await adj.waitForFunction(() => document.querySelector('[data-testid=adj-queue-size]')?.textContent === '1', undefined, { timeout: 10_000 });
  await lead.waitForFunction(() => document.querySelector('[data-testid=p-backlog]')?.textContent === '1', undefined, { timeout: 10_000 });
  await adj.waitForSelector('[data-testid=reads] .read');
  const reads = await adj.locator('[data-testid=reads] .v').allTextContents();
  assert.deepEqual([...reads].sort(), ['0', '1']);
  await adj.waitForSelector('[data-testid=on-target]', { timeout: 20_000 });
  await screenshot(adj, 'web2-adjudicator');
  await screenshot(lead, 'web2-lead-before');

  await adj.keyboard.press('1');
  await adj.selectOption('[data-testid=reason]', { index: 1 });
  await adj.click('[data-testid=confirm]');
  await adj.waitForFunction(() => document.querySelector('[data-testid=adj-queue-size]')?.textContent === '0', undefined, { timeout: 10_000 });

  await lead.waitForFunction(() => document.querySelector('[data-testid=p-backlog]')?.textContent === '0', undefined, { timeout: 10_000 });
  await lead.waitForFunction(() => document.querySelector('[data-testid=p-final]')?.textContent === '1', undefined, { timeout: 10_000 });
  await lead.waitForSelector('[data-testid=a-pairs]');
  assert.equal(await lead.textContent('[data-testid=a-pairs]'), '1');
  assert.equal(await lead.textContent('[data-testid=a-percent]'), '0.0%');
  await screenshot(lead, 'web2-lead-after');
  await screenshot(alice, 'web2-labeler-next');
  for (const p of [lead, adj, alice, bob]) await p.context().close();
});

test('[WEB3] a labeler sees only the labeling page and is refused the adjudication and lead pages', async () => {
  const { page, context } = await newPage(browser);
  await loginAs(page, web.url, 'bob');
  await page.waitForURL(/\/label$/);
  const links = await page.locator('header nav a').allTextContents();
  assert.deepEqual(links, ['Label']);
  for (const p of ['/adjudicate', '/lead', '/admin']) {
    await page.goto(`${web.url}${p}`);
    await page.waitForSelector('[data-testid=forbidden]');
  }
  await screenshot(page, 'web3-labeler-forbidden');
  await context.close();
});

test('[WEB4] an admin uploads a zip in the browser and reads the per-file report, filtered by status', async () => {
  const { createUser } = await import('../apps/api/src/users/users.queries.js');
  const { patientFiles, storedZip } = await import('./helpers/dicom-fixtures.js');
  await createUser(sql, { username: 'ada', password: 'password123', roles: ['ADMIN'], projectIds: [seeded.projectId] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-web-upload-'));
  const zipPath = path.join(dir, 'study.zip');
  const members = patientFiles('WEBUPLOAD', 4);
  fs.writeFileSync(zipPath, storedZip(members));
  const expected = members.length + 1;
  const txtPath = path.join(dir, 'readme.txt');
  fs.writeFileSync(txtPath, 'not a DICOM file');
  const { page, context } = await newPage(browser);
  await loginAs(page, web.url, 'ada');
  await page.goto(`${web.url}/admin`);
  await page.setInputFiles('input[name=files]', [zipPath, txtPath]);
  await page.click('button:has-text("Upload")');
  // Every zip member and the text file, one row each.
  try {
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=file-report] tbody tr').length === n, expected, { timeout: 30_000 });
  } catch (e) {
    await screenshot(page, 'web4-failed');
    throw e;
  }
  await page.selectOption('[data-testid=file-filter]', 'REJECTED');
  await page.waitForFunction((n) => {
    const rows = [...document.querySelectorAll('[data-testid=file-report] tbody tr')];
    return rows.length > 0 && rows.length < n && rows.some((r) => r.textContent?.includes('NOT_DICOM'));
  }, expected);
  const rejected = await page.locator('[data-testid=file-report] tbody tr').allTextContents();
  assert.ok(rejected.length >= 1 && rejected.every((r) => /rejected/.test(r)), rejected.join(' | '));
  // File paths are the uploader's own; what ingest read from inside the files never shows.
  const html = await page.content();
  for (const id of ['PID-WEBUPLOAD-SECRET', 'Doe^Jane']) assert.ok(!html.includes(id), `no ${id} on the page`);
  await screenshot(page, 'web4-admin-upload');
  await context.close();
});

test('[WEB5] the lead sees what a model stands on: a random-weight backbone is flagged; without an evaluation set no figure, only why; the threshold', async () => {
  const metrics = {
    auc: 0.61,
    aucLow: 0.48,
    aucHigh: 0.74,
    accuracy: 0.7,
    sensitivity: 0.5,
    specificity: 0.72,
    ece: 0.1,
    testSlices: 40,
    testPatients: 2,
    threshold: 0.37,
    thresholdChosenOn: 'validation',
    screeningK: 1,
    screening: null,
  };
  const [mv] = await sql<{ id: string }[]>`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${seeded.projectId}, 1, 'CURRENT', 'resnet50-random+ft-r1', 'tensorflow', 'entropy', 120, ${sql.json({ test: [], train: [], val: [] })}, ${sql.json(metrics)})
    returning id`;
  try {
    const { page, context } = await newPage(browser);
    await loginAs(page, web.url, 'lena');
    await page.waitForURL(/\/lead$/);
    await page.waitForSelector('[data-testid=random-weights-warning]', { timeout: 15_000 });
    assert.match(
      (await page.textContent('[data-testid=model-provenance]')) ?? '',
      /resnet50-random\+ft-r1.*tensorflow/,
      'a fine-tuned random-weight model is still flagged',
    );
    // Without an evaluation set no figure is shown, only why (EV3, EV6); the threshold still is.
    const row = (await page.locator('[data-testid=model-evaluation] tbody tr').first().textContent()) ?? '';
    assert.match(row, /no evaluation set yet/);
    assert.doesNotMatch(row, /0\.61/, 'the legacy test-slice AUC is not the headline');
    assert.match((await page.textContent('[data-testid=est-auc]')) ?? '', /no evaluation set has been frozen yet/);
    assert.match(row, /0\.37/);
    // The exports panel's links download through the web origin with the session cookie.
    const href = await page.getAttribute('[data-testid=exports] a[href$="/predictions.csv"]', 'href');
    assert.equal(href, `/export/${seeded.projectId}/predictions.csv`);
    const got = await page.evaluate(async (u) => {
      const r = await fetch(u!);
      return { status: r.status, text: await r.text() };
    }, href);
    assert.equal(got.status, 200);
    assert.match(got.text, /^study_uid,series_uid,sop_uid,position,model_round,model_version_id,model_status,threshold,probability,split,final_value\n/);
    await screenshot(page, 'web5-lead-model');
    await context.close();
  } finally {
    await sql`delete from model_versions where id = ${mv.id}`;
  }
});

test('[WEB6] a double tap labels one slice, not the next one nobody looked at; a label or skip given while a slow save runs is queued for the slice on screen', async () => {
  const bob = await openLabeler('bob');
  const readsOfBob = async () =>
    (await sql<{ n: number }[]>`select count(*)::int as n from reads r join users u on u.id = r.user_id where u.username = 'bob'`)[0].n;
  const shownFor = async (n: number) =>
    bob.waitForFunction((k) => document.querySelector('[data-testid=reads-done]')?.textContent === String(k), n, { timeout: 15_000 });
  // The page marks a slice labelable once it has been on screen its minimum view time.
  const labelable = () => bob.waitForSelector('[data-testid=assignment][data-labelable=true]', { timeout: 10_000 });
  const start = await readsOfBob();
  await labelable();

  // Double tap: the second press lands on a slice drawn a few ms ago and is refused, visibly.
  await bob.keyboard.press('0');
  await bob.keyboard.press('0');
  await shownFor(start + 1);
  await bob.waitForSelector('text=Too quick');
  // A save of the second tap would land within this window; "nothing saved" needs it [TW1].
  await sleep(600);
  assert.equal(await readsOfBob(), start + 1, 'the second tap labelled nothing');

  // A slow network: saves take 1.5 s. The reader labels, looks at the next slice, labels again
  // while the first save still runs: the second label is queued, shown, and saved for that slice.
  await bob.route('**/graphql', async (route) => {
    if ((route.request().postData() ?? '').includes('submitLabel')) await sleep(1500);
    await route.continue();
  });
  await bob.waitForSelector('[data-testid=on-target]');
  await labelable();
  const first = await sliceOnScreen(bob);
  await bob.keyboard.press('1');
  await bob.waitForFunction((id) => document.querySelector('[data-testid=assignment]')?.getAttribute('data-slice-id') !== id, first);
  await bob.waitForSelector('[data-testid=on-target]');
  const second = await sliceOnScreen(bob);
  await labelable();
  await bob.keyboard.press('0');
  await bob.waitForSelector('[data-testid=pending-label]', { timeout: 2_000 });
  assert.equal(await bob.locator('text=Too quick').count(), 0, 'the too-quick hint went away with the next accepted label');
  await shownFor(start + 3);
  const rows = await sql<{ sliceId: string; value: number }[]>`
    select r.slice_id, r.value from reads r join users u on u.id = r.user_id where u.username = 'bob' order by r.id desc limit 2`;
  assert.deepEqual(
    rows.map((r) => [r.sliceId, r.value]),
    [
      [second, 0],
      [first, 1],
    ],
  );

  // A skip chosen while a label is still saving is queued the same way, for the slice on screen.
  await labelable();
  const third = await sliceOnScreen(bob);
  await bob.keyboard.press('1');
  await bob.waitForFunction((id) => document.querySelector('[data-testid=assignment]')?.getAttribute('data-slice-id') !== id, third);
  await bob.waitForSelector('[data-testid=on-target]');
  const fourth = await sliceOnScreen(bob);
  await bob.keyboard.press('s');
  await bob.waitForSelector('[data-testid=skip-dialog]');
  await bob.keyboard.press('1');
  await bob.waitForSelector('[data-testid=pending-label]:has-text("Skip")', { timeout: 1_000 });
  const skipsOfFourth = async () =>
    (
      await sql<{ n: number }[]>`
    select count(*)::int as n from skips k join users u on u.id = k.user_id where u.username = 'bob' and k.slice_id = ${fourth}`
    )[0].n;
  await eventually(async () => (await skipsOfFourth()) > 0, { timeoutMs: 10_000, intervalMs: 100, what: 'the queued skip to be saved' });
  assert.equal(await skipsOfFourth(), 1, 'the queued skip was saved for the slice it was chosen on');
  await bob.waitForFunction((id) => document.querySelector('[data-testid=assignment]')?.getAttribute('data-slice-id') !== id, fourth, { timeout: 15_000 });
  await bob.context().close();
});

test('[WEB7] an admin changes an active-learning setting in the browser and it is stored', async () => {
  const { createUser } = await import('../apps/api/src/users/users.queries.js');
  await createUser(sql, { username: 'adele', password: 'password123', roles: ['ADMIN'], projectIds: [seeded.projectId] });
  const [before] = await sql<{ alBatchSize: number }[]>`select al_batch_size from projects where id = ${seeded.projectId}`;
  const { page, context } = await newPage(browser);
  try {
    await loginAs(page, web.url, 'adele');
    await page.goto(`${web.url}/admin`);
    const field = page.locator('section[aria-label="Project settings"] input[name=alBatchSize]');
    await field.waitFor({ timeout: 15_000 });
    assert.equal(await field.inputValue(), String(before.alBatchSize));
    await field.fill('12');
    await page.click('button:has-text("Save settings")');
    await page.waitForSelector('section[aria-label="Project settings"] :text("Saved.")', { timeout: 10_000 });
    const [after] = await sql<{ alBatchSize: number }[]>`select al_batch_size from projects where id = ${seeded.projectId}`;
    assert.equal(after.alBatchSize, 12);
    await screenshot(page, 'web7-admin-al-settings');
  } finally {
    await context.close();
    await sql`update projects set al_batch_size = ${before.alBatchSize} where id = ${seeded.projectId}`;
  }
});

test('[WEB8] the lead dashboard shows live training progress and the finished round; a labeler receives none of it', async () => {
  const notify = (e: ServerEvent) => sql`select pg_notify(${EVENTS_CHANNEL}, ${encodeEnvelope(e)})`;
  // The labeler's socket frames, recorded from before the page opens its connection.
  const labeler = (await newPage(browser)).page;
  const frames: string[] = [];
  labeler.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))));
  await loginAs(labeler, web.url, 'alice');
  await labeler.waitForURL(/\/label$/);
  const lead = (await newPage(browser)).page;
  await loginAs(lead, web.url, 'lena');
  await lead.waitForURL(/\/lead$/);
  // Presence is broadcast after a join: once both have it, both sockets are in their rooms.
  await lead.waitForFunction(() => /1 labeler/.test(document.querySelector('[data-testid=presence]')?.textContent ?? ''), undefined, { timeout: 15_000 });
  await eventually(() => frames.some((f) => f.includes('"presence"')), { timeoutMs: 10_000, what: 'the labeler socket to join' });
  assert.equal(await lead.locator('section[aria-label=Model] tbody tr').count(), 0, 'no model round yet');

  const projectId = seeded.projectId;
  await notify({ type: 'training:progress', projectId, jobId: 'web8', stage: 'training', done: 3, total: 20, epoch: 3, loss: 0.42 });
  await lead.waitForSelector('[data-testid=training-status]', { timeout: 10_000 });
  const status = (await lead.textContent('[data-testid=training-status]')) ?? '';
  assert.match(status, /training/);
  assert.match(status, /epoch 3/);
  assert.match(status, /loss 0\.420/);
  await screenshot(lead, 'web8-lead-training-progress');

  const metrics = {
    auc: 0.77,
    aucLow: 0.6,
    aucHigh: 0.9,
    accuracy: 0.7,
    sensitivity: 0.6,
    specificity: 0.8,
    ece: 0.1,
    testSlices: 4,
    testPatients: 1,
    threshold: 0.5,
    thresholdChosenOn: 'default',
    screeningK: 1,
    screening: null,
  };
  const [mv] = await sql<{ id: string }[]>`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${projectId}, 1, 'CURRENT', 'tiny-random', 'wasm', 'entropy', 12, ${sql.json({ test: [], train: [], val: [] })}, ${sql.json(metrics)})
    returning id`;
  try {
    await notify({ type: 'training:round', projectId, modelVersionId: mv.id, round: 1, status: 'CURRENT', auc: 0.77, accuracy: 0.7, labelCount: 12 });
    await lead.waitForFunction(
      () => /Round 1 finished \(CURRENT\)/.test(document.querySelector('[data-testid=training-status]')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    assert.doesNotMatch((await lead.textContent('[data-testid=training-status]')) ?? '', /AUC/, 'no figure without its interval');
    // training:round makes the page refetch its model versions: the new round is listed.
    await lead.waitForFunction(() => document.querySelectorAll('section[aria-label=Model] tbody tr').length === 1, undefined, { timeout: 10_000 });
    assert.match((await lead.locator('[data-testid=version-1]').textContent()) ?? '', /CURRENT/);
    // [EV9] one round is no trend: the stopping signal says insufficient, with its reason, not a verdict.
    await lead.waitForSelector('[data-testid=stopping-verdict]', { timeout: 10_000 });
    assert.match((await lead.textContent('[data-testid=stopping-verdict]')) ?? '', /^insufficient: /);
    await screenshot(lead, 'web8-lead-training-round');

    // The lead has had both events; give the labeler's socket the same time, then check.
    await sleep(500);
    assert.deepEqual(
      frames.filter((f) => /training:|"loss"|"epoch"/.test(f)),
      [],
      'no training event reaches a labeler',
    );
    assert.equal(await labeler.locator('[data-testid=training-status]').count(), 0);
    const text = (await labeler.textContent('body')) ?? '';
    assert.doesNotMatch(text, /epoch 3|loss 0\.42|Round 1 finished/);
  } finally {
    for (const p of [lead, labeler]) await p.context().close();
    await sql`delete from model_versions where id = ${mv.id}`;
  }
});

test('[WEB9] a lead promotes a candidate round from the dashboard and rolls back, each audited', async () => {
  const metrics = (auc: number) => ({
    auc,
    aucLow: auc - 0.1,
    aucHigh: auc + 0.05,
    accuracy: 0.8,
    sensitivity: 0.7,
    specificity: 0.8,
    ece: 0.05,
    testSlices: 4,
    testPatients: 1,
    threshold: 0.5,
    thresholdChosenOn: 'default',
    screeningK: 1,
    screening: null,
  });
  const insert = (round: number, status: string, auc: number) => sql<{ id: string }[]>`
    insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
    values (${seeded.projectId}, ${round}, ${status}, 'tiny-random', 'wasm', 'entropy', ${10 * round}, ${sql.json({ test: [], train: [], val: [] })}, ${sql.json(metrics(auc))})
    returning id`;
  const [v1] = await insert(1, 'CURRENT', 0.8);
  const [v2] = await insert(2, 'CANDIDATE', 0.7);
  await sql`update projects set current_model_version_id = ${v1.id} where id = ${seeded.projectId}`;
  const status = async () =>
    Object.fromEntries(
      (
        await sql<{ round: number; status: string }[]>`
    select round, status from model_versions where project_id = ${seeded.projectId} order by round`
      ).map((r) => [r.round, r.status]),
    );
  const { page, context } = await newPage(browser);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
  try {
    await loginAs(page, web.url, 'lena');
    await page.waitForURL(/\/lead$/);
    await page.waitForSelector('[data-testid=make-current-2]', { timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=make-current-1]').count(), 0, 'the current round has no button');
    assert.equal(await page.textContent('[data-testid=make-current-2]'), 'Promote');
    await page.click('[data-testid=make-current-2]');
    await page.waitForSelector('[data-testid=make-current-1]', { timeout: 10_000 });
    assert.deepEqual(await status(), { 1: 'RETIRED', 2: 'CURRENT' });
    assert.match(dialogs[0], /Promote round 2\?/);
    assert.match((await page.textContent('[data-testid=version-2] [data-testid=promotion]')) ?? '', /MANUAL by lena/, 'the promotion is shown with its basis');
    assert.equal(await page.textContent('[data-testid=make-current-1]'), 'Roll back');
    await page.click('[data-testid=make-current-1]');
    await page.waitForSelector('[data-testid=make-current-2]', { timeout: 10_000 });
    assert.deepEqual(await status(), { 1: 'CURRENT', 2: 'RETIRED' });
    assert.match(dialogs[1], /Roll back to round 1\?/);
    const audits = await sql<{ entityId: string; payload: { via: string } }[]>`
      select entity_id, payload from audit_log where action = 'PROMOTE_MODEL' and entity_id in (${v1.id}, ${v2.id}) order by id`;
    assert.deepEqual(
      audits.map((a) => [a.entityId, a.payload.via]),
      [
        [v2.id, 'graphql'],
        [v1.id, 'graphql'],
      ],
    );
    await screenshot(page, 'web9-lead-rollback');
  } finally {
    await context.close();
    await sql`update projects set current_model_version_id = null where id = ${seeded.projectId}`;
    await sql`delete from model_versions where id in (${v1.id}, ${v2.id})`;
  }
});

test('[WEB10] the lead freezes the evaluation set, watches it fill, and reads each figure with interval, method and n, or why it is withheld', async () => {
  // Last test: it adds patients. 20 cases and 8 controls of 2 slices each (a case's first slice is
  // compressed): the set takes 10 cases and 4 controls (at most half of a stratum).
  const projectId = seeded.projectId;
  // The seed patient's cohort unknown: its stratum (1 patient) contributes none, so the set is exactly the patients added here.
  await sql`update patients set cohort = null where project_id = ${projectId}`;
  const added: { id: string; truth: 0 | 1 }[] = [];
  for (let i = 0; i < 28; i++) {
    const cohort = i < 20 ? 'DCM' : 'CONTROL';
    const [pa] = await sql<
      { id: string }[]
    >`insert into patients (project_id, pseudonym, cohort) values (${projectId}, ${`web10-${i}`}, ${cohort}) returning id`;
    const [st] = await sql<
      { id: string }[]
    >`insert into studies (project_id, patient_id, study_uid) values (${projectId}, ${pa.id}, ${`2.25.7710${i}`}) returning id`;
    const [se] = await sql<
      { id: string }[]
    >`insert into series (project_id, study_id, series_uid, rows, cols) values (${projectId}, ${st.id}, ${`2.25.7720${i}`}, 8, 8) returning id`;
    for (let k = 0; k < 2; k++) {
      const [sl] = await sql<{ id: string }[]>`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
        values (${projectId}, ${se.id}, ${`2.25.7730${i}.${k}`}, ${k}, ${k * 3}, ${'0'.repeat(64)}, 2) returning id`;
      added.push({ id: sl.id, truth: cohort === 'DCM' && k === 0 ? 1 : 0 });
    }
  }
  const { page, context } = await newPage(browser);
  page.on('dialog', (d) => void d.accept());
  let mvId = '';
  try {
    await loginAs(page, web.url, 'lena');
    await page.waitForURL(/\/lead$/);
    await page.waitForSelector('[data-testid=freeze-evaluation-set]', { timeout: 15_000 });
    assert.match((await page.textContent('[data-testid=evaluation-set]')) ?? '', /not frozen yet.*14 patients \(10 cases, 4 controls\)/);
    await page.click('[data-testid=freeze-evaluation-set]');
    // A frozen set offers no second freeze, and says when it was frozen.
    await page.waitForSelector('[data-testid=freeze-evaluation-set]', { state: 'detached', timeout: 10_000 });
    assert.match((await page.textContent('[data-testid=evaluation-set]')) ?? '', /Evaluation set frozen \d/);
    assert.match((await page.textContent('[data-testid=evaluation-progress]')) ?? '', /^0 of 28 slices labelled$/);
    const [set] = await sql<{ frozenBy: string }[]>`select frozen_by from evaluation_sets where project_id = ${projectId} and retired_at is null`;
    const [lena] = await sql<{ id: string }[]>`select id from users where username = 'lena'`;
    assert.equal(set.frozenBy, lena.id, 'the freeze is recorded with who made it');

    // A version scored every slice; the evaluation set gets its final labels; the page refetches.
    const [mv] = await sql<{ id: string }[]>`
      insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics,
                                  promotion_basis, promotion_decided_at, promotion_note)
      values (${projectId}, 1, 'CURRENT', 'tiny-random', 'wasm', 'entropy', 40, ${sql.json({ test: [], train: [], val: [] })},
              ${sql.json({ auc: 0.5, threshold: 0.5, screeningK: 0, operatingPoint: { threshold: 0.5, rule: 'patient-sensitivity', target: 0.95, achieved: 1, n: 3 } })},
              'VALIDATION', now(), 'first version; validation AUC 0.800 on 30 calibration slices')
      returning id`;
    mvId = mv.id;
    await sql`insert into predictions ${sql(added.map((a, i) => ({ modelVersionId: mv.id, sliceId: a.id, probability: a.truth ? 0.55 + (i % 7) / 20 : 0.1 + (i % 9) / 20 })))}`;
    const members = new Set(
      (
        await sql<{ id: string }[]>`select s.id from slices s join series se on se.id = s.series_id join studies st on st.id = se.study_id
      join patients pa on pa.id = st.patient_id where pa.is_test and s.project_id = ${projectId}`
      ).map((r) => r.id),
    );
    await sql`insert into final_labels ${sql(added.filter((a) => members.has(a.id)).map((a) => ({ sliceId: a.id, projectId, value: a.truth, source: 'CONSENSUS' })))}`;
    await page.reload();
    await page.waitForSelector('[data-testid=version-1]', { timeout: 15_000 });
    const row = page.locator('[data-testid=version-1]');
    assert.equal(await row.locator('[data-testid=eval-status]').textContent(), 'complete');
    assert.match((await page.textContent('[data-testid=evaluation-progress]')) ?? '', /^28 of 28 slices labelled$/);
    const auc = row.locator('[data-testid=est-auc]');
    assert.match((await auc.textContent()) ?? '', /^\d\.\d\d \(\d\.\d\d–\d\.\d\d\)n = 14 patients, 28 slices$/);
    assert.match((await auc.getAttribute('title')) ?? '', /patient-clustered bootstrap, 1000 resamples/);
    assert.match((await row.locator('[data-testid=est-patientSensitivity]').textContent()) ?? '', /n = 10 patients/);
    assert.equal(await row.locator('[data-testid=est-patientSpecificity]').textContent(), 'insufficient: 4 controls');
    assert.match((await row.locator('[data-testid=promotion]').textContent()) ?? '', /^VALIDATION: first version; validation AUC 0\.800/);
    assert.doesNotMatch((await page.textContent('section[aria-label=Model]')) ?? '', /Acc\./, 'no accuracy headline');
    assert.match((await page.textContent('[data-testid=agreement-by-selection]')) ?? '', /RANDOM.*SERIES.*ACTIVE.*AUDIT.*TEST/s);
    assert.match((await page.textContent('[data-testid=operating-point]')) ?? '', /patient sensitivity ≥ 0\.95/);
    await page.locator('section[aria-label=Model]').scrollIntoViewIfNeeded();
    await screenshot(page, 'web10-lead-evaluation');
  } finally {
    await context.close();
    if (mvId) {
      await sql`update projects set current_model_version_id = null where id = ${projectId}`;
      await sql`delete from predictions where model_version_id = ${mvId}`;
      await sql`delete from model_versions where id = ${mvId}`;
    }
  }
});

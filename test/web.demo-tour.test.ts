/**
 * `npm run demo`'s own entry point from an empty data dir, looked at in a real Chromium: the
 * project with history as the lead sees it, a round started live by two readers' labels, and
 * the README tour's screenshots (docs/screenshots/, rewritten by every run so they stay true).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { freshDatabase } from './helpers/db.js';
import { freePort } from './helpers/web-server.js';
import { launchBrowser, newPage, screenshot } from './helpers/browser.js';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { DEMO_PASSWORD, DEMO_PROJECT, HISTORY_PROJECT } from '@concord/demo';
import { generatePhantom } from '@concord/phantom';

const SHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
/** The target for a first run on a 2-core machine; the figure is printed either way. */
const TARGET_SECONDS = 360;

const { url: dbUrl, onBeforeDrop } = await freshDatabase('demotour');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-demo-tour-'));
const [apiPort, webPort] = [await freePort(), await freePort()];
const demo = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tools/demo/src/cli/demo.ts')], {
  cwd: REPO_ROOT,
  env: {
    ...process.env,
    DATABASE_URL: dbUrl,
    CONCORD_DATA_DIR: dataDir,
    PORT: String(apiPort),
    WEB_PORT: String(webPort),
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
  // Its own process group: the demo's trainer and web app end with it.
  detached: true,
});
let output = '';
demo.stdout!.on('data', (d) => {
  output += d;
});
demo.stderr!.on('data', (d) => {
  output += d;
});
const stopDemo = async () => {
  if (demo.exitCode !== null || demo.pid === undefined) return;
  const exited = new Promise((r) => demo.once('exit', r));
  process.kill(-demo.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-demo.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
};
onBeforeDrop(stopDemo);
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const ready = await new Promise<number>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`the demo did not say "Concord is running" within 10 min:\n${output}`)), 600_000);
  const check = () => {
    const m = /Concord is running \(ready (\d+) s/.exec(output);
    if (m) {
      clearTimeout(timer);
      resolve(Number(m[1]));
    }
  };
  demo.stdout!.on('data', check);
  demo.once('exit', (code) => {
    clearTimeout(timer);
    reject(new Error(`the demo exited (${code}) before running:\n${output}`));
  });
});
const web = `http://localhost:${webPort}`;
const browser = await launchBrowser();

async function open(username: string, pathname: string, project: string): Promise<Page> {
  const { page } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(`${web}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
  await page.selectOption('.project-pick select', { label: project });
  if (new URL(page.url()).pathname !== pathname) await page.goto(`${web}${pathname}`);
  return page;
}

async function tourShot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Until the viewer's canvas holds an image, not the black it starts with (the tour's pictures show slices). */
async function imageDrawn(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=on-target]', { timeout: 30_000 });
  await page.waitForFunction(
    () => {
      const canvas = document.querySelector('[data-testid=viewport] canvas') as HTMLCanvasElement | null;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx || !canvas.width) return false;
      const row = ctx.getImageData(0, Math.floor(canvas.height / 2), canvas.width, 1).data;
      for (let i = 0; i < row.length; i += 4) if (row[i] > 40) return true;
      return false;
    },
    undefined,
    { timeout: 30_000 },
  );
}

const modelRows = (page: Page) => page.locator('section[aria-label=Model] tbody tr').count();

test('[DM6] the demo prints its time to running, and each step as it goes', () => {
  console.log(
    output
      .trim()
      .split('\n')
      .map((l) => `# demo: ${l}`)
      .join('\n'),
  );
  console.log(`# demo ready in ${ready} s (target ${TARGET_SECONDS} s, web app already built by the test runner)`);
  for (const step of ['Migrating', 'Generating 40 phantom patients', 'round 3:', 'History ready', 'Starting the API']) {
    assert.ok(output.includes(step), `progress shows "${step}"`);
  }
  assert.ok(ready <= TARGET_SECONDS, `ready in ${ready} s`);
});

test('[DM1] the lead finds the history project with ≥ 3 model versions, a drawn learning curve, agreement pairs and the backbone it used', async () => {
  const lead = await open('lead', '/lead', HISTORY_PROJECT);
  await lead.waitForFunction(() => document.querySelectorAll('section[aria-label=Model] tbody tr').length >= 3, undefined, { timeout: 30_000 });
  const curve = await lead.getAttribute('.recharts-line-curve', 'd');
  assert.ok(curve && (curve.match(/[LC]/g) ?? []).length >= 2, `the learning curve is drawn through ≥ 3 points (${curve})`);
  assert.ok(Number(await lead.textContent('[data-testid=a-pairs]')) > 100, "agreement over the readers' pairs");
  await lead.waitForSelector('[data-testid=standin-backbone-note]');
  assert.match((await lead.textContent('[data-testid=model-provenance]')) ?? '', /pixels/);
  await lead.waitForSelector('[data-testid=screening] tbody tr');
  await tourShot(lead, 'lead-dashboard');
  await lead.locator('section[aria-label=Model]').screenshot({ path: path.join(SHOTS, 'lead-learning-curve.png') });
  await lead.context().close();
});

test("[DM1] the adjudicator has the history's open disagreements", async () => {
  const adj = await open('adjudicator', '/adjudicate', HISTORY_PROJECT);
  await adj.setViewportSize({ width: 1024, height: 640 });
  await adj.waitForFunction(() => Number(document.querySelector('[data-testid=adj-queue-size]')?.textContent) > 0, undefined, { timeout: 30_000 });
  await imageDrawn(adj);
  await tourShot(adj, 'adjudicator');
  await adj.context().close();
});

test("[DM5] two readers label in the browser until a round runs; the lead sees it arrive and the readers' queue is reprioritised live", async () => {
  const lead = await open('lead', '/lead', HISTORY_PROJECT);
  await lead.waitForFunction(() => document.querySelectorAll('section[aria-label=Model] tbody tr').length >= 3, undefined, { timeout: 30_000 });
  const before = await modelRows(lead);
  const readers = [await open('reader1', '/label', HISTORY_PROJECT), await open('reader2', '/label', HISTORY_PROJECT)];
  for (const r of readers) await r.waitForSelector('[data-testid=on-target]', { timeout: 30_000 });
  // Blinded: nothing on the page says a slice was picked by the model (EV8); demo-history [DM1]
  // checks in the database that readers are served the current ranking first.
  assert.equal(await readers[0].$('[data-testid=prioritised]'), null, 'no per-slice selection cue');
  // Smaller than the others: the phantom's noise makes the viewer compress poorly.
  await readers[0].setViewportSize({ width: 1024, height: 640 });
  await imageDrawn(readers[0]);
  await tourShot(readers[0], 'labeler');
  const roundArrived = lead.waitForFunction(
    () => /Round \d+ finished/.test(document.querySelector('[data-testid=training-status]')?.textContent ?? ''),
    undefined,
    { timeout: 300_000 },
  );
  let arrived = false;
  const reloads = [0, 0];
  void roundArrived.then(
    () => {
      arrived = true;
    },
    () => {},
  );
  for (let i = 0; i < 60 && !arrived; i++) {
    for (const [n, r] of readers.entries()) {
      if (arrived) break;
      try {
        // Hotkeys act on the slice on screen: wait until it is drawn, as a reader would; a view
        // left on a neighbouring slice (a new assignment can open off target) goes back with Space.
        await r.waitForFunction(() => !!document.querySelector('[data-testid=on-target]') || /Context slice/.test(document.body.textContent ?? ''), undefined, {
          timeout: 30_000,
        });
        if (!(await r.$('[data-testid=on-target]'))) await r.keyboard.press('Space');
        await r.waitForSelector('[data-testid=on-target]', { timeout: 30_000 });
        const slice = await r.getAttribute('[data-testid=assignment]', 'data-slice-id');
        // A label within 250 ms of the slice appearing is refused as too quick; a reader presses again.
        await r.waitForSelector('[data-testid=assignment][data-labelable=true]', { timeout: 30_000 });
        for (let attempt = 0; ; attempt++) {
          await r.keyboard.press('0');
          const outcome = await r.waitForFunction(
            (id) => {
              if (document.querySelector('[data-testid=assignment]')?.getAttribute('data-slice-id') !== id) return 'next';
              return /Too quick/.test(document.body.textContent ?? '') ? 'too-quick' : false;
            },
            slice,
            { timeout: 30_000 },
          );
          if ((await outcome.jsonValue()) === 'next') break;
          assert.ok(attempt < 5, 'the label was refused as too quick five times');
          // The notice stays until dismissed or a label is taken: dismiss it so the next answer is the new press's.
          await r.click('button[aria-label=Dismiss]');
          await r.waitForFunction(() => !/Too quick/.test(document.body.textContent ?? ''), undefined, { timeout: 10_000 });
        }
      } catch (e) {
        await screenshot(r, `demo-tour-reader${n + 1}-stuck`);
        // Under a loaded machine an image fetch can fail while a round runs (seen once: "IMAGE
        // Failed to fetch", then the view stuck off target). A reader reloads the page; so does
        // the test, once per reader, and the label count still has to reach the round.
        if (reloads[n]++ >= 1) throw e;
        await r.reload();
        await r.waitForSelector('[data-testid=on-target]', { timeout: 60_000 });
      }
    }
  }
  await roundArrived;
  await lead.waitForFunction((n) => document.querySelectorAll('section[aria-label=Model] tbody tr').length === n + 1, before, { timeout: 30_000 });
  await readers[0].waitForFunction(() => /reprioritised/.test(document.body.textContent ?? ''), undefined, { timeout: 30_000 });
  for (const p of [lead, ...readers]) await p.context().close();
});

test('[DM6] the admin uploads files and reads the per-file report', async () => {
  const admin = await open('admin', '/admin', DEMO_PROJECT);
  // A new patient, as a site would send: axial T2 is taken, the sagittal and localizer series are skipped with their reason.
  const upload = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-demo-tour-upload-'));
  await generatePhantom({ patients: 1, outDir: upload, seed: 'demo-tour-upload', rows: 128 });
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.dcm')) files.push(p);
    }
  };
  walk(upload);
  const notes = path.join(upload, 'notes.txt');
  fs.writeFileSync(notes, 'not a DICOM file');
  await admin.setInputFiles('input[name=files]', [...files, notes]);
  await admin.click('button:has-text("Upload")');
  await admin.waitForFunction((n) => document.querySelectorAll('[data-testid=file-report] tbody tr').length === n, files.length + 1, { timeout: 60_000 });
  await admin.locator('section[aria-label=Ingest]').evaluate((e) => e.scrollIntoView());
  await tourShot(admin, 'admin-upload');
  fs.rmSync(upload, { recursive: true, force: true });
  await admin.context().close();
});

/**
 * A real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
 * No browser download: playwright-core only talks to the executable we point it at.
 */
import { after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../apps/api/src/config/config.js';
import { chromiumPath } from './browser-path.js';

export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

export async function launchBrowser(): Promise<Browser> {
  const EXECUTABLE = chromiumPath();
  if (!fs.existsSync(EXECUTABLE)) throw new Error(`Chromium not found at ${EXECUTABLE}: apt-get install -y chromium`);
  const browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  after(() => browser.close());
  return browser;
}

/** A fresh context (own cookies) at the smallest screen the app supports. */
export async function newPage(browser: Browser, viewport = { width: 1366, height: 768 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL: undefined });
  const page = await context.newPage();
  return { context, page };
}

export async function loginAs(page: Page, webUrl: string, username: string, password = 'password123'): Promise<void> {
  await page.goto(`${webUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Grey levels of the viewport's canvas (red channel), read inside the page. */
export async function canvasGrey(page: Page): Promise<{ width: number; height: number; grey: number[] }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid=viewport] canvas') as HTMLCanvasElement | null;
    if (!canvas) throw new Error('no viewer canvas');
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('viewer canvas has no 2d context');
    const { width, height } = canvas;
    const data = ctx.getImageData(0, 0, width, height).data;
    const grey: number[] = new Array(width * height);
    for (let i = 0; i < width * height; i++) grey[i] = data[i * 4];
    return { width, height, grey };
  });
}

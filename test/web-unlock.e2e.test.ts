/**
 * [LL7] in the browser: someone fails a labeler's login on purpose, the labeler sees how long to
 * wait instead of a silent refusal, and an admin's "Unlock" on the admin page lets them in at
 * once. Real Chromium through the built web app (server.mjs + proxy.ts) and a real API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, seedProject } from './helpers/api.js';
import { freePort, startWebServer } from './helpers/web-server.js';
import { launchBrowser, loginAs, newPage, screenshot } from './helpers/browser.js';

const webPort = await freePort();
const origins = [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`];
const t = await startTestApi('webunlock', { webOrigins: origins, config: { trustProxy: ['loopback'] } });
const s = await seedProject(t, { users: { adele: ['ADMIN'], lena: ['LABELER'] } });
const web = await startWebServer({ apiUrl: t.url, port: webPort });
const browser = await launchBrowser();

test("[LL7] a labeler delayed by someone else's failures is told the wait, and the admin page's Unlock lets them in", async () => {
  // The "someone else" shares lena's address (one machine here): ten guesses at once through the web app.
  await Promise.all(
    Array.from({ length: 10 }, () =>
      fetch(`${web.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation{login(username:"lena",password:"wrong-wrong"){token}}' }),
      }),
    ),
  );
  // Enough past failures that the wait outlasts this test on a slow machine.
  for (let i = 0; i < 6; i++) await t.sql`insert into login_attempts (username, ip, success) values ('lena', '127.0.0.1', false)`;

  const { page: lena, context: lenaCtx } = await newPage(browser);
  await lena.goto(`${web.url}/login`);
  await lena.fill('input[name=username]', 'lena');
  await lena.fill('input[name=password]', 'password123');
  await lena.click('button[type=submit]');
  await lena.waitForSelector(':text("Too many failed logins for this account")', { timeout: 15_000 });
  const notice = await lena.textContent('body');
  assert.match(notice ?? '', /Try again in \d+ (seconds|minutes), or ask an admin to unlock it/);
  await screenshot(lena, 'll7-login-delayed');

  const { page: admin, context: adminCtx } = await newPage(browser);
  await loginAs(admin, web.url, 'adele');
  await admin.goto(`${web.url}/admin`);
  await admin.click('button[aria-label="Unlock login of lena"]', { timeout: 15_000 });
  await admin.waitForSelector('section[aria-label="Users"] :text("Unlocked.")', { timeout: 10_000 });
  const audit = await t.sql`select actor_id, entity_id from audit_log where action = 'LOGIN_UNLOCK'`;
  assert.deepEqual(
    audit.map((a) => [a.actorId, a.entityId]),
    [[s.users.adele.id, s.users.lena.id]],
  );

  await loginAs(lena, web.url, 'lena');
  assert.ok(!new URL(lena.url()).pathname.startsWith('/login'));
  await lenaCtx.close();
  await adminCtx.close();
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
});

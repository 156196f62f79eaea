/**
 * [ER1][ER2][ER3] Errors never show stacks: a mangled session cookie is no session (not a 500) on
 * every route and does not block login; every REST error is JSON `{ code, message }` with the
 * status httpStatusFor gives its code, through one session middleware and one error path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestApi, seedProject, gqlOk } from './helpers/api.js';
import { ErrorCode } from '@concord/contracts';
import { httpStatusFor } from '../apps/api/src/server/http-errors.js';
import { REPO_ROOT } from '../apps/api/src/config/config.js';

const t = await startTestApi('resterr');
const s = await seedProject(t, { slicesPerSeries: 1, users: { ce: ['ADMIN', 'LEAD'] } });
const BAD_COOKIES = [
  'concord_session=%E0%A4%A',
  'concord_session=%',
  'concord_session=%%%; other=1',
  'concord_session',
  '=; ;;=%ZZ',
  'concord_session=\u00ff\u00fe',
];
const STACK = /\bat .+:\d+:\d+|Error: |node_modules|\/src\//;

async function assertCodedJson(res: Response, where: string): Promise<{ code: string; message: string }> {
  assert.notEqual(res.status, 500, `${where}: no 500`);
  const text = await res.text();
  assert.ok(!STACK.test(text), `${where}: no stack or path in ${text.slice(0, 200)}`);
  const body = JSON.parse(text);
  return body;
}

test('[ER1] a malformed session cookie is no session on /images, /export, /upload and /graphql', async () => {
  for (const cookie of BAD_COOKIES) {
    const headers = { cookie: cookie.replace(/[^\x20-\x7e]/g, '') };
    const img = await fetch(`${t.url}/images/${s.sliceIds[0]}`, { headers });
    assert.equal(img.status, 401, `images ${cookie}`);
    assert.equal((await assertCodedJson(img, 'images')).code, 'UNAUTHENTICATED');
    const exp = await fetch(`${t.url}/export/${s.projectId}/final-labels.csv`, { headers });
    assert.equal(exp.status, 401);
    assert.equal((await assertCodedJson(exp, 'export')).code, 'UNAUTHENTICATED');
    const up = await fetch(`${t.url}/upload?projectId=${s.projectId}`, { method: 'POST', headers, body: new FormData() });
    assert.equal(up.status, 401);
    assert.equal((await assertCodedJson(up, 'upload')).code, 'UNAUTHENTICATED');
    const me = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const meBody = (await assertCodedJson(me, 'graphql')) as unknown as { errors: { extensions: { code: string } }[] };
    assert.equal(meBody.errors[0].extensions.code, 'UNAUTHENTICATED');
    // Logging in with the bad cookie still set works and replaces it.
    const login = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation{ login(username:"ce", password:"password123"){ token } }' }),
    });
    const lb = (await assertCodedJson(login, 'login')) as unknown as { data: { login: { token: string } } };
    assert.ok(lb.data.login.token, `login works with ${cookie}`);
    assert.match(login.headers.get('set-cookie') ?? '', /concord_session=/);
  }
  // A good cookie next to garbage ones still counts (with the web app's header: a cookie alone is
  // refused as cross-site, XS1).
  const good = await gqlOk(t.url, 'query{ me { username } }', {}, s.users.ce.token);
  assert.equal(good.me.username, 'ce');
  const mixed = await fetch(`${t.url}/export/${s.projectId}/final-labels.csv`, {
    headers: { cookie: `x=%E0%A4%A; concord_session=${encodeURIComponent(s.users.ce.token)}`, 'x-concord-request': '1' },
  });
  assert.equal(mixed.status, 200);
  await mixed.text();
});

test("[ER2] every REST error is JSON with its code's status: unknown paths, bad encodings, bad bodies, bad ids", async () => {
  const auth = { authorization: `Bearer ${s.users.ce.token}` };
  const cases: [string, RequestInit, number, string][] = [
    ['/nope', {}, 404, 'NOT_FOUND'],
    ['/images/%E0%A4%A', { headers: auth }, 400, 'BAD_INPUT'],
    ['/images/not-a-uuid', { headers: auth }, 404, 'NOT_FOUND'],
    [`/export/${s.projectId}/%E0%A4%A`, { headers: auth }, 400, 'BAD_INPUT'],
    [`/export/${s.projectId}/secrets.csv`, { headers: auth }, 400, 'BAD_INPUT'],
    ['/export/00000000-0000-0000-0000-000000000000/reads.csv', { headers: auth }, 404, 'PROJECT_NOT_FOUND'],
    ['/graphql', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"query": "{ me { id } }"' }, 400, 'BAD_INPUT'],
    [
      '/graphql',
      { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: `{"query":"${'x'.repeat(2 * 1024 * 1024)}"}` },
      400,
      'BAD_INPUT',
    ],
    ['/upload?projectId=nope', { method: 'POST', headers: auth, body: new FormData() }, 404, 'PROJECT_NOT_FOUND'],
  ];
  for (const [path, init, status, code] of cases) {
    const res = await fetch(`${t.url}${path}`, init);
    const body = await assertCodedJson(res, path);
    assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
    assert.equal(body.code, code, path);
    assert.equal(typeof body.message, 'string');
    assert.equal(res.status, httpStatusFor(body.code as ErrorCode), "the status is the code's");
  }
  assert.equal((await fetch(`${t.url}/health`)).status, 200);
});

test('[ER2] httpStatusFor maps every ErrorCode to an error status', () => {
  for (const code of Object.values(ErrorCode)) {
    const status = httpStatusFor(code);
    assert.ok(status >= 400 && status <= 599, `${code} → ${status}`);
  }
  assert.equal(httpStatusFor(ErrorCode.UNAUTHENTICATED), 401);
  assert.equal(httpStatusFor(ErrorCode.FORBIDDEN), 403);
  assert.equal(httpStatusFor(ErrorCode.INTERNAL), 500);
});

test('[ER3] REST routes get their caller from the one session middleware and answer errors through the one error path', () => {
  const src = path.join(REPO_ROOT, 'apps/api/src');
  const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('generated.ts'));
  const offences: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(src, f), 'utf8');
    const rel = f.split(path.sep).join('/');
    // Statuses are set in one place, from the code (http-errors.ts); app.ts answers /health, /ready and preflights.
    if (!['server/http-errors.ts', 'server/app.ts'].includes(rel) && /\.status\(\s*\d/.test(text)) offences.push(`${rel}: sets a status by hand`);
    if (/\.code\s*===\s*['"A-Za-z.]*FORBIDDEN['"]?\s*\?/.test(text)) offences.push(`${rel}: maps a code to a status by hand`);
    if (rel.endsWith('.route.ts') && /tokenFromRequest|userForToken|sessionOf/.test(text)) offences.push(`${rel}: looks up the session itself`);
    if (rel.endsWith('.route.ts') && !/restUser\(req\)/.test(text)) offences.push(`${rel}: does not take its caller from signedIn`);
  }
  assert.deepEqual(offences, []);
  const app = fs.readFileSync(path.join(src, 'server/app.ts'), 'utf8');
  const mounts = app.split('\n').filter((l) => /app\.(get|post)\('\/(images|export|upload)/.test(l));
  assert.equal(mounts.length, 4, mounts.join('\n'));
  for (const m of mounts) assert.match(m, /notCrossSite, caller, /, `cross-site guard, then the session middleware: ${m}`);
});

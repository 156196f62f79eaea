/** The fresh-machine rules of test/SPEC.md: install never compiles, the preflight, no skips, the bare image's mirror. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../apps/api/src/config/config.js';
import { plan, toolsFor, type Machine, type Missing } from './preflight/preflight.js';
import { TOOLS, type Tool } from './preflight/tools.js';
import { verdict } from './helpers/tally.js';
import { debianMirror } from './fresh/run.js';

const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; hasInstallScript?: boolean; link?: boolean }>;
};
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
const nameOf = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
/** What a compile looks like in an install script. */
const COMPILES = /node-gyp|prebuild-install|node-pre-gyp|cmake-js|\bmake\b|\bgcc\b|\bg\+\+|\bcc\b/;

test('[FM1] every dependency with an install script is reviewed in allowScripts, and none of the allowed ones compiles', () => {
  const withScripts = Object.entries(lock.packages).filter(([k, v]) => k && v.hasInstallScript);
  assert.ok(withScripts.length > 0, 'the lockfile records install scripts (hasInstallScript), so this check sees them');
  for (const [key] of withScripts) {
    const name = nameOf(key);
    assert.ok(name in pkg.allowScripts, `${name} has an install script nobody reviewed: add it to allowScripts (true or false) after reading it`);
    const dir = path.join(REPO_ROOT, key);
    if (!pkg.allowScripts[name] || !fs.existsSync(dir)) continue; // denied, or an optional package for another platform
    const scripts = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts ?? {};
    for (const hook of ['preinstall', 'install', 'postinstall']) {
      if (scripts[hook]) assert.doesNotMatch(scripts[hook], COMPILES, `${name} ${hook}: ${scripts[hook]}`);
    }
  }
  for (const name of Object.keys(pkg.allowScripts)) {
    assert.ok(
      withScripts.some(([k]) => nameOf(k) === name),
      `allowScripts names ${name}, which has no install script in the lockfile (stale entry)`,
    );
  }
});

test('[FM1] no installed package builds from source: no node-gyp-build, no root binding.gyp npm would compile', () => {
  for (const key of Object.keys(lock.packages)) {
    assert.doesNotMatch(
      nameOf(key),
      /^(node-gyp-build|node-gyp|prebuild-install|@mapbox\/node-pre-gyp|nan|bindings)$/,
      `${key} is how native addons compile or find compiled builds`,
    );
  }
  // npm runs `node-gyp rebuild` for any package with a binding.gyp at its root and no install script.
  const offenders: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || !fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === '.bin') continue;
      const p = path.join(dir, e.name);
      if (e.name.startsWith('@')) {
        walk(p, depth);
        continue;
      }
      if (fs.existsSync(path.join(p, 'binding.gyp'))) {
        const meta = JSON.parse(fs.readFileSync(path.join(p, 'package.json'), 'utf8'));
        if (meta.gypfile !== false) offenders.push(path.relative(REPO_ROOT, p));
      }
      walk(path.join(p, 'node_modules'), depth + 1);
    }
  };
  walk(path.join(REPO_ROOT, 'node_modules'), 0);
  assert.deepEqual(offenders, []);
});

test('[FM1] the native addons (@node-rs/argon2, @resvg/resvg-js) have a prebuilt binary for every platform users run', () => {
  const have = Object.keys(lock.packages).map(nameOf);
  for (const addon of ['@node-rs/argon2', '@resvg/resvg-js']) {
    for (const p of [
      'linux-x64-gnu',
      'linux-x64-musl',
      'linux-arm64-gnu',
      'linux-arm64-musl',
      'darwin-x64',
      'darwin-arm64',
      'win32-x64-msvc',
      'win32-arm64-msvc',
    ]) {
      assert.ok(have.includes(`${addon}-${p}`), `${addon}-${p} in the lockfile`);
    }
  }
});

const debianRoot: Machine = { isRoot: true, osIds: ['debian'], hasAptGet: true };
const tool = (name: string, apt: string[], remedy?: string): Tool => ({
  name,
  purpose: `${name} things`,
  neededBy: () => true,
  apt,
  remedy,
  problem: () => 'not found',
});
const missing = (...tools: Tool[]): Missing[] => tools.map((t) => ({ tool: t, problem: 'not found' }));

test('[FM2] root on Debian or Ubuntu: everything missing is installed by one apt-get install', () => {
  const m = missing(tool('orthanc', ['orthanc', 'orthanc-dicomweb']), tool('chromium', ['chromium']), tool('again', ['orthanc']));
  for (const osIds of [['debian'], ['ubuntu', 'debian'], ['linuxmint', 'ubuntu']]) {
    const p = plan(m, { ...debianRoot, osIds });
    assert.equal(p.kind, 'install', osIds.join(' '));
    if (p.kind !== 'install') return;
    assert.deepEqual(p.packages, ['orthanc', 'orthanc-dicomweb', 'chromium'], 'each package once');
    assert.deepEqual(
      p.command.filter((c) => c.includes('install')),
      [['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'orthanc', 'orthanc-dicomweb', 'chromium']],
    );
  }
  assert.deepEqual(plan([], debianRoot), { kind: 'ready' });
});

test('[FM2] not root, not Debian, or a tool apt cannot install: stop before running, with the exact command', () => {
  const m = missing(tool('nginx', ['nginx']), tool('chromium', ['chromium']));
  const user = plan(m, { ...debianRoot, isRoot: false });
  assert.equal(user.kind, 'stop');
  assert.ok(
    user.kind === 'stop' && user.message.includes('sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends nginx chromium'),
    user.kind === 'stop' ? user.message : '',
  );
  assert.match(user.kind === 'stop' ? user.message : '', /nginx \(nginx things\): not found/);

  for (const machine of [
    { isRoot: true, osIds: ['fedora'], hasAptGet: false },
    { isRoot: true, osIds: [], hasAptGet: false },
    { ...debianRoot, hasAptGet: false },
  ]) {
    const p = plan(m, machine);
    assert.equal(p.kind, 'stop', JSON.stringify(machine));
    assert.match(p.kind === 'stop' ? p.message : '', /nginx chromium/);
    assert.doesNotMatch(p.kind === 'stop' ? p.message : '', /^\s*sudo apt-get/m, 'no apt command where apt cannot run');
  }

  const corpus = plan(missing(tool('DICOM corpus', [], 'set CONCORD_CORPUS_DIR'), tool('nginx', ['nginx'])), debianRoot);
  assert.equal(corpus.kind, 'stop', 'apt cannot fetch the corpus, so nothing is installed for a run that would stop anyway');
  assert.match(
    corpus.kind === 'stop' ? corpus.message : '',
    /DICOM corpus: set CONCORD_CORPUS_DIR[\s\S]*Also run: apt-get update -q && apt-get install -y -q --no-install-recommends nginx/,
  );
});

test('[FM2] npm test stops before running anything, with the command, when a tool is missing and it may not install', () => {
  // Run as nobody: as root on Debian the preflight would install instead of stopping.
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp'] : ['env'];
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(
    asUser[0],
    [...asUser.slice(1), 'CONCORD_CHROMIUM=/nonexistent/chromium', process.execPath, '--import', 'tsx', 'test/run.ts', 'web.e2e'],
    { cwd: REPO_ROOT, encoding: 'utf8', env },
  );
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /chromium \(the browser the web tests drive through playwright-core\): \/nonexistent\/chromium not found/);
  assert.match(r.stdout, /sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends chromium\n/);
  assert.match(r.stdout, /Nothing was run\./);
  assert.doesNotMatch(r.stdout, /web app build|embedded PostgreSQL|^✔/m, 'stopped before the build, the database and the tests');
});

test('[FM2] each test file needs exactly the tools it drives', () => {
  const names = (...files: string[]) =>
    toolsFor(files.map((f) => path.join(REPO_ROOT, 'test', f)))
      .map((t) => t.name)
      .sort();
  assert.deepEqual(names('compose.test.ts'), ['docker-compose', 'nginx', 'python3 + PyYAML']);
  assert.deepEqual(names('dicomweb.test.ts'), ['orthanc + DICOMweb plugin']);
  assert.deepEqual(names('web.e2e.test.ts'), ['chromium', 'flock']);
  assert.deepEqual(names('corpus.test.ts'), ['DICOM corpus']);
  assert.deepEqual(names('auth.test.ts', 'passwords.test.ts'), []);
  assert.equal(new Set(TOOLS.map((t) => t.name)).size, TOOLS.length, 'tool names are unique');
  for (const t of TOOLS) assert.ok(t.apt.length || t.remedy, `${t.name}: apt packages or a remedy`);
});

test('[FM3] no test file declares a skip or a todo', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'fixtures' && e.name !== 'node_modules') walk(p);
      else if (/\.(test\.ts|ts)$/.test(e.name)) {
        const src = fs.readFileSync(p, 'utf8');
        if (/\{\s*(skip|todo)\s*:|\b(test|it|describe|t)\.(skip|todo)\s*\(/.test(src) && p !== path.join(REPO_ROOT, 'test/preflight.test.ts'))
          offenders.push(path.relative(REPO_ROOT, p));
      }
    }
  };
  walk(path.join(REPO_ROOT, 'test'));
  assert.deepEqual(offenders, []);
});

test('[FM3] a run in which a test was skipped or left todo fails, naming them; a full run passes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-tally-'));
  const runFixture = (name: string) => {
    const out = path.join(dir, `${name}.json`);
    // Without this variable the child would report to this runner instead of to its own reporters.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter',
        path.join(REPO_ROOT, 'test/helpers/tally-reporter.mjs'),
        '--test-reporter-destination',
        out,
        path.join(REPO_ROOT, 'test/helpers/fixtures', `${name}.fixture.ts`),
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', env },
    );
    return { code: r.status ?? 1, out };
  };
  const skipping = runFixture('skips');
  assert.equal(skipping.code, 0, 'node:test itself calls a run with skips a success');
  const said: string[] = [];
  assert.equal(
    verdict(skipping.code, skipping.out, (s) => said.push(s)),
    1,
  );
  assert.match(said.join('\n'), /skipped: fixture skips[\s\S]*todo: fixture todo/);
  assert.doesNotMatch(said.join('\n'), /fixture passes/);

  const passing = runFixture('passes');
  assert.deepEqual(JSON.parse(fs.readFileSync(passing.out, 'utf8')), { tests: 2, pass: 2, fail: 0, skipped: [], todo: [] });
  assert.equal(
    verdict(passing.code, passing.out, () => {}),
    0,
  );
  assert.equal(
    verdict(0, path.join(dir, 'never-written.json'), () => {}),
    1,
    'no counts: the run proves nothing',
  );
  assert.equal(
    verdict(3, passing.out, () => {}),
    3,
    'failures keep their exit code',
  );
});

test('[FM4] the bare image is bootstrapped from the Debian archive apt uses here, not a security or third-party repo', () => {
  const sources = `Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
`;
  assert.equal(
    debianMirror([
      { name: '/etc/apt/sources.list.d/nodesource.sources', text: 'Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\n' },
      { name: '/etc/apt/sources.list.d/debian.sources', text: sources },
    ]),
    'http://mirror.example/debian',
  );
  assert.equal(
    debianMirror([
      {
        name: '/etc/apt/sources.list',
        text: '# deb http://old/debian bookworm main\ndeb http://security.debian.org/debian-security bookworm-security main\ndeb [arch=amd64] http://ftp.example/debian/ bookworm main\n',
      },
    ]),
    'http://ftp.example/debian/',
  );
  assert.equal(
    debianMirror([{ name: '/etc/apt/sources.list.d/x.sources', text: 'Enabled: no\nTypes: deb\nURIs: http://off/debian\nSuites: bookworm\n' }]),
    undefined,
  );
  assert.equal(
    debianMirror([{ name: '/etc/apt/sources.list.d/google.list.disabled', text: 'deb http://x/debian bookworm main' }]),
    undefined,
    'only .list and .sources files count',
  );
});

/**
 * `npm run test:fresh`: the README's test commands on a fresh machine (FM4 in test/SPEC.md).
 *
 * Builds (once, then reused) a bare Debian trixie image with only Debian's nodejs and npm,
 * copies this checkout's HEAD into a container of it (`git archive`: committed files only, no
 * node_modules, no .data), and runs there exactly what the README's "Two commands" section
 * says: `npm ci`, then `npm test` on the embedded PostgreSQL, as root, so the test preflight
 * installs its apt packages itself.
 *
 * Uses only Node's standard library: it runs before anything is installed in the container and
 * must not depend on the host's node_modules either.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BARE_IMAGE = 'concord/bare:trixie';
const NODE_IMAGE = 'concord/fresh-node:trixie';
/** npm's download cache survives runs (a volume, not an image layer): the install is still a full `npm ci`. */
const NPM_CACHE_VOLUME = 'concord-fresh-npm-cache';
/** Inside the container the checkout sits at /work/concord, so the corpus is where it is here: ../shared/corpus. */
const WORKDIR = '/work/concord';
const CORPUS_HOST = [process.env.CONCORD_CORPUS_DIR, path.join(REPO_ROOT, '../shared/corpus/public'), '/work/shared/corpus/public'].find(
  (d): d is string => !!d && fs.existsSync(d),
);
/** The README's test part, verbatim (see "Two commands"). */
const COMMANDS = 'npm ci && npm test';
/**
 * A hung run is stopped well inside CI's 90 minutes (this run took 21 min on 2 shared cores
 * under load, with the two host runs of npm test before it).
 */
const TIMEOUT_MINUTES = 50;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const say = (msg: string) => console.log(`fresh: ${msg} [${elapsed()}]`);

class FreshError extends Error {}

/** What this run made, undone on every exit path, signals included. */
const cleanups: (() => void)[] = [];
function cleanupNow() {
  while (cleanups.length) cleanups.pop()!();
}

function run(cmd: string, args: string[], opts: { stdio?: StdioOptions; input?: string } = {}): { status: number; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: opts.stdio ?? ['pipe', 'pipe', 'pipe'], input: opts.input, maxBuffer: 64 << 20 });
  if (r.error) return { status: 127, out: String(r.error.message) };
  return { status: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function must(cmd: string, args: string[], what: string): string {
  const r = run(cmd, args);
  if (r.status !== 0) throw new FreshError(`${what} failed (${cmd} ${args.join(' ')}):\n${r.out.trim()}`);
  return r.out;
}

const has = (bin: string) => run('sh', ['-c', `command -v ${bin}`]).status === 0;
const isRoot = () => process.getuid?.() === 0;

/**
 * The docker engine and debootstrap on the host: installed when we may (root on Debian), else the
 * command to run. The engine is checked by `dockerd`, not `docker`: a machine may carry the client
 * alone (this kind of machine ships /usr/local/bin/docker without an engine), and the client cannot
 * build anything by itself.
 */
function ensureHostTools() {
  const need = [
    ['dockerd', 'docker.io'],
    ['debootstrap', 'debootstrap'],
  ];
  const missing = need.filter(([bin]) => !has(bin)).map(([, pkg]) => pkg);
  if (!missing.length) return;
  const cmd = `apt-get install -y ${missing.join(' ')}`;
  if (!isRoot() || !has('apt-get')) throw new FreshError(`missing on this machine: ${missing.join(', ')}. Run: sudo ${cmd}`);
  say(`installing ${missing.join(' ')} on the host`);
  // Another process may hold apt's lock (another checkout doing the same): wait for it instead of failing.
  const r = run('apt-get', ['-o', 'DPkg::Lock::Timeout=900', 'install', '-y', '-q', ...missing], { stdio: 'inherit' });
  if (r.status !== 0) throw new FreshError(`${cmd} failed (exit ${r.status})`);
}

/**
 * A docker engine: shared when one answers, else started here and stopped at the end. An engine
 * someone else started is never stopped by this script.
 */
async function ensureDockerd(): Promise<ChildProcess | undefined> {
  if (run('docker', ['info']).status === 0) {
    say('using the running docker engine');
    return undefined;
  }
  if (!isRoot()) throw new FreshError('no docker engine answers (`docker info` fails) and only root can start one here: start dockerd, then re-run');
  const log = path.join(os.tmpdir(), `concord-fresh-dockerd-${process.pid}.log`);
  say(`starting dockerd (log ${log})`);
  const fd = fs.openSync(log, 'a');
  const child = spawn('dockerd', [], { stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  // A spawn failure (ENOENT, EACCES) arrives as an 'error' event; unhandled, it would end this
  // script with a stack trace instead of a message, and leave no exit code for the loop below.
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  for (let i = 0; i < 120; i++) {
    if (spawnError) throw new FreshError(`dockerd could not start (${spawnError.message}): install docker.io, then re-run`);
    if (child.exitCode !== null) throw new FreshError(`dockerd exited with ${child.exitCode}; see ${log}`);
    if (run('docker', ['info']).status === 0) return child;
    await new Promise((r) => setTimeout(r, 500));
  }
  await stopDockerd(child);
  throw new FreshError(`dockerd did not answer within 60 s; see ${log}`);
}

async function stopDockerd(child: ChildProcess) {
  if (child.exitCode !== null) return;
  say('stopping the dockerd this script started');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** The Debian archive apt on this machine uses (deb822 `.sources` or one-line `.list`), not its security mirror. */
export function debianMirror(files: { name: string; text: string }[]): string | undefined {
  const uris: string[] = [];
  for (const f of files) {
    if (f.name.endsWith('.sources')) {
      for (const stanza of f.text.split(/\n\s*\n/)) {
        const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'mi').exec(stanza)?.[1].trim();
        if (field('Enabled') === 'no' || !/\bdeb\b/.test(field('Types') ?? '')) continue;
        const suites = field('Suites') ?? '';
        for (const uri of (field('URIs') ?? '').split(/\s+/)) if (uri && !/security/.test(uri + suites)) uris.push(uri);
      }
    } else if (f.name.endsWith('.list')) {
      for (const line of f.text.split('\n')) {
        const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
        if (m && !/security/.test(m[1] + m[2])) uris.push(m[1]);
      }
    }
  }
  // The archive proper serves trixie; prefer a URI that looks like Debian's over third-party repos.
  return uris.find((u) => /\/debian\/?$/.test(u)) ?? uris[0];
}

function hostMirror(): string {
  const files: { name: string; text: string }[] = [];
  const add = (p: string) => {
    if (fs.existsSync(p)) files.push({ name: p, text: fs.readFileSync(p, 'utf8') });
  };
  add('/etc/apt/sources.list');
  const dir = '/etc/apt/sources.list.d';
  if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir).sort()) add(path.join(dir, f));
  const mirror = debianMirror(files);
  if (!mirror) throw new FreshError('no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d');
  return mirror;
}

const imageExists = (tag: string) => run('docker', ['image', 'inspect', tag]).status === 0;

function ensureImages() {
  if (imageExists(BARE_IMAGE)) say(`reusing ${BARE_IMAGE}`);
  else {
    const mirror = hostMirror();
    const dir = fs.mkdtempSync(path.join('/var/tmp', 'concord-fresh-rootfs-'));
    try {
      say(`debootstrap --variant=minbase trixie from ${mirror} (a few minutes)`);
      const r = run('debootstrap', ['--variant=minbase', 'trixie', dir, mirror], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new FreshError(`debootstrap failed (exit ${r.status})`);
      say(`importing the root filesystem as ${BARE_IMAGE}`);
      const imp = run('sh', ['-c', `tar -C '${dir}' -c . | docker import - ${BARE_IMAGE}`]);
      if (imp.status !== 0) throw new FreshError(`docker import failed:\n${imp.out}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (imageExists(NODE_IMAGE)) say(`reusing ${NODE_IMAGE}`);
  else {
    say(`building ${NODE_IMAGE} (Debian's nodejs and npm, nothing else; about a minute)`);
    const r = run('docker', ['build', '-t', NODE_IMAGE, path.join(REPO_ROOT, 'test/fresh')]);
    if (r.status !== 0) throw new FreshError(`docker build of ${NODE_IMAGE} failed (exit ${r.status}):\n${r.out.trim().split('\n').slice(-30).join('\n')}`);
  }
}

/** The host's CA bundle, for npm's TLS to the registry: mounted read-only at run time, never baked into an image. */
function caFile(): string | undefined {
  // stdout only, first line: npm prints config warnings (e.g. about .npmrc keys) on stderr, and a
  // path with a warning glued to it mounted nothing, so npm in the container met the proxy's CA unarmed.
  const r = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' });
  const p = (r.stdout ?? '').trim().split('\n')[0].trim();
  return r.status === 0 && p && p !== 'null' && p !== 'undefined' && fs.existsSync(p) ? p : undefined;
}

function counts(log: string) {
  // The runner's own summary is the last one printed.
  const pick = (k: string) => {
    const m = [...log.matchAll(new RegExp(`^ℹ ${k} (\\d+)$`, 'gm'))].pop();
    return m ? Number(m[1]) : undefined;
  };
  return { tests: pick('tests'), pass: pick('pass'), fail: pick('fail'), skipped: pick('skipped'), todo: pick('todo'), cancelled: pick('cancelled') };
}

async function runInContainer(): Promise<{ code: number; log: string; timedOut: boolean }> {
  const dirty = run('git', ['-C', REPO_ROOT, 'status', '--porcelain']).out.trim();
  if (dirty) say('warning: uncommitted changes are not tested (the container gets HEAD)');
  const head = must('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], 'git rev-parse').trim();
  const name = `concord-fresh-${process.pid}`;
  const args = ['create', '--name', name, '-w', WORKDIR, '-e', 'DEBIAN_FRONTEND=noninteractive', '-v', `${NPM_CACHE_VOLUME}:/root/.npm`];
  const ca = caFile();
  if (ca) args.push('-v', `${ca}:/etc/concord-host-ca.pem:ro`, '-e', 'NPM_CONFIG_CAFILE=/etc/concord-host-ca.pem');
  if (CORPUS_HOST) args.push('-v', `${CORPUS_HOST}:/work/shared/corpus/public:ro`);
  else say('warning: no DICOM corpus on this machine; the corpus tests will fail (set CONCORD_CORPUS_DIR)');
  // No DATABASE_URL: the README's `npm test` runs on the embedded PostgreSQL.
  // COMMANDS as written, with the time of each step printed between them.
  const [install, test] = COMMANDS.split(' && ');
  args.push(
    NODE_IMAGE,
    'sh',
    '-c',
    `set -e; echo "fresh: node $(node --version), npm $(npm --version)"; s=$(date +%s); ${install}; echo "fresh: ${install} took $(( $(date +%s) - s )) s"; s=$(date +%s); ${test}; echo "fresh: ${test} took $(( $(date +%s) - s )) s"`,
  );
  must('docker', args, 'docker create');
  const cleanup = () => {
    run('docker', ['rm', '-f', name]);
  };
  cleanups.push(cleanup);
  try {
    say(`copying HEAD (${head}) into ${name}:${WORKDIR} (git archive)`);
    const cp = run('sh', ['-c', `git -C '${REPO_ROOT}' archive --prefix=concord/ HEAD | docker cp - ${name}:/work/`]);
    if (cp.status !== 0) throw new FreshError(`copying the checkout failed:\n${cp.out}`);
    say(`running in the container: ${COMMANDS}`);
    const child = spawn('docker', ['start', '-a', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    // Decoded as a stream, so a multi-byte character split between chunks (the summary's ℹ) stays whole.
    const tee = (stream: NodeJS.WriteStream) => (text: string) => {
      log += text;
      stream.write(text);
    };
    child.stdout!.setEncoding('utf8').on('data', tee(process.stdout));
    child.stderr!.setEncoding('utf8').on('data', tee(process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      say(`no result after ${TIMEOUT_MINUTES} min: stopping the container`);
      run('docker', ['kill', name]);
    }, TIMEOUT_MINUTES * 60_000);
    const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? 1)));
    clearTimeout(timer);
    return { code, log, timedOut };
  } finally {
    cleanups.splice(cleanups.indexOf(cleanup), 1);
    cleanup();
    say(`removed container ${name}`);
  }
}

async function main(): Promise<number> {
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(sig, () => {
      say(`${sig}: cleaning up`);
      cleanupNow();
      process.exit(code);
    });
  }
  ensureHostTools();
  const dockerd = await ensureDockerd();
  try {
    ensureImages();
    if (process.argv.includes('--images-only')) {
      say('images ready');
      return 0;
    }
    const { code, log, timedOut } = await runInContainer();
    const c = counts(log);
    const ok = !timedOut && code === 0 && c.fail === 0 && c.skipped === 0 && c.todo === 0 && c.cancelled === 0 && (c.tests ?? 0) > 0;
    const tally = timedOut
      ? `timed out after ${TIMEOUT_MINUTES} min`
      : c.tests === undefined
        ? 'no test summary (the run stopped before the tests)'
        : `${c.tests} tests: ${c.pass} passed, ${c.fail} failed, ${c.skipped} skipped, ${c.todo} todo, ${c.cancelled} cancelled`;
    console.log(`fresh: ${ok ? 'PASS' : 'FAIL'}: ${COMMANDS} in a bare Debian trixie container: ${tally}; exit ${code}; ${elapsed()}`);
    return ok ? 0 : 1;
  } finally {
    if (dockerd) await stopDockerd(dockerd);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof FreshError ? `fresh: ${e.message}` : e);
      console.log(`fresh: FAIL: ${e instanceof FreshError ? e.message.split('\n')[0] : 'unexpected error'}; ${elapsed()}`);
      process.exit(1);
    },
  );
}

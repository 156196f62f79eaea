import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../apps/api/src/config/config.js';

/*
 * Static checks of the deployment files, so `npm test` needs no Docker engine (the stack itself is
 * built and run by `npm run test:deploy`, test/deploy/stack.deploy.ts; rules in deploy/SPEC.md):
 * docker-compose parses and resolves the file, and nginx checks the proxy config. npm test's
 * preflight installs both (test/preflight/tools.ts); a missing one fails these tests, never skips them.
 */

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const ENV_EXAMPLE = path.join(REPO_ROOT, 'deploy/concord.env.example');
const NGINX_CONF = path.join(REPO_ROOT, 'deploy/nginx/concord.conf');
const LOCAL_OVERRIDE = path.join(REPO_ROOT, 'deploy/docker-compose.local.yml');

function which(bin: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin'])) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** The binary's path; a missing one fails the test that needs it (FM3: no test skips itself). */
function required(bin: string): string {
  const p = which(bin);
  assert.ok(p, `${bin} is not installed: npm test's preflight should have installed it (apt-get install -y ${bin})`);
  return p;
}

/** The resolved file as JSON: `config` prints YAML, so ask for it in a form we can parse without a YAML library. */
function resolvedConfig(...extraFiles: string[]): any {
  const files = [COMPOSE_FILE, ...extraFiles].flatMap((f) => ['-f', f]);
  // --profile gpu: docker-compose v2 (Debian trixie) leaves services of inactive profiles out of
  // `config`; v1 (bookworm) lists them anyway. With it, both list the GPU trainer.
  const out = execFileSync(required('docker-compose'), ['--profile', 'gpu', ...files, '--env-file', ENV_EXAMPLE, 'config'], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
  // docker-compose v1 prints YAML; python3 (a dependency of docker-compose) has PyYAML with it.
  const json = execFileSync('python3', ['-c', 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: out, encoding: 'utf8' });
  return JSON.parse(json);
}

test('[DP1] docker-compose.yml validates with the example env file', () => {
  const r = spawnSync(required('docker-compose'), ['-f', COMPOSE_FILE, '--env-file', ENV_EXAMPLE, 'config', '-q'], { encoding: 'utf8', cwd: REPO_ROOT });
  assert.equal(r.status, 0, `docker-compose config failed:\n${r.stderr}`);
});

test('[DP1] secrets are required: without them the file does not resolve', () => {
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-compose-')), 'empty.env');
  fs.writeFileSync(empty, '');
  const env = { ...process.env };
  for (const k of ['POSTGRES_PASSWORD', 'CONCORD_SECRET', 'ORTHANC_PASSWORD']) delete env[k];
  const r = spawnSync(required('docker-compose'), ['-f', COMPOSE_FILE, '--env-file', empty, 'config', '-q'], { encoding: 'utf8', cwd: REPO_ROOT, env });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /POSTGRES_PASSWORD|CONCORD_SECRET|ORTHANC_PASSWORD/);
});

test('[DP2] services, replicas, volumes, healthchecks and the GPU reservation', () => {
  const cfg = resolvedConfig();
  const services = cfg.services as Record<string, any>;
  for (const name of ['postgres', 'api1', 'api2', 'proxy', 'web', 'trainer', 'orthanc']) assert.ok(services[name], `service ${name}`);

  assert.ok(
    services.postgres.volumes.some((v: any) => String(typeof v === 'string' ? v : v.target).includes('/var/lib/postgresql/data')),
    'postgres keeps its data in a volume',
  );
  for (const name of ['postgres', 'api1', 'api2', 'proxy', 'web', 'orthanc']) assert.ok(services[name].healthcheck?.test, `${name} has a healthcheck`);

  // Both API nodes share the database and the file store, and wait for PostgreSQL to be healthy.
  for (const api of [services.api1, services.api2]) {
    assert.match(api.environment.DATABASE_URL, /@postgres:5432\//);
    assert.equal(api.environment.CONCORD_DATA_DIR, '/data');
    assert.equal(api.depends_on.postgres.condition, 'service_healthy');
  }
  assert.equal(services.api1.environment.CONCORD_SECRET, services.api2.environment.CONCORD_SECRET);
  assert.equal(services.api1.environment.CONCORD_SECRET, services.trainer.environment.CONCORD_SECRET);

  const devices = services.trainer.deploy.resources.reservations.devices;
  assert.deepEqual(devices, [{ driver: 'nvidia', count: 1, capabilities: ['gpu'] }]);
  assert.equal(services.orthanc.environment.DICOM_WEB_PLUGIN_ENABLED, 'true');
  // nginx overwrites X-Forwarded-For, so the API trusts exactly that one hop.
  for (const api of [services.api1, services.api2]) assert.equal(api.environment.CONCORD_TRUST_PROXY, '1');
});

test('[DP2] the local override runs every service on concord-deploy/* images and a CPU trainer instead of the GPU one', () => {
  const cfg = resolvedConfig(LOCAL_OVERRIDE);
  const services = cfg.services as Record<string, any>;
  for (const name of ['postgres', 'api1', 'api2', 'proxy', 'web', 'orthanc', 'trainer-cpu']) {
    assert.match(services[name].image, /^concord-deploy\//, `${name} uses a local image`);
  }
  assert.deepEqual(services.trainer.profiles, ['gpu'], 'the GPU trainer starts only with --profile gpu');
  const cpu = services['trainer-cpu'];
  assert.equal(cpu.environment.DATABASE_URL, services.api1.environment.DATABASE_URL);
  assert.equal(cpu.environment.CONCORD_SECRET, services.api1.environment.CONCORD_SECRET);
  assert.equal(cpu.restart, 'unless-stopped');
  assert.ok(cpu.healthcheck?.test, 'trainer-cpu has a healthcheck');
  assert.equal(cpu.deploy, undefined, 'no GPU reservation on the CPU trainer');
});

test('[DP3] nginx routes Socket.io sticky to both API nodes', () => {
  const conf = fs.readFileSync(NGINX_CONF, 'utf8');
  const sticky = /upstream concord_api_sticky \{([^}]*)\}/.exec(conf);
  assert.ok(sticky, 'sticky upstream exists');
  assert.match(sticky[1], /ip_hash;/);
  assert.match(sticky[1], /server api1:4000/);
  assert.match(sticky[1], /server api2:4000/);
  assert.match(conf, /location \/socket\.io\/ \{[^}]*proxy_pass http:\/\/concord_api_sticky;[^}]*Upgrade \$http_upgrade/);
});

test('[DP3] nginx sends API paths to the API nodes and overwrites X-Forwarded-For with its peer', () => {
  const conf = fs.readFileSync(NGINX_CONF, 'utf8');
  const api = /location ~ \^\/\(\(graphql\|upload\)\$\|\(images\|export\)\/\) \{([^}]*)\}/.exec(conf);
  assert.ok(api, 'a location for /graphql, /upload, /images/, /export/');
  assert.match(api[1], /proxy_pass http:\/\/concord_api;/);
  // Appending ($proxy_add_x_forwarded_for) would keep whatever address the client claimed.
  assert.doesNotMatch(conf, /\$proxy_add_x_forwarded_for/);
  const sets = conf.match(/proxy_set_header X-Forwarded-For [^;]+;/g) ?? [];
  assert.ok(sets.length >= 3 && sets.every((l) => l === 'proxy_set_header X-Forwarded-For $remote_addr;'), sets.join('\n'));
  // No keep-alive to the API: a POST on a connection a stopping node closed would fail (DP9).
  assert.doesNotMatch(/upstream concord_api \{([^}]*)\}/.exec(conf)![1], /keepalive/);
});

test('[DP3] nginx accepts the proxy config', () => {
  const nginx = required('nginx');
  // Service names do not resolve outside compose: point them at loopback, keep everything else.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-nginx-'));
  const site = fs.readFileSync(NGINX_CONF, 'utf8').replace(/\b(api1|api2|web):(\d+)/g, '127.0.0.1:$2');
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp { access_log off; include ${dir}/site.conf; }\n`,
  );
  const r = spawnSync(nginx, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

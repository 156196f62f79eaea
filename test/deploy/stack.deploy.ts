/**
 * `npm run test:deploy`: the compose stack, built and run for real on this machine (rules DP4–DP10
 * in deploy/SPEC.md). Not part of `npm test` (the file name does not end in .test.ts): it needs
 * root, dockerd and a few minutes.
 *
 * Users reach the stack through the nginx proxy only, as a browser would; the test reads the
 * database (psql in the postgres container) and each node's /metrics (inside its container)
 * only to check what users were told.
 */
import { after, before, test, type TestContext } from 'node:test';
import { inspect } from 'node:util';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Adjudicator, connectSocket, gql, Labeler, retryReasons, withRetry, type Ack } from './storm.js';
import { ensureDockerd, REPO, sh, Stack, until, writeEnv } from './docker.js';
import type { Socket } from 'socket.io-client';

const LABELERS = Number(process.env.CONCORD_DEPLOY_LABELERS ?? 40);
const PATIENTS = Number(process.env.CONCORD_DEPLOY_PATIENTS ?? 30);
const PROJECT = 'concord-deploy-test';
const SERVICES = ['postgres', 'api1', 'api2', 'proxy', 'web', 'trainer-cpu', 'orthanc'];
const PASSWORD = 'deploy-' + randomBytes(6).toString('hex');

let docker: Awaited<ReturnType<typeof ensureDockerd>> | undefined;
let stack: Stack;
let base = '';
let adminToken = '';
let projectId = '';
let labelers: Labeler[] = [];
let adjudicator: Adjudicator;
let leadSocket: Socket | undefined;
const leadEvents: any[] = [];
let failed = false;
let dumpLogs = false;
let stopWatchers = () => {};

const secs = (ms: number) => (ms / 1000).toFixed(1) + ' s';
const allAcks = (): Ack[] => labelers.flatMap((l) => l.acks);
const totalRetries = () => labelers.reduce((n, l) => n + l.retries, 0);
function report(step: string, figures: Record<string, string | number>): void {
  console.log(
    `# [${step}] ` +
      Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
  );
  if (retryReasons.size) console.log(`#   retried since the last step: ${[...retryReasons].map(([k, n]) => `${n}× ${k}`).join('; ')}`);
  retryReasons.clear();
}

/** Every acknowledged label is stored exactly once with its value; no slice has more reads than allowed. */
function verifyLabels(step: string): { acked: number; stored: number } {
  const acks = allAcks();
  const rows = stack.psql(
    `select client_request_id, count(*), min(value) from reads where project_id = '${projectId}' and client_request_id is not null group by 1`,
  );
  const stored = new Map(rows.map(([id, n, v]) => [id, { n: Number(n), value: Number(v) }]));
  const missing = acks.filter((a) => !stored.has(a.clientRequestId));
  const doubled = acks.filter((a) => (stored.get(a.clientRequestId)?.n ?? 1) !== 1);
  const wrong = acks.filter((a) => stored.has(a.clientRequestId) && stored.get(a.clientRequestId)!.value !== a.value);
  assert.equal(missing.length, 0, `${step}: ${missing.length} acknowledged labels are not stored`);
  assert.equal(doubled.length, 0, `${step}: ${doubled.length} acknowledged labels are stored more than once`);
  assert.equal(wrong.length, 0, `${step}: ${wrong.length} labels are stored with another value`);
  const over = stack.psql(
    `select s.id from slices s where s.project_id = '${projectId}' and (select count(*) from reads r where r.slice_id = s.id and not r.is_repeat) > s.reads_required`,
  );
  assert.equal(over.length, 0, `${step}: ${over.length} slices have more reads than allowed`);
  return { acked: acks.length, stored: rows.length };
}

/**
 * Polls a node's /ready every 50 ms from one process inside its container, recording each change.
 * A PostgreSQL restart turns it red for about half a second: a new `docker exec node` per probe
 * (as this watcher once was) took longer than that to start, could miss the window, and DP7 then
 * waited out its limit for a red that had come and gone.
 */
function watchReadiness(service: string): { transitions: { ready: boolean; at: number }[]; stop(): void } {
  const transitions: { ready: boolean; at: number }[] = [];
  const probe = `let last;
    const tick = async () => {
      let ok = false;
      try { ok = (await fetch('http://127.0.0.1:4000/ready', { signal: AbortSignal.timeout(3000) })).ok; } catch {}
      if (ok !== last) { last = ok; process.stdout.write(ok + ' ' + Date.now() + '\\n'); }
      setTimeout(tick, 50);
    };
    tick();
    process.stdin.on('end', () => process.exit(0)).resume();`;
  // Containers share the host's clock, so their Date.now() compares with the test's. The probe
  // ends with its stdin, which closes when stop() kills the docker client.
  const child = stack.execLive(service, ['node', '-e', probe]);
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [ready, at] = line.trim().split(' ');
      if (at) transitions.push({ ready: ready === 'true', at: Number(at) });
    }
  });
  return {
    transitions,
    stop: () => {
      child.kill();
    },
  };
}

before(
  async () => {
    docker = await ensureDockerd();
    const t0 = Date.now();
    execFileSync(path.join(REPO, 'deploy/local-images.sh'), [], { cwd: REPO, stdio: 'inherit', timeout: 60 * 60_000 });
    report('images', { build: secs(Date.now() - t0) });
    const env = await writeEnv({ CONCORD_BACKBONE: 'pixels', CONCORD_TRAINER_ORPHAN_AFTER_SECONDS: '20' });
    stack = new Stack(PROJECT, env);
    stack.compose(['down', '-v', '--remove-orphans'], { allowFail: true });
    const t1 = Date.now();
    stack.compose(['up', '-d', '--no-build'], { timeoutMs: 600_000 });
    await stack.waitHealthy(SERVICES, 300_000);
    report('up', { healthy: secs(Date.now() - t1) });
    base = `http://127.0.0.1:${env.httpPort}`;
  },
  { timeout: 70 * 60_000 },
);

after(
  async () => {
    stopWatchers();
    for (const l of labelers) {
      await l.stop();
      l.socket?.close();
    }
    await adjudicator?.stop();
    adjudicator?.socket?.close();
    leadSocket?.close();
    if (stack) {
      if (dumpLogs || process.env.CONCORD_DEPLOY_LOGS) console.log(stack.logs());
      if (!process.env.CONCORD_DEPLOY_KEEP) stack.compose(['down', '-v', '--remove-orphans'], { allowFail: true, timeoutMs: 300_000 });
    }
    await docker?.stop();
  },
  { timeout: 10 * 60_000 },
);

/**
 * The failure steps need the stack up and seeded (DP4, DP5): after those fail the rest fail at
 * once, naming why, not run into timeouts (a skipped step would prove nothing, FM3). A failed failure step does not stop the next one, which still
 * measures its own figures on the running stack.
 */
function guard(f: () => Promise<void>, prerequisite = false): (t: TestContext) => Promise<void> {
  return async (_t) => {
    if (failed) throw new Error('not run: the stack did not come up or was not seeded (see the first failure above)');
    try {
      await f();
    } catch (e) {
      if (prerequisite) failed = true;
      dumpLogs = true;
      // Errors that are not Error instances (DOMException from a fetch timeout) reach the
      // reporter as `{}`: pass on something it can print.
      throw e instanceof Error && !(e instanceof DOMException) ? e : new Error(inspect(e));
    }
  };
}

test(
  '[DP4] every service is healthy, with a restart policy and a healthcheck that apply',
  guard(async () => {
    for (const s of SERVICES) {
      const id = stack.containerId(s);
      const [policy, hasCheck] = sh('docker', ['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}|{{if .Config.Healthcheck}}yes{{end}}', id])
        .trim()
        .split('|');
      assert.equal(policy, 'unless-stopped', `${s} restart policy`);
      assert.equal(hasCheck, 'yes', `${s} healthcheck`);
      assert.equal(stack.inspect(s).health, 'healthy', `${s} health`);
    }
    const res = await fetch(`${base}/proxy-health`);
    assert.equal(res.status, 200);
    const page = await fetch(`${base}/`);
    assert.ok(page.status < 500, `web app through the proxy answers ${page.status}`);
  }, true),
);

test(
  '[DP5] through the proxy: log in, ingest phantom DICOM pushed to Orthanc over DICOMweb, users join',
  guard(async () => {
    stack.exec('api1', ['node', 'apps/api/dist/concord.mjs', 'user', 'add', '--username', 'admin', '--password', PASSWORD, '--roles', 'admin,lead']);
    adminToken = (await gql(base, 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}', { u: 'admin', p: PASSWORD })).login.token;
    projectId = (await gql(base, 'mutation{createProject(name:"deploy",readsPerSlice:2){id}}', {}, adminToken)).createProject.id;
    // No automatic rounds (DP8 starts the one it kills) and no repeat reads (each label once).
    await gql(base, 'mutation($p:ID!){updateProject(id:$p,settings:{retrainEvery:0,repeatRate:0}){id}}', { p: projectId }, adminToken);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-deploy-phantom-'));
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'apps/api/src/cli/concord.ts', 'phantom', '--patients', String(PATIENTS), '--out', dir, '--seed', '13'],
      { cwd: REPO, stdio: 'ignore' },
    );
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.dcm')) files.push(p);
      }
    };
    walk(dir);
    const auth = 'Basic ' + Buffer.from(`${stack.env.orthancUser}:${stack.env.orthancPassword}`).toString('base64');
    const t0 = Date.now();
    for (const f of files) {
      const r = await fetch(`http://127.0.0.1:${stack.env.orthancPort}/instances`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/dicom' },
        body: fs.readFileSync(f),
      });
      assert.ok(r.ok, `Orthanc took ${path.basename(f)}: ${r.status}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const pushed = Date.now();
    const url = `http://${stack.env.orthancUser}:${stack.env.orthancPassword}@orthanc:8042/dicom-web`;
    // The mutation answers when the pull is done (about 20 s for 1,500 files on a loaded machine).
    const batch = (await gql(base, 'mutation($p:ID!,$u:String!){ingestDicomweb(projectId:$p,url:$u){id}}', { p: projectId, u: url }, adminToken, 600_000))
      .ingestDicomweb;
    const done = await until(
      'the DICOMweb ingest to finish',
      async () => {
        const b = (await gql(base, 'query($id:ID!){ingestBatch(id:$id){status total accepted skipped rejected finishedAt}}', { id: batch.id }, adminToken))
          .ingestBatch;
        return b.finishedAt ? b : null;
      },
      300_000,
      1000,
    );
    report('ingest', {
      files: files.length,
      pushedToOrthanc: secs(pushed - t0),
      dicomwebIngest: secs(Date.now() - pushed),
      accepted: done.accepted,
      skipped: done.skipped,
      rejected: done.rejected,
      status: done.status,
    });
    // The phantom's other series (not axial T2) are skipped by design; nothing may be rejected.
    assert.equal(done.total, files.length, `every pushed file reached ingest (${JSON.stringify(done)})`);
    assert.equal(done.rejected, 0, JSON.stringify(done));
    assert.equal(done.accepted + done.skipped, files.length, JSON.stringify(done));
    assert.ok(done.accepted > files.length / 2, JSON.stringify(done));

    const names = Array.from({ length: LABELERS }, (_, i) => `reader${i + 1}`);
    for (const u of names) {
      await gql(
        base,
        'mutation($u:String!,$pw:String!,$p:ID!){createUser(username:$u,password:$pw,roles:[LABELER],projectIds:[$p]){id}}',
        { u, pw: PASSWORD, p: projectId },
        adminToken,
      );
    }
    await gql(
      base,
      'mutation($pw:String!,$p:ID!){createUser(username:"adjudicator",password:$pw,roles:[ADJUDICATOR],projectIds:[$p]){id}}',
      { pw: PASSWORD, p: projectId },
      adminToken,
    );
    const login = async (u: string) =>
      (await gql(base, 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}', { u, p: PASSWORD })).login.token as string;
    labelers = [];
    for (const u of names) labelers.push(new Labeler(base, u, await login(u), projectId, [4000, 8000]));
    adjudicator = new Adjudicator(base, await login('adjudicator'), projectId);
    for (const l of labelers) l.connect();
    adjudicator.connect();
    leadSocket = connectSocket(base, adminToken, projectId, (e) => leadEvents.push({ ...e, at: Date.now() }));
    await until('every socket connected', () => labelers.every((l) => l.socket.connected) && adjudicator.socket.connected && leadSocket!.connected, 60_000);
  }, true),
);

test(
  '[DP6] SIGKILL of an API node mid-storm: clients reconnect, nothing acknowledged is lost, events cross nodes',
  guard(async () => {
    for (const l of labelers) l.start();
    adjudicator.start();
    await until('labels flowing', () => allAcks().length >= LABELERS, 120_000);
    const tBase = Date.now();
    const acks0 = allAcks().length;
    // The baseline rate is measured over a number of labels, not a fixed time.
    await until('a baseline of five labels per labeler', () => allAcks().length - acks0 >= 5 * LABELERS, 120_000, 100);
    const baselineRate = (allAcks().length - acks0) / ((Date.now() - tBase) / 1000);

    // Kill the node holding the sockets (nginx hashes this machine's one address to one node).
    const sockets = { api1: stack.metric('api1', 'concord_sockets'), api2: stack.metric('api2', 'concord_sockets') };
    const victim = sockets.api1 >= sockets.api2 ? 'api1' : 'api2';
    const survivor = victim === 'api1' ? 'api2' : 'api1';
    const restarts = stack.inspect(victim).restarts;
    const disconnects0 = labelers.reduce((n, l) => n + l.disconnects, 0);
    const retries0 = totalRetries();
    const tKill = Date.now();
    stack.crash(victim);
    await until(
      'labelers to notice the lost node',
      () => labelers.some((l) => !l.socket.connected) || labelers.reduce((n, l) => n + l.disconnects, 0) > disconnects0,
      30_000,
      50,
    );
    await until('every labeler socket reconnected', () => labelers.every((l) => l.socket.connected), 60_000, 50);
    const reconnect = Date.now() - tKill;
    await until(`${victim} restarted by its restart policy`, () => stack.inspect(victim).restarts > restarts, 60_000);
    await stack.waitHealthy([victim], 120_000);
    const recovered = Date.now() - tKill;
    const v = verifyLabels('DP6 after the kill');

    // The sockets sit on one node or both: those that reconnected while the victim was down stay
    // on the survivor; those that found it listening again follow ip_hash back to it (the built
    // API listens about a second after its container restarts, before most clients retry).
    // GraphQL goes to both nodes either way, so about half the labels are stored by a node other
    // than the one holding their labeler's socket.
    const window0 = {
      at: Date.now(),
      stored: stack.metric(victim, 'concord_labels_total'),
      storedSurvivor: stack.metric(survivor, 'concord_labels_total'),
      queue: labelers.reduce((n, l) => n + l.queueSizeEvents, 0),
      adj: adjudicator.queueEvents,
    };
    // Only first answers: a resent label already stored sends no queue:size.
    const acksInWindow = () => allAcks().filter((a) => a.at >= window0.at && !a.duplicate).length;
    const storedOnVictim = () => stack.metric(victim, 'concord_labels_total') - window0.stored;
    const storedOnSurvivor = () => stack.metric(survivor, 'concord_labels_total') - window0.storedSurvivor;
    const queueEventsInWindow = () => labelers.reduce((n, l) => n + l.queueSizeEvents, 0) - window0.queue;
    // The window closes on what it measures: five labels per labeler, some stored by each node.
    await until(
      `both nodes to store labels again and five labels per labeler to be acknowledged`,
      () => storedOnVictim() > 0 && storedOnSurvivor() > 0 && acksInWindow() >= 5 * LABELERS,
      120_000,
    );
    const windowAcks = acksInWindow();
    const victimStored = storedOnVictim();
    const survivorStored = storedOnSurvivor();
    // A queue:size follows its acknowledgement over the socket: awaited, not assumed.
    const queueEvents = await until(
      'a queue:size event for every acknowledged label',
      () => queueEventsInWindow() >= windowAcks && queueEventsInWindow(),
      30_000,
      100,
    );
    const victimSockets = stack.metric(victim, 'concord_sockets');
    const survivorSockets = stack.metric(survivor, 'concord_sockets');
    report('DP6 api crash', {
      victim,
      socketsBefore: `${sockets.api1}/${sockets.api2}`,
      baselineLabelsPerSec: baselineRate.toFixed(1),
      reconnectAll: secs(reconnect),
      restartedHealthy: secs(recovered),
      retriedRequests: totalRetries() - retries0,
      acked: v.acked,
      stored: v.stored,
      windowAcks,
      storedOnRestartedNode: victimStored,
      storedOnSurvivor: survivorStored,
      socketsOnRestartedNode: victimSockets,
      socketsOnSurvivor: survivorSockets,
      queueSizeEvents: queueEvents,
      adjudicationEvents: adjudicator.queueEvents - window0.adj,
    });
    assert.ok(queueEvents >= windowAcks, `queue:size events (${queueEvents}) for every acknowledged label (${windowAcks}), whichever node stored it`);
    assert.ok(adjudicator.queueEvents > 0, 'the adjudicator received adjudication:queue events');
    // Every labeler's last queue:size shows all its acknowledged labels.
    await until('every labeler to hear its latest readsDone', () => labelers.every((l) => l.lastReadsDone >= l.acks.length), 30_000);
  }),
);

test(
  '[DP7] PostgreSQL restart: readiness goes red then green on both nodes without their restart; nothing acknowledged is lost',
  guard(async () => {
    const restarts = Object.fromEntries(['api1', 'api2', 'trainer-cpu'].map((s) => [s, stack.inspect(s).restarts]));
    const watches = { api1: watchReadiness('api1'), api2: watchReadiness('api2') };
    // A watcher left polling would keep the process alive after a failure.
    stopWatchers = () => {
      watches.api1.stop();
      watches.api2.stop();
    };
    await until('readiness watchers', () => watches.api1.transitions.length > 0 && watches.api2.transitions.length > 0, 30_000);
    const acks0 = allAcks().length;
    const retries0 = totalRetries();
    const t0 = Date.now();
    sh('docker', ['restart', stack.containerId('postgres')], { timeoutMs: 120_000 });
    const pgBack = Date.now() - t0;
    await until(
      'both nodes ready again',
      () =>
        (['api1', 'api2'] as const).every((s) => {
          const tr = watches[s].transitions;
          return tr.some((x) => !x.ready && x.at >= t0) && tr[tr.length - 1].ready;
        }),
      240_000,
      100,
    );
    const green = Date.now() - t0;
    const redFor = (['api1', 'api2'] as const).map((s) => {
      const tr = watches[s].transitions.filter((x) => x.at >= t0);
      const red = tr.find((x) => !x.ready)!;
      const back = tr.filter((x) => x.ready && x.at > red.at).pop()!;
      return secs(back.at - red.at);
    });
    watches.api1.stop();
    watches.api2.stop();
    await until('labels flowing again', () => allAcks().length > acks0 + 10, 120_000);
    const firstAfter = Date.now() - t0;
    const v = verifyLabels('DP7');
    for (const s of Object.keys(restarts)) assert.equal(stack.inspect(s).restarts, restarts[s], `${s} recovered without a restart`);
    report('DP7 postgres restart', {
      dockerRestart: secs(pgBack),
      bothReadyAgain: secs(green),
      redApi1: redFor[0],
      redApi2: redFor[1],
      labelsFlowingAgain: secs(firstAfter),
      retriedRequests: totalRetries() - retries0,
      acked: v.acked,
      stored: v.stored,
    });
  }),
);

test(
  '[DP8] the trainer killed mid-round: the restarted trainer retries the job and one version results',
  guard(async () => {
    const versions = async () =>
      (await gql(base, 'query($p:ID!){modelVersions(projectId:$p){id round}}', { p: projectId }, adminToken)).modelVersions as { id: string }[];
    const before0 = (await versions()).length;
    const finals = Number(stack.psql(`select count(*) from final_labels where project_id = '${projectId}'`)[0][0]);
    const job = (await withRetry(() => gql(base, 'mutation($p:ID!){triggerTraining(projectId:$p){id state}}', { p: projectId }, adminToken))).triggerTraining;
    const t0 = Date.now();
    const progress = await until(
      'the round to report progress',
      () => leadEvents.find((e) => e.type === 'training:progress' && e.jobId === job.id && e.at >= t0),
      180_000,
      50,
    );
    const restarts = stack.inspect('trainer-cpu').restarts;
    stack.crash('trainer-cpu');
    const tKill = Date.now();
    await until('the trainer restarted by its restart policy', () => stack.inspect('trainer-cpu').restarts > restarts, 60_000);
    await until('one new model version', async () => (await versions()).length > before0, 300_000, 2000);
    const done = Date.now() - tKill;
    const [state, retries] = stack.psql(`select state, retry_count from training_jobs where id = '${job.id}'`)[0] ?? [];
    // The killed run's process is gone (SIGKILL), and a run writes its version only while it still
    // holds the job (TR13 fence): once the retry has settled the job, the count below is final.
    await until('the job to settle', () => stack.psql(`select state from training_jobs where id = '${job.id}'`)[0]?.[0] === 'completed', 60_000, 1000);
    const after0 = (await versions()).length;
    const roundEvent = leadEvents.find((e) => e.type === 'training:round' && e.at >= tKill);
    report('DP8 trainer crash', {
      finalLabels: finals,
      killedAtStage: progress.stage,
      killedAfter: secs(tKill - t0),
      retriedAndDone: secs(done),
      jobState: state,
      jobRetries: retries,
      versions: `${before0}->${after0}`,
      roundEventToLead: String(!!roundEvent),
    });
    assert.equal(after0, before0 + 1, 'exactly one version from the killed and retried job');
    assert.ok(Number(retries) >= 1, `the job was retried (retry_count ${retries})`);
    assert.ok(roundEvent, 'the lead socket heard training:round');
    verifyLabels('DP8');
  }),
);

test(
  '[DP9] rolling restart of both API nodes (SIGTERM, drain): no request in flight is lost',
  guard(async () => {
    const retries0 = totalRetries();
    const acks0 = allAcks().length;
    const t0 = Date.now();
    const figures: Record<string, string> = {};
    for (const s of ['api1', 'api2']) {
      const ts = Date.now();
      sh('docker', ['stop', '-t', '30', stack.containerId(s)], { timeoutMs: 120_000 });
      figures[`${s}Stopped`] = secs(Date.now() - ts);
      sh('docker', ['start', stack.containerId(s)]);
      await stack.waitHealthy([s], 180_000);
      figures[`${s}BackHealthy`] = secs(Date.now() - ts);
      await until('labels flowing', () => allAcks().length > acks0, 60_000);
    }
    const v = verifyLabels('DP9');
    const failedRequests = totalRetries() - retries0;
    report('DP9 rolling restart', {
      ...figures,
      total: secs(Date.now() - t0),
      ackedDuring: allAcks().length - acks0,
      failedRequests,
      acked: v.acked,
      stored: v.stored,
    });
    assert.equal(failedRequests, 0, 'no GraphQL request failed while the nodes drained one at a time');
  }),
);

test(
  '[DP10] after the storm: every acknowledged label stored exactly once, no slice over its reads',
  guard(async () => {
    for (const l of labelers) await l.stop();
    await adjudicator.stop();
    const v = verifyLabels('DP10');
    const refused = labelers.reduce((n, l) => n + l.refused, 0);
    report('DP10 totals', { acked: v.acked, stored: v.stored, refusedWithReason: refused, retriedRequests: totalRetries(), adjudicated: adjudicator.decided });
    assert.ok(v.acked > 0);
  }),
);

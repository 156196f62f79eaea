import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from './helpers/db.js';
import { configureTrainingQueue, enqueueTraining, maybeEnqueueAfterLabels, startTrainingWorker } from '../services/trainer/src/jobs/queue.js';
import { finaliseLabels, seedProject } from '../services/trainer/src/testing/project-fixture.js';
import { createTrainerMetrics, instrumentRunner, serveTrainerMetrics } from '../services/trainer/src/jobs/metrics.js';
import { eventually } from './helpers/eventually.js';

const { sql } = await freshDatabase('trainer_queue');
// Short retry delay so the crash-and-retry test runs in seconds.
await configureTrainingQueue(sql, { retryDelaySeconds: 1, retryBackoff: false, retryLimit: 2 });

// Only for job durations the tests set up (a run that lasts, a window in which nothing may happen) [TW1].
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const JOB = { timeoutMs: 20_000, intervalMs: 100 };

test('[TR13] training jobs run one at a time per project; a second trigger returns the waiting job', async () => {
  const a = (await seedProject(sql, null, { patients: 1, slicesPerPatient: 1, files: false })).projectId;
  const b = (await seedProject(sql, null, { patients: 1, slicesPerPatient: 1, files: false })).projectId;
  const first = await enqueueTraining(sql, a);
  const again = await enqueueTraining(sql, a);
  assert.equal(again.jobId, first.jobId, 'a waiting job is reused, not duplicated');
  const other = await enqueueTraining(sql, b);
  assert.notEqual(other.jobId, first.jobId);

  const active = new Map<string, number>();
  let maxSameProject = 0;
  const runs: string[] = [];
  let requeued = false;
  const runner = async (projectId: string) => {
    const n = (active.get(projectId) ?? 0) + 1;
    active.set(projectId, n);
    maxSameProject = Math.max(maxSameProject, n);
    runs.push(projectId);
    if (projectId === a && !requeued) {
      requeued = true;
      // Triggered while A runs: queued behind it, not run beside it.
      await enqueueTraining(sql, a);
    }
    // Each run lasts a while, so a second run of the same project would overlap it.
    await sleep(400);
    active.set(projectId, n - 1);
  };
  // Two workers, as if two trainer processes were polling.
  const w1 = await startTrainingWorker(sql, runner, { pollingIntervalSeconds: 0.5 });
  const w2 = await startTrainingWorker(sql, runner, { pollingIntervalSeconds: 0.5 });
  await eventually(() => runs.filter((p) => p === a).length === 2 && runs.includes(b), { ...JOB, what: 'two runs of A and one of B' });
  await eventually(() => [...active.values()].every((n) => n === 0), { ...JOB, what: 'every run to end' });
  await w1.stop();
  await w2.stop();
  assert.equal(maxSameProject, 1);
  assert.equal(runs.filter((p) => p === a).length, 2);
});

test('[TR13] a job that crashes is retried', async () => {
  const p = (await seedProject(sql, null, { patients: 1, slicesPerPatient: 1, files: false })).projectId;
  let attempts = 0;
  const w = await startTrainingWorker(
    sql,
    async (projectId) => {
      if (projectId !== p) return;
      attempts += 1;
      if (attempts === 1) throw new Error('worker died');
    },
    { pollingIntervalSeconds: 0.5 },
  );
  const { jobId } = await enqueueTraining(sql, p);
  await eventually(() => attempts >= 2, { ...JOB, what: 'the retry after the crash' });
  await w.stop();
  const [job] = await sql<{ state: string; retryCount: number }[]>`select state, retry_count from training_jobs where id = ${jobId}`;
  assert.equal(job.retryCount, 1);
});

test('[OP2] the trainer serves job durations by outcome on its own /metrics, failures included', async () => {
  const p = (await seedProject(sql, null, { patients: 1, slicesPerPatient: 1, files: false })).projectId;
  const metrics = createTrainerMetrics();
  const server = await serveTrainerMetrics(metrics, 0, '127.0.0.1');
  let attempts = 0;
  // The failed attempt's own wall time, on the same monotonic clock prom-client uses: a 300 ms
  // setTimeout may fire a fraction of a millisecond early, so 0.3 s itself is not a bound.
  let failedWallSeconds = 0;
  const w = await startTrainingWorker(
    sql,
    instrumentRunner(metrics, async (projectId) => {
      if (projectId !== p) return;
      attempts += 1;
      const started = process.hrtime.bigint();
      // The job's duration is what the metric measures.
      await sleep(300);
      if (attempts === 1) {
        failedWallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        throw new Error('worker died');
      }
    }),
    { pollingIntervalSeconds: 0.5 },
  );
  try {
    await enqueueTraining(sql, p);
    await eventually(() => attempts >= 2, { ...JOB, what: 'the retry after the crash' });
    // The second attempt is observed when it returns, 300 ms after it started.
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      assert.equal(res.status, 200);
      return res.text();
    };
    const text = await eventually(
      async () => {
        const t = await scrape();
        return /duration_seconds_count\{outcome="success"\} [1-9]/.test(t) && t;
      },
      { timeoutMs: 5000, intervalMs: 100, what: 'a successful job duration on /metrics' },
    );
    const count = (outcome: string) => Number(text.match(new RegExp(`concord_training_job_duration_seconds_count\\{outcome="${outcome}"\\} (\\d+)`))?.[1] ?? 0);
    assert.equal(count('failure'), 1, 'the crashed attempt is observed');
    assert.ok(count('success') >= 1, 'the retried attempt is observed');
    const sum = Number(text.match(/concord_training_job_duration_seconds_sum\{outcome="failure"\} ([\d.e-]+)/)?.[1]);
    assert.ok(failedWallSeconds > 0.25);
    assert.ok(
      sum >= failedWallSeconds && sum < failedWallSeconds + 1,
      `the failed job's duration is its wall time (${sum} s observed, ${failedWallSeconds} s inside the job)`,
    );
    assert.match(text, /concord_training_jobs_running 0/);
    assert.ok(!text.includes(p), 'no project id in metric labels');
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/health`)).status, 200);
  } finally {
    await w.stop();
    await server.close();
  }
});

test('[TR13] the orphan reaper leaves a job whose trainer is alive (beating) alone, however long it runs', async () => {
  const p = (await seedProject(sql, null, { patients: 1, slicesPerPatient: 1, files: false })).projectId;
  let runs = 0;
  // Reaping after 2 s of silence, checked every second: a 5 s job beating every 0.5 s is seen active and past the grace 3 times.
  const w = await startTrainingWorker(
    sql,
    async (projectId) => {
      if (projectId !== p) return;
      runs += 1;
      // The long run is what the reaper must leave alone.
      await sleep(5000);
    },
    { pollingIntervalSeconds: 0.5, orphanAfterSeconds: 2 },
  );
  try {
    const { jobId } = await enqueueTraining(sql, p);
    const state = async () => (await sql<{ state: string; retryCount: number }[]>`select state, retry_count from training_jobs where id = ${jobId}`)[0];
    await eventually(() => runs === 1, { ...JOB, what: 'the run to start' });
    await eventually(async () => (await state()).state === 'completed', { ...JOB, what: 'the long job to complete' });
    assert.deepEqual(await state(), { state: 'completed', retryCount: 0 });
    assert.equal(runs, 1);
  } finally {
    await w.stop();
  }
});

test('[TR13] a run whose heartbeat stalled is reaped and retried; its late end settles nothing, the retry owns the job', async () => {
  const p = (await seedProject(sql, null, { patients: 1, slicesPerPatient: 1, files: false })).projectId;
  const gate = { a: null as null | (() => void), b: null as null | (() => void) };
  const runs: string[] = [];
  const runner = (name: 'a' | 'b') => async (projectId: string) => {
    if (projectId !== p) return;
    runs.push(name);
    await new Promise<void>((r) => {
      gate[name] = r;
    });
    return { by: name };
  };
  // A beats every 15 s (its grace is an hour); B reaps after 1 s of silence.
  const a = await startTrainingWorker(sql, runner('a'), { pollingIntervalSeconds: 0.5, orphanAfterSeconds: 3600 });
  const { jobId } = await enqueueTraining(sql, p);
  const state = async () =>
    (
      await sql<{ state: string; retryCount: number; output: { result?: { by: string } } | null }[]>`
    select state, retry_count, output from training_jobs where id = ${jobId}`
    )[0];
  await eventually(() => gate.a !== null, { ...JOB, what: "A's run to start" });
  const [beat] = await sql<{ beatAt: Date | null }[]>`select beat_at from training_jobs where id = ${jobId} and state = 'active'`;
  assert.ok(beat?.beatAt, 'the running job beats');
  // A stalls (a blocked event loop, a partition): its last beat and start lie in the past.
  await sql`update training_jobs set beat_at = now() - interval '1 hour', started_on = started_on - interval '1 hour' where id = ${jobId}`;
  const b = await startTrainingWorker(sql, runner('b'), { pollingIntervalSeconds: 0.5, orphanAfterSeconds: 1 });
  try {
    await eventually(() => gate.b !== null, { ...JOB, what: 'B to be handed the reaped job' });
    assert.deepEqual(runs, ['a', 'b'], 'B was handed the reaped job');
    gate.a!();
    // Nothing observable marks A's late end being refused, so the test gives it a window in
    // which it would have settled the job; the window is the thing under test.
    await sleep(1500);
    assert.equal((await state()).state, 'active', "A's end did not settle B's run");
    gate.b!();
    const done = await eventually(
      async () => {
        const st = await state();
        return st.state === 'completed' && st;
      },
      { ...JOB, what: "B's run to complete the job" },
    );
    assert.equal(done.state, 'completed');
    assert.equal(done.retryCount, 1);
    assert.deepEqual(done.output?.result, { by: 'b' }, "the job's output is the retry's");
  } finally {
    gate.a?.();
    gate.b?.();
    await a.stop();
    await b.stop();
  }
});

test('[TR13] a failed run whose project already has a round waiting is not retried: the waiting round does the work', async () => {
  const p = (await seedProject(sql, null, { patients: 1, slicesPerPatient: 1, files: false })).projectId;
  const runs: string[] = [];
  const w = await startTrainingWorker(
    sql,
    async (projectId, jobId) => {
      if (projectId !== p) return;
      runs.push(jobId);
      // Triggered while the first run is under way: waits behind it.
      if (runs.length === 1) {
        await enqueueTraining(sql, p);
        throw new Error('worker died');
      }
    },
    { pollingIntervalSeconds: 0.5 },
  );
  try {
    const { jobId } = await enqueueTraining(sql, p);
    await eventually(() => runs.length >= 2, { ...JOB, what: 'the waiting round to run' });
    const jobs = await sql<{ id: string; state: string; retryCount: number }[]>`
      select id, state, retry_count from training_jobs where project_id = ${p} order by created_on`;
    assert.equal(jobs.length, 2, 'no third job');
    assert.deepEqual(jobs[0], { id: jobId, state: 'failed', retryCount: 0 }, 'the failed run is not queued again beside the waiting one');
    await eventually(async () => (await sql`select 1 from training_jobs where id = ${jobs[1].id} and state = 'completed'`).length === 1, {
      ...JOB,
      what: 'the waiting round to complete',
    });
    assert.equal(runs[1], jobs[1].id);
  } finally {
    await w.stop();
  }
});

test('[TR13] triggering an unknown project is refused', async () => {
  await assert.rejects(enqueueTraining(sql, '00000000-0000-0000-0000-000000000000'), (e: Error & { code?: string }) => e.code === 'PROJECT_NOT_FOUND');
});

test('[TR16] a round is queued after retrain_every new final labels', async () => {
  const { projectId, slices } = await seedProject(sql, null, { patients: 2, slicesPerPatient: 3, files: false });
  await sql`update projects set retrain_every = 3 where id = ${projectId}`;
  await finaliseLabels(
    sql,
    projectId,
    slices.slice(0, 2).map((s) => ({ sliceId: s.id, value: 0 as const })),
  );
  assert.equal(await maybeEnqueueAfterLabels(sql, projectId), null);
  await finaliseLabels(
    sql,
    projectId,
    slices.slice(2, 3).map((s) => ({ sliceId: s.id, value: 1 as const })),
  );
  const queued = await maybeEnqueueAfterLabels(sql, projectId);
  assert.ok(queued?.jobId);
  await sql`update projects set retrain_every = 0 where id = ${projectId}`;
  assert.equal(await maybeEnqueueAfterLabels(sql, projectId), null, 'retrain_every = 0 turns automatic rounds off');
});

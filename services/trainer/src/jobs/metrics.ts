import http from 'node:http';
import client from 'prom-client';
import { isSkippable, type RoundRunner } from './queue.js';

/**
 * The trainer's own Prometheus metrics. The trainer is a separate process, so it serves them
 * itself: counting rounds in the API from NOTIFY events would count each round once per API node.
 * Labels are outcomes only; project ids never become label values.
 */
export function createTrainerMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'concord_trainer_' });
  const jobDuration = new client.Histogram({
    name: 'concord_training_job_duration_seconds',
    help: 'Wall time of one training job (embed, train, evaluate, score, select, write), by outcome: success, skipped (needs the user, e.g. labels of one class only), failure (retried)',
    labelNames: ['outcome'],
    // Rounds run from seconds (cached embeddings, small projects) to hours (first ResNet50 embedding).
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
    registers: [registry],
  });
  const running = new client.Gauge({ name: 'concord_training_jobs_running', help: 'Training jobs running in this process', registers: [registry] });
  return { registry, jobDuration, running };
}

export type TrainerMetrics = ReturnType<typeof createTrainerMetrics>;

/** Wraps a job runner so every job's duration is observed, failures included (then rethrown for retry). */
export function instrumentRunner(metrics: TrainerMetrics, run: RoundRunner): RoundRunner {
  return async (projectId, jobId, lease) => {
    const end = metrics.jobDuration.startTimer();
    metrics.running.inc();
    try {
      const result = await run(projectId, jobId, lease);
      end({ outcome: 'success' });
      return result;
    } catch (e) {
      // The queue completes these as skipped without retry; they are not failures to alert on.
      end({ outcome: isSkippable(e) ? 'skipped' : 'failure' });
      throw e;
    } finally {
      metrics.running.dec();
    }
  };
}

/** GET /metrics (Prometheus text) and GET /health on the given port; resolves once listening. */
export async function serveTrainerMetrics(metrics: TrainerMetrics, port: number, host = '0.0.0.0'): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      metrics.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(body);
        },
        (e: Error) => {
          res.writeHead(500);
          res.end(e.message);
        },
      );
      return;
    }
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The last line of defence [PS1]: an error nobody caught is logged and counted instead of
 * ending the process silently. Every known source is fixed at its root (socket guard, multipart
 * listeners, the REST error handler); this net is for the next one. The process keeps serving:
 * its state lives in PostgreSQL, and what it holds in memory (session cache, rooms) is rebuilt
 * from there, so ending every user's connections for one bad request would do more harm.
 */
import client from 'prom-client';
import type { Logger } from 'pino';

const errors = new client.Counter({
  name: 'concord_process_errors_total',
  help: 'Errors that reached the process (uncaught exceptions, unhandled rejections); each is logged',
  labelNames: ['kind'],
  registers: [],
});

let installed = false;

/** Once per process, by the commands that run an API (`concord serve`); never in tests' own process. */
export function installSafetyNet(logger: Logger): void {
  if (installed) return;
  installed = true;
  errors.inc({ kind: 'uncaught_exception' }, 0);
  errors.inc({ kind: 'unhandled_rejection' }, 0);
  process.on('unhandledRejection', (reason) => {
    errors.inc({ kind: 'unhandled_rejection' });
    logger.error({ err: reason }, 'unhandled promise rejection (kept running)');
  });
  process.on('uncaughtException', (err) => {
    errors.inc({ kind: 'uncaught_exception' });
    logger.fatal({ err }, 'uncaught exception (kept running)');
  });
}

/** Adds the counter to an app's registry, so /metrics shows it. */
export function registerSafetyNetMetrics(registry: client.Registry): void {
  if (!registry.getSingleMetric('concord_process_errors_total')) registry.registerMetric(errors);
}

/**
 * A process with the safety net installed that then fails in both ways nobody catches; it must
 * log, count, keep running, and print its metrics ([PS1], test/supervisor.test.ts).
 */
import client from 'prom-client';
import { createLogger } from '../../apps/api/src/logging/logger.js';
import { installSafetyNet, registerSafetyNetMetrics } from '../../apps/api/src/server/safety-net.js';

const registry = new client.Registry();
registerSafetyNetMetrics(registry);
installSafetyNet(createLogger('error'));
void Promise.reject(new Error('nobody awaited this'));
setTimeout(() => {
  throw new Error('nobody caught this');
}, 10);
setTimeout(async () => {
  process.stdout.write(await registry.metrics());
  process.exit(0);
}, 200);

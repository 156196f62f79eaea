/**
 * The trainer process: takes training jobs from the queue and runs active-learning rounds.
 * DATABASE_URL points at the API's database; without it the trainer joins the embedded
 * PostgreSQL of the data directory (or starts it when no Concord process runs it).
 */
import { loadStorageConfig } from '@concord/config';
import { createSql, migrate, resolveDatabase, fileStoreFor } from '@concord/db';
import { defaultEmbedWorkers, nativeDiagnostics, selectBackend, tfBackendFromEnv } from './backend.js';
import { fineTuneEnabled, fineTuneStartupProblem } from './model/finetune.js';
import { embedEngineFromEnv } from './data/embeddings.js';
import { fullRetrainEvery } from './model/warm-start.js';
import { backboneOptionsFromEnv, PIXELS_KIND } from './model/backbone.js';
import { startTrainerWorker } from './jobs/worker.js';
import { createTrainerMetrics, serveTrainerMetrics } from './jobs/metrics.js';

async function main() {
  const config = loadStorageConfig();
  // Configuration first: a bad value stops the trainer before it touches the database (TR22, TR23).
  const backbone = backboneOptionsFromEnv();
  const tfBackend = tfBackendFromEnv();
  fineTuneEnabled();
  embedEngineFromEnv();
  fullRetrainEvery();
  // Joins the API's embedded PostgreSQL when one runs on this data dir, else starts it.
  const db = await resolveDatabase(config);
  const url = db.url;
  const sql = createSql(url, { appName: 'concord-trainer', max: 6 });
  await migrate(sql);
  const backend = await selectBackend(tfBackend);
  for (const d of nativeDiagnostics) console.warn(`[trainer] WARNING: ${d}`);
  const fineTuneProblem = fineTuneStartupProblem(backend);
  if (fineTuneProblem) throw new Error(fineTuneProblem);
  const embedWorkers = defaultEmbedWorkers(backend);
  console.log(
    `[trainer] backend ${backend.name} (${backend.source}, engine ${backend.engine}${backend.gpu ? ', GPU device in use' : ''}); backbone ${backbone.kind}${backbone.kind === PIXELS_KIND ? ' (pooled pixels, no network)' : backbone.weights ? '' : ' with RANDOM weights'}; ${embedWorkers} embedding workers`,
  );
  // Embedding runs in worker threads, whose own warning is not the operator's log: say it here, loudly.
  if (backbone.kind !== PIXELS_KIND && !backbone.weights) {
    console.warn(
      `[trainer] WARNING: no pretrained weights configured (CONCORD_BACKBONE_WEIGHTS). The ${backbone.kind} backbone has RANDOM weights: its features, models and uncertainty scores are weak, and every model version is recorded as ${backbone.kind}-random. See services/trainer/CONTEXT.md for converting Keras ImageNet weights.`,
    );
  }
  const metrics = createTrainerMetrics();
  const metricsPort = process.env.CONCORD_TRAINER_METRICS_PORT;
  if (metricsPort && (!/^\d{1,5}$/.test(metricsPort) || Number(metricsPort) > 65535)) {
    throw new Error(`CONCORD_TRAINER_METRICS_PORT must be a port number 0–65535 or unset (got "${metricsPort}")`);
  }
  const metricsServer = metricsPort ? await serveTrainerMetrics(metrics, Number(metricsPort)) : null;
  if (metricsServer) console.log(`[trainer] metrics on :${metricsServer.port}/metrics`);
  const orphanAfter = process.env.CONCORD_TRAINER_ORPHAN_AFTER_SECONDS;
  if (orphanAfter !== undefined && !(/^\d+(\.\d+)?$/.test(orphanAfter) && Number(orphanAfter) >= 1)) {
    throw new Error(`CONCORD_TRAINER_ORPHAN_AFTER_SECONDS must be a number of seconds ≥ 1 or unset (got "${orphanAfter}")`);
  }
  const worker = await startTrainerWorker(sql, {
    store: fileStoreFor(config.dataDir),
    backbone,
    embedWorkers,
    backend: backend.name,
    metrics,
    orphanAfterSeconds: orphanAfter === undefined ? undefined : Number(orphanAfter),
  });
  const shutdown = async () => {
    console.log('[trainer] stopping');
    await worker.stop();
    await metricsServer?.close();
    await sql.end({ timeout: 5 });
    await db.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((e) => {
  console.error(`[trainer] ${(e as Error).message}`);
  process.exit(1);
});

/** One ingest decoding thread: prepareOutcome for each file it is sent (see prepare-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { loadCodecs } from './codecs.js';
import type { IngestLimits } from './limits.js';
import { prepareOutcome } from './prepare-file.js';
import type { SeriesRules } from './series-rules.js';

export interface PrepareRequest {
  id: number;
  bytes: Uint8Array;
  secret: string;
  rules: SeriesRules;
  limits: IngestLimits;
}

await loadCodecs();
parentPort!.on('message', (m: PrepareRequest) => {
  const result = prepareOutcome(m.bytes, m.secret, m.rules, m.limits);
  // The stored slices move to the parent instead of being copied.
  const transfer = result.ok ? result.slices.map((s) => s.stored.buffer as ArrayBuffer) : [];
  parentPort!.postMessage({ id: m.id, result }, transfer);
});

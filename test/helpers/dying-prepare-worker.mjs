// A prepare worker that dies (as a codec abort or an out-of-memory would) on a one-byte file and
// otherwise does the real work, to test that the pool contains the damage.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { loadCodecs } = await import('../../apps/api/src/ingest/codecs.ts');
const { prepareOutcome } = await import('../../apps/api/src/ingest/prepare-file.ts');
await loadCodecs();
parentPort.on('message', (m) => {
  if (m.bytes.length === 1) process.exit(3);
  parentPort.postMessage({ id: m.id, result: prepareOutcome(m.bytes, m.secret, m.rules, m.limits) });
});

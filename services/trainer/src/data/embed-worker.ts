import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend.js';
import { loadBackbone, type BackboneOptions } from '../model/backbone.js';
import { embedBatch, type EmbedItem } from './embed-batch.js';

/** One tfjs instance per worker thread: the wasm backend in Node is single-threaded. */
const { backbone: opts, backend } = workerData as { backbone: BackboneOptions; backend: 'auto' | 'wasm' | 'cpu' };
const ready = (async () => {
  await selectBackend(backend);
  return loadBackbone(opts, () => {});
})();
// A failed load is reported with the first batch (below). Left unhandled until then, Node would
// end the worker for the rejection and the parent would get the message without its code.
ready.catch(() => {});

parentPort!.on('message', async (msg: { id: number; items: EmbedItem[] }) => {
  try {
    const bb = await ready;
    const vectors = embedBatch(bb, msg.items);
    parentPort!.postMessage(
      { id: msg.id, vectors },
      vectors.map((v) => v.buffer as ArrayBuffer),
    );
  } catch (e) {
    // Errors do not cross threads as ConcordErrors: send the code so the parent can rebuild one
    // (a BAD_INPUT such as unusable weights must reach the user, not be retried by the queue).
    const code = (e as { code?: unknown } | null)?.code;
    parentPort!.postMessage({ id: msg.id, error: (e as Error | null)?.message ?? String(e), code: typeof code === 'string' ? code : undefined });
  }
});

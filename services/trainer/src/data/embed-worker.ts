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

parentPort!.on('message', async (msg: { id: number; items: EmbedItem[] }) => {
  try {
    const bb = await ready;
    const vectors = embedBatch(bb, msg.items);
    parentPort!.postMessage({ id: msg.id, vectors }, vectors.map((v) => v.buffer as ArrayBuffer));
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).message });
  }
});

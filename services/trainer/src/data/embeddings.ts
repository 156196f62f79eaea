import { Worker } from 'node:worker_threads';
import type { Sql, FileStore } from '@concord/db';
import { selectBackend, type BackendPreference } from '../backend.js';
import { loadBackbone, type Backbone, type BackboneOptions } from '../model/backbone.js';
import { BACKBONES } from '../model/resnet50.js';
import { handlerFor } from '../model/weights.js';
import { createHash } from 'node:crypto';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { bytesToVector, embedBatch, vectorToBytes, type EmbedItem } from './embed-batch.js';
import { loadOnnxRuntime, ONNX_ENGINE, onnxEmbedder } from './onnx-embedder.js';
import { PIXELS_KIND } from '../model/backbone.js';

/** What computes frozen-backbone embeddings: `auto` prefers onnxruntime on a CPU (RS3). */
export type EmbedEngine = 'auto' | 'onnxruntime' | 'tfjs';

export function embedEngineFromEnv(env: NodeJS.ProcessEnv = process.env): EmbedEngine {
  const v = env.CONCORD_EMBED_ENGINE;
  if (v === undefined || v === '') return 'auto';
  if (v === 'auto' || v === 'onnxruntime' || v === 'tfjs') return v;
  throw new Error(`CONCORD_EMBED_ENGINE must be auto, onnxruntime or tfjs (or unset); got "${v}"`);
}

export interface EmbedOptions {
  projectId: string;
  store: FileStore;
  backbone: BackboneOptions;
  /** 0 = in this thread; n = n worker threads, each with its own tfjs instance. */
  workers?: number;
  batchSize?: number;
  backend?: BackendPreference;
  /** Default CONCORD_EMBED_ENGINE, else auto. */
  engine?: EmbedEngine;
  onProgress?: (done: number, total: number) => void;
}

export interface EmbedResult {
  backboneId: string;
  /** The engine the vectors were computed by, half of their cache key (RS4). */
  engine: string;
  /** sha256 of the backbone's weight bytes; null without configured weights. */
  weightsHash: string | null;
  computed: number;
  /** Slices whose vector was already cached. */
  cached: number;
}

/**
 * The cache key of a backbone without building it: the id depends only on the kind and
 * the weights' hash, so the main thread can find missing rows before workers start.
 */
export async function backboneId(opts: BackboneOptions): Promise<{ id: string; hash: string | null }> {
  // The pixel backbone has no weights: its features are fixed, so it is versioned by name.
  if ((opts.kind as string) === 'pixels') return { id: 'pixels16@v1', hash: null };
  const spec = BACKBONES[opts.kind];
  if (!opts.weights) return { id: `${spec.kind}-random`, hash: null };
  const art = await handlerFor(opts.weights).load!();
  const data = art.weightData;
  const h = createHash('sha256');
  for (const b of Array.isArray(data) ? data : data ? [data] : []) h.update(new Uint8Array(b));
  const hash = h.digest('hex');
  const family = spec.kind === 'resnet50' ? 'resnet50-imagenet' : spec.kind;
  return { id: `${family}@${hash.slice(0, 12)}`, hash };
}

interface Pending {
  id: string;
  fileKey: string;
  windowCenter: number | null;
  windowWidth: number | null;
}

export type Embedder = { run(items: EmbedItem[]): Promise<Float32Array[]>; close(): Promise<void> };

export function inThread(bb: Backbone): Embedder {
  return { run: async (items) => embedBatch(bb, items), close: async () => {} };
}

const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * Rebuilds an error a worker thread reported: a ConcordError when it carried one of our codes,
 * so the job queue can tell a user's mistake (BAD_INPUT, not retried) from a crash; else an Error.
 */
export function errorFromWorker(message: string, code?: unknown): Error {
  return typeof code === 'string' && ERROR_CODES.has(code) ? new ConcordError(code as ErrorCode, message) : new Error(message);
}

export function inWorker(opts: BackboneOptions, backend: BackendPreference): Embedder {
  const worker = new Worker(new URL('./embed-worker-boot.mjs', import.meta.url), { workerData: { backbone: opts, backend } });
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: { id: number; vectors?: Float32Array[]; error?: string; code?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined || !m.vectors) w?.reject(errorFromWorker(m.error ?? 'embedding worker returned nothing', m.code));
    else w?.resolve(m.vectors);
  });
  // An error thrown outside a batch arrives cloned, as a plain Error that may still carry `code`.
  worker.on('error', (e: Error) => {
    const coded = errorFromWorker(e.message, (e as { code?: unknown }).code);
    const err = coded instanceof ConcordError ? coded : e;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  return {
    run: (items) =>
      new Promise((resolve, reject) => {
        const id = ++seq;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, items });
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Computes missing embeddings for a project's slices (TR3). Resumable: rows already in
 * `embeddings` for this backbone are skipped, and each batch is committed as it finishes,
 * so a crash loses at most the batches in flight.
 */
export async function computeEmbeddings(sql: Sql, opts: EmbedOptions): Promise<EmbedResult> {
  const { id: bbId, hash: weightsHash } = await backboneId(opts.backbone);
  const backend = opts.backend ?? 'auto';
  const info = await selectBackend(backend);
  // onnxruntime's CPU engine embeds 4× faster than tfjs-wasm on the same weights (bench/embeddings,
  // cosine 1.000000): it is used for networks on a CPU; a GPU keeps TensorFlow, and the pixels
  // stand-in is not a network. Workers select the same preference in their own tfjs instance.
  const wanted = opts.engine ?? embedEngineFromEnv();
  const network = (opts.backbone.kind as string) !== PIXELS_KIND;
  const useOnnx = network && (wanted === 'onnxruntime' || (wanted === 'auto' && !info.gpu && (await loadOnnxRuntime()) !== null));
  if (wanted === 'onnxruntime' && !network)
    throw new ConcordError(ErrorCode.BAD_INPUT, 'CONCORD_EMBED_ENGINE=onnxruntime needs a network backbone; the pixels stand-in has no graph to run');
  const engine = useOnnx ? ONNX_ENGINE : info.engine;
  const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total from slices where project_id = ${opts.projectId}`;
  const pending = await sql<Pending[]>`
    select s.id, s.file_key, s.window_center, s.window_width from slices s
    where s.project_id = ${opts.projectId}
      and not exists (select 1 from embeddings e where e.backbone = ${bbId} and e.engine = ${engine} and e.slice_id = s.id)
    order by s.series_id, s.position`;
  const cached = total - pending.length;
  if (!pending.length) return { backboneId: bbId, engine, weightsHash, computed: 0, cached };
  const batchSize = opts.batchSize ?? 8;
  const nWorkers = opts.workers ?? 0;
  const embedders: Embedder[] = [];
  if (useOnnx) {
    embedders.push(await sharedOnnxEmbedder(bbId, opts.backbone));
  } else if (nWorkers === 0) {
    embedders.push(inThread(await loadBackbone(opts.backbone)));
  } else {
    for (let i = 0; i < nWorkers; i++) embedders.push(inWorker(opts.backbone, backend));
  }
  const batches: Pending[][] = [];
  for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
  let done = 0;
  let next = 0;
  opts.onProgress?.(cached, total);
  const runLane = async (emb: Embedder) => {
    while (next < batches.length) {
      const batch = batches[next++];
      const items: EmbedItem[] = await Promise.all(
        batch.map(async (p) => ({
          sliceId: p.id,
          bytes: new Uint8Array(await opts.store.get(p.fileKey)),
          windowCenter: p.windowCenter,
          windowWidth: p.windowWidth,
        })),
      );
      const vectors = await emb.run(items);
      const rows = batch.map((p, i) => ({ sliceId: p.id, backbone: bbId, engine, vector: vectorToBytes(vectors[i]) }));
      await sql`insert into embeddings ${sql(rows, 'sliceId', 'backbone', 'engine', 'vector')} on conflict do nothing`;
      done += batch.length;
      opts.onProgress?.(cached + done, total);
    }
  };
  try {
    await Promise.all(embedders.map(runLane));
  } finally {
    await Promise.all(embedders.map((e) => e.close()));
  }
  return { backboneId: bbId, engine, weightsHash, computed: done, cached };
}

/**
 * One onnxruntime session per backbone id for the life of the process: building the backbone and
 * exporting its graph cost ~5 s for ResNet50, which every round used to pay again. The id
 * carries the weights' hash, so other weights get another session. Its close() keeps it open.
 */
const onnxSessions = new Map<string, Promise<Embedder>>();

function sharedOnnxEmbedder(bbId: string, backbone: BackboneOptions): Promise<Embedder> {
  let session = onnxSessions.get(bbId);
  if (!session) {
    session = (async () => {
      // One session uses every core; the backbone's tfjs copy is only the source of its weights.
      const bb = await loadBackbone(backbone);
      try {
        const embedder = await onnxEmbedder(bb);
        return { run: embedder.run, close: async () => {} };
      } finally {
        bb.model.dispose();
      }
    })();
    onnxSessions.set(bbId, session);
    session.catch(() => onnxSessions.delete(bbId));
  }
  return session;
}

/** All cached vectors of a project for one backbone, computed by one engine (never a mix). */
export async function loadEmbeddings(sql: Sql, projectId: string, bbId: string, engine: string): Promise<Map<string, Float32Array>> {
  const rows = await sql<{ sliceId: string; vector: Buffer }[]>`
    select e.slice_id, e.vector from embeddings e join slices s on s.id = e.slice_id
    where s.project_id = ${projectId} and e.backbone = ${bbId} and e.engine = ${engine}`;
  return new Map(rows.map((r) => [r.sliceId, bytesToVector(r.vector)]));
}

/**
 * Where phase 1 of ingest runs. Decoding is CPU-bound and synchronous (WebAssembly codecs), so a
 * large batch decodes on worker threads, one per core by default (CONCORD_INGEST_WORKERS), and the
 * API's event loop stays free for sockets and requests meanwhile. One pool per process, created
 * on first use; idle workers do not keep the process alive. A worker that dies (a codec abort, an
 * out-of-memory) fails only the files it held, with DECODE_ERROR, and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { IngestLimits } from './limits.js';
import { prepareOutcome, type PrepareResult } from './prepare-file.js';
import type { PrepareRequest } from './prepare-worker.js';
import type { SeriesRules } from './series-rules.js';

export interface PrepareJob {
  bytes: Uint8Array;
  secret: string;
  rules: SeriesRules;
  limits: IngestLimits;
}

export interface Preparer {
  /** Never rejects: every failure is the file's verdict. */
  prepare(job: PrepareJob): Promise<PrepareResult>;
  /** Files worth keeping in flight at once. */
  readonly concurrency: number;
}

export const inThreadPreparer: Preparer = {
  prepare: async (job) => prepareOutcome(job.bytes, job.secret, job.rules, job.limits),
  concurrency: 1,
};

const WORKER_DIED: PrepareResult = {
  ok: false,
  verdict: {
    status: 'REJECTED',
    reason: 'DECODE_ERROR',
    detail: 'Decoding this file stopped its decoding thread (codec failure or out of memory); the rest of the batch went on.',
  },
};

interface Lane {
  worker: Worker;
  waiting: Map<number, (r: PrepareResult) => void>;
}

// From the sources the worker registers tsx first (worker threads do not inherit it); in the
// build (apps/api/build.ts) it is a bundle of its own beside this one.
const WORKER_SCRIPT = import.meta.url.endsWith('.ts')
  ? new URL('./prepare-worker-boot.mjs', import.meta.url)
  : new URL('./prepare-worker.mjs', import.meta.url);

export class WorkerPool implements Preparer {
  private lanes: Lane[] = [];
  private seq = 0;

  /** `script` is for tests that need a worker which misbehaves; ingest uses the real one. */
  constructor(
    readonly concurrency: number,
    private readonly script: URL = WORKER_SCRIPT,
  ) {}

  private spawn(): Lane {
    const worker = new Worker(this.script);
    const lane: Lane = { worker, waiting: new Map() };
    worker.on('message', (m: { id: number; result: PrepareResult }) => {
      lane.waiting.get(m.id)?.(m.result);
      lane.waiting.delete(m.id);
      if (lane.waiting.size === 0) worker.unref();
    });
    const fail = () => {
      this.lanes = this.lanes.filter((l) => l !== lane);
      for (const done of lane.waiting.values()) done(WORKER_DIED);
      lane.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    worker.unref();
    return lane;
  }

  /** Live worker threads (tests). */
  get size(): number {
    return this.lanes.length;
  }

  async close(): Promise<void> {
    const lanes = this.lanes;
    this.lanes = [];
    await Promise.all(lanes.map((l) => l.worker.terminate()));
  }

  private lane(): Lane {
    if (this.lanes.length < this.concurrency) {
      const lane = this.spawn();
      this.lanes.push(lane);
      return lane;
    }
    return this.lanes.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
  }

  prepare(job: PrepareJob): Promise<PrepareResult> {
    const lane = this.lane();
    const id = ++this.seq;
    return new Promise((resolve) => {
      lane.waiting.set(id, resolve);
      // Held while it has work, so a CLI ingest does not exit with files in flight.
      lane.worker.ref();
      const request: PrepareRequest = { id, ...job };
      lane.worker.postMessage(request);
    });
  }
}

const pools = new Map<number, WorkerPool>();

/** The process's pool of `workers` threads, or in-thread decoding for 0. */
export function preparerFor(workers: number): Preparer {
  if (workers === 0) return inThreadPreparer;
  let pool = pools.get(workers);
  if (!pool) {
    pool = new WorkerPool(workers);
    pools.set(workers, pool);
  }
  return pool;
}

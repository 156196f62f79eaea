/**
 * The fine-tune step of a training round (TR17): after the head has been trained on cached
 * embeddings, train backbone top stage(s) + head end to end on the round's training slices,
 * save the fine-tuned backbone to the FileStore and re-embed every slice with it.
 */
import type { Sql, FileStore } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import type { tf, BackendInfo } from '../backend.js';
import { embedBatch, toInputBatch, type EmbedItem } from '../data/embed-batch.js';
import { loadBackbone, PIXELS_KIND, type BackboneOptions } from './backbone.js';
import { backendCannotFineTune, fineTuneEnabled, fineTuneTopStages, FINETUNE_DEFAULTS, type FineTuneOptions } from './finetune.js';
import { saveModelToStore } from './store-weights.js';

/** What a round asks for: undefined follows CONCORD_FINETUNE, true = defaults, an object = these options. */
export type FineTuneRequest = boolean | FineTuneOptions | undefined;

export type FineTunePlan = { apply: true; options: FineTuneOptions } | { apply: false; requested: boolean; reason: string | null };

/**
 * Whether the fine-tune step runs. A requested but impossible fine-tune (wasm, the pixels
 * stand-in) must not fail the round: it is skipped with a loud warning and the reason is
 * returned for metrics.training.fineTune.
 */
export function planFineTune(
  request: FineTuneRequest,
  backend: BackendInfo,
  backbone: BackboneOptions,
  opts: { env?: NodeJS.ProcessEnv; log?: (msg: string) => void } = {},
): FineTunePlan {
  const requested = request === undefined ? fineTuneEnabled(opts.env) : request !== false;
  if (!requested) return { apply: false, requested: false, reason: null };
  const reason = backbone.kind === PIXELS_KIND ? 'the pixels backbone is not a network, so there are no layers to fine-tune' : backendCannotFineTune(backend);
  if (reason) {
    (opts.log ?? console.warn)(
      `WARNING: fine-tuning was requested but is SKIPPED for this round: ${reason}. The round uses the frozen backbone's cached embeddings.`,
    );
    return { apply: false, requested: true, reason };
  }
  return { apply: true, options: typeof request === 'object' ? request : {} };
}

export interface SliceRef {
  id: string;
  fileKey?: string;
  windowCenter?: number | null;
  windowWidth?: number | null;
}

export interface FineTuneRoundInput {
  projectId: string;
  store: FileStore;
  backbone: BackboneOptions;
  backend: BackendInfo;
  /** Already trained on cached embeddings; fine-tuned in place. */
  head: tf.Sequential;
  train: { sliceId: string; label: 0 | 1 }[];
  /** Every slice to re-embed; rows without file_key are looked up. */
  slices: SliceRef[];
  round: number;
  options?: FineTuneOptions;
  onProgress?: (stage: 'fine-tuning' | 'embedding', done: number, total: number, extra?: { epoch: number; loss: number }) => void | Promise<void>;
}

export interface FineTuneRoundResult {
  /** Features of every given slice from the fine-tuned backbone. */
  vectors: Map<string, Float32Array>;
  baseBackboneId: string;
  /** `${baseBackboneId}+ft-r${round}`. */
  backboneId: string;
  /** FileStore key of the fine-tuned backbone's model.json (tfjs layers format). */
  weightsKey: string;
  /** sha256 of the fine-tuned weight bytes. */
  weightsHash: string;
  epochs: number;
  losses: number[];
  trainSlices: number;
  options: Required<Omit<FineTuneOptions, 'seed'>> & { seed: string };
  seconds: number;
}

const EMBED_BATCH = 16;

async function storedRefs(sql: Sql, projectId: string, slices: SliceRef[]): Promise<Map<string, EmbedItem & { key: string }>> {
  const missing = slices.filter((s) => s.fileKey === undefined).map((s) => s.id);
  const looked = missing.length
    ? await sql<
        Required<SliceRef>[]
      >`select id, file_key, window_center, window_width from slices where project_id = ${projectId} and id = any(${missing}::uuid[])`
    : [];
  const byId = new Map<string, EmbedItem & { key: string }>();
  for (const s of [...slices.filter((r) => r.fileKey !== undefined), ...looked]) {
    byId.set(s.id, { sliceId: s.id, key: s.fileKey!, bytes: new Uint8Array(0), windowCenter: s.windowCenter ?? null, windowWidth: s.windowWidth ?? null });
  }
  return byId;
}

export async function fineTuneForRound(sql: Sql, input: FineTuneRoundInput): Promise<FineTuneRoundResult> {
  const started = Date.now();
  const refs = await storedRefs(sql, input.projectId, input.slices);
  const read = async (id: string): Promise<EmbedItem> => {
    const ref = refs.get(id) ?? (await storedRefs(sql, input.projectId, [{ id }])).get(id);
    if (!ref)
      throw new ConcordError(ErrorCode.SLICE_NOT_FOUND, `Slice ${id} is not in this project; it may have been deleted during the round. Run the round again`);
    return { ...ref, bytes: new Uint8Array(await input.store.get(ref.key)) };
  };
  const backbone = await loadBackbone(input.backbone, () => {});
  const options = { ...FINETUNE_DEFAULTS, seed: `${input.projectId}:ft-r${input.round}`, ...input.options };
  // Inputs are read from the store per batch: holding a round's 224² inputs in memory would
  // take ~0.6 MB per slice.
  const trainIds = input.train.map((t) => t.sliceId);
  const batchOf = async (idx: number[]) => toInputBatch(await Promise.all(idx.map((i) => read(trainIds[i]))), backbone.spec.inputSize);
  let tuned: Awaited<ReturnType<typeof fineTuneTopStages>> | undefined;
  const vectors = new Map<string, Float32Array>();
  let saved: { key: string; weightsHash: string };
  try {
    tuned = await fineTuneTopStages(input.backend, backbone, input.head, { x: batchOf, y: input.train.map((t) => t.label) }, options, (epoch, loss) =>
      input.onProgress?.('fine-tuning', epoch, options.epochs, { epoch, loss }),
    );
    const ids = input.slices.map((s) => s.id);
    for (let i = 0; i < ids.length; i += EMBED_BATCH) {
      const items = await Promise.all(ids.slice(i, i + EMBED_BATCH).map(read));
      embedBatch(backbone, items).forEach((v, k) => {
        vectors.set(items[k].sliceId, v);
      });
      await input.onProgress?.('embedding', Math.min(i + EMBED_BATCH, ids.length), ids.length);
    }
    saved = await saveModelToStore(backbone.model, input.store);
  } finally {
    // The joint model owns the backbone's layers and holds one reference to the head: disposing
    // it frees the backbone and leaves the head to the caller's own head.dispose().
    (tuned?.model ?? backbone.model).dispose();
  }
  return {
    vectors,
    baseBackboneId: backbone.id,
    backboneId: `${backbone.id}+ft-r${input.round}`,
    weightsKey: saved.key,
    weightsHash: saved.weightsHash,
    epochs: tuned.epochs,
    losses: tuned.losses,
    trainSlices: input.train.length,
    options,
    seconds: (Date.now() - started) / 1000,
  };
}

/** What metrics.training.fineTune records: the run's facts, or why a requested run was skipped. */
export type FineTuneRecord = ({ applied: true } & Omit<FineTuneRoundResult, 'vectors'>) | { applied: false; reason: string | null };

/**
 * The round's whole fine-tune step: plan, run when it applies, and the record to store. `result`
 * is null when the round goes on with the cached (frozen-backbone) embeddings; `record` is
 * undefined when fine-tuning was not requested at all.
 */
export async function fineTuneStep(
  sql: Sql,
  request: FineTuneRequest,
  input: Omit<FineTuneRoundInput, 'options'>,
): Promise<{ result: FineTuneRoundResult | null; record: FineTuneRecord | undefined }> {
  const plan = planFineTune(request, input.backend, input.backbone);
  if (!plan.apply) return { result: null, record: plan.requested ? { applied: false, reason: plan.reason } : undefined };
  const result = await fineTuneForRound(sql, { ...input, options: plan.options });
  const { vectors: _vectors, ...facts } = result;
  return { result, record: { applied: true, ...facts } };
}

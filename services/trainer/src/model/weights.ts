import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { tf } from '../backend.js';
import { ConcordError, ErrorCode } from '@concord/contracts';

/**
 * A tfjs IOHandler for a local directory (model.json + one shard). Pure tfjs has no file://
 * handler without tfjs-node, and we do not depend on tfjs-node.
 */
export function localDirHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      fs.mkdirSync(dir, { recursive: true });
      const data = joinWeightData(artifacts.weightData);
      fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.from(data));
      const modelJson = {
        format: 'layers-model',
        generatedBy: 'concord-trainer',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, 'model.json');
      if (!fs.existsSync(jsonPath)) {
        throw new ConcordError(ErrorCode.BAD_INPUT, `No model.json in ${dir}: point CONCORD_BACKBONE_WEIGHTS at the folder written by tensorflowjs_converter`);
      }
      const modelJson = parseModelJson(fs.readFileSync(jsonPath, 'utf8'), dir);
      const groups = readManifest(modelJson, dir);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      const allPaths = groups.flatMap((g) => g.paths);
      for (const group of groups) {
        const shards = group.paths.map((p) => readShard(dir, p, allPaths));
        // Checked per group, as the converter writes them, so the message can name the shards at fault.
        const got = shards.reduce((n, b) => n + b.byteLength, 0);
        checkWeightBytes(group.weights, got, `Weight shard${group.paths.length > 1 ? 's' : ''} ${group.paths.join(', ')} in ${dir}`);
        specs.push(...group.weights);
        buffers.push(...shards);
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: modelJson.modelTopology as object,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

// ---------------------------------------------------------------- model.json checks
// tfjs assumes a well-formed model.json and complete shards; on a damaged copy it fails with a
// raw ENOENT, SyntaxError or TypeError that names neither the folder nor the fix. The checks
// below turn each of those into a BAD_INPUT (the job queue does not retry it) that does.

const RECONVERT = 'copy the folder again or re-run tensorflowjs_converter';

function parseModelJson(text: string, dir: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `model.json in ${dir} is not valid JSON (${(e as Error).message}): the file is damaged or incomplete; ${RECONVERT}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `model.json in ${dir} is not valid JSON for a model (not an object); ${RECONVERT}`);
  }
  return json as Record<string, unknown>;
}

/** The manifest's groups, each checked to have a list of shard paths and of weight specs. */
function readManifest(json: Record<string, unknown>, dir: string): tf.io.WeightsManifestConfig {
  const manifest = json.weightsManifest;
  if (manifest === undefined || manifest === null) {
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `model.json in ${dir} has no weightsManifest, so it names no weight shards: convert the Keras model with tensorflowjs_converter --input_format=keras`,
    );
  }
  const bad = (what: string) => new ConcordError(ErrorCode.BAD_INPUT, `model.json in ${dir} has a malformed weightsManifest (${what}); ${RECONVERT}`);
  if (!Array.isArray(manifest)) throw bad('not an array');
  manifest.forEach((g: { paths?: unknown; weights?: unknown } | null, i) => {
    const n = `group ${i + 1}`;
    if (!g || !Array.isArray(g.paths) || !g.paths.every((p) => typeof p === 'string' && p !== '')) throw bad(`${n} has no list of shard paths`);
    if (!Array.isArray(g.weights)) throw bad(`${n} has no list of weights`);
    g.weights.forEach((w: { name?: unknown; shape?: unknown; dtype?: unknown } | null, j) => {
      const shapeOk = Array.isArray(w?.shape) && w.shape.every((d) => Number.isInteger(d) && d >= 0);
      if (!w || typeof w.name !== 'string' || typeof w.dtype !== 'string' || !shapeOk) throw bad(`weight ${j + 1} of ${n} lacks a name, shape or dtype`);
    });
  });
  return manifest as tf.io.WeightsManifestConfig;
}

function readShard(dir: string, p: string, all: string[]): Buffer {
  const file = path.join(dir, p);
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    const found = all.filter((q) => fs.existsSync(path.join(dir, q))).length;
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `model.json in ${dir} lists weight shard ${p}, which is missing (${found} of ${all.length} shards present): copy every shard file model.json lists into that folder, or re-run tensorflowjs_converter`,
    );
  }
  return fs.readFileSync(file);
}

/** Bytes per value of the dtypes tfjs decodes unquantized. */
const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/**
 * Compares the weight bytes with what the specs imply before tf.io.decodeWeights reads them,
 * which on short data throws a RangeError or silently decodes garbage. Quantized and string
 * weights have no size the manifest states, so with any of them only a lower bound is checked.
 */
function checkWeightBytes(specs: tf.io.WeightsManifestEntry[], got: number, what: string): void {
  let want = 0;
  let exact = true;
  for (const s of specs) {
    if (s.quantization || s.dtype === 'string') {
      exact = false;
      continue;
    }
    const per = BYTES_PER_VALUE[s.dtype];
    if (per === undefined) throw new ConcordError(ErrorCode.BAD_INPUT, `${what}: weight ${s.name} has dtype ${s.dtype}, which tfjs cannot load; ${RECONVERT}`);
    want += per * s.shape.reduce((a, b) => a * b, 1);
  }
  if (exact ? got !== want : got < want) {
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `${what}: ${got} bytes, but model.json's weightsManifest describes ${exact ? '' : 'at least '}${want}: a shard is truncated or belongs to another conversion; copy all shard files again or re-run tensorflowjs_converter`,
    );
  }
}

export function joinWeightData(data: tf.io.ModelArtifacts['weightData']): ArrayBuffer {
  if (!data) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

export interface LoadedWeights {
  tensors: tf.NamedTensorMap;
  /** sha256 of the weight bytes, recorded with every model version. */
  hash: string;
}

/** http(s) URLs use tf.io.http (fetch); anything else is a local directory or a file:// URL. */
export function handlerFor(source: string): tf.io.IOHandler {
  if (/^https?:\/\//i.test(source)) return httpHandler(source);
  let dir = source;
  if (source.startsWith('file://')) {
    try {
      dir = fileURLToPath(source);
    } catch (e) {
      throw new ConcordError(
        ErrorCode.BAD_INPUT,
        `CONCORD_BACKBONE_WEIGHTS ${source} is not a local file:// URL (${(e as Error).message}); give the folder's path instead`,
      );
    }
  }
  return localDirHandler(dir.endsWith('model.json') ? path.dirname(dir) : dir);
}

// ---------------------------------------------------------------- http(s)

/** A URL as fit for a message or log: user:password, query and fragment may hold credentials. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Error texts from fetch and tfjs quote the full URL they were given; redact every one. */
function scrubUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s'"<>]+/gi, (m) => redactUrl(m));
}

function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // Node's fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, …).
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  return scrubUrls(e.message + cause);
}

/**
 * tf.io.http, with every failure coded and naming the (redacted) URL: BAD_INPUT for what the
 * operator must fix, INTERNAL (retried) for outages (unreachable, 5xx, 408, 429). Its own loader does not
 * check the status of shard responses, so a 404 page would be decoded as weights: the fetch
 * passed to it refuses non-2xx answers, naming which file was not served.
 */
function httpHandler(source: string): tf.io.IOHandler {
  let modelUrl: string;
  try {
    const u = new URL(source);
    if (!u.pathname.endsWith('.json')) u.pathname = u.pathname.replace(/\/?$/, '/model.json');
    modelUrl = u.toString();
  } catch {
    throw new ConcordError(ErrorCode.BAD_INPUT, `CONCORD_BACKBONE_WEIGHTS is not a valid URL: ${redactUrl(source)}`);
  }
  const shown = redactUrl(modelUrl);
  const fetchFunc = async (url: string, init?: RequestInit): Promise<Response> => {
    const what = url === modelUrl ? 'model.json' : `weight shard ${redactUrl(url)}`;
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e) {
      // Node's fetch refuses a URL with user:password: a setting to change, not an outage.
      if (/credentials/i.test(String((e as Error).message))) {
        throw new ConcordError(
          ErrorCode.BAD_INPUT,
          `The backbone weights URL ${shown} carries a user name or password, which the trainer's fetch refuses; serve the weights without basic auth (a token in the query string works) and update CONCORD_BACKBONE_WEIGHTS`,
        );
      }
      // Unreachable may be a moment's outage: INTERNAL, so the job queue retries the round instead
      // of completing it as a user error (BAD_INPUT is never retried).
      throw new ConcordError(
        ErrorCode.INTERNAL,
        `Could not fetch ${what} of the backbone weights at ${shown}: ${reason(e)}; the round is retried; if this persists check CONCORD_BACKBONE_WEIGHTS and that the trainer can reach that server`,
      );
    }
    if (!res.ok) {
      const transient = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new ConcordError(
        transient ? ErrorCode.INTERNAL : ErrorCode.BAD_INPUT,
        `Fetching ${what} of the backbone weights at ${shown} failed with HTTP ${res.status} ${res.statusText}; ${transient ? 'the round is retried; if this persists check that server' : 'check CONCORD_BACKBONE_WEIGHTS and that model.json and every shard it lists are served from that folder'}`,
      );
    }
    return res;
  };
  const inner = tf.io.http(modelUrl, { fetchFunc: fetchFunc as typeof fetch });
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let artifacts: tf.io.ModelArtifacts;
      try {
        artifacts = await inner.load!();
      } catch (e) {
        if (e instanceof ConcordError) throw e;
        throw new ConcordError(
          ErrorCode.BAD_INPUT,
          `Could not load the backbone weights at ${shown}: ${reason(e)}; point CONCORD_BACKBONE_WEIGHTS at a folder written by tensorflowjs_converter`,
        );
      }
      if (artifacts.weightSpecs && artifacts.weightData) {
        const data = artifacts.weightData;
        const got = (Array.isArray(data) ? data : [data]).reduce((n, b) => n + b.byteLength, 0);
        checkWeightBytes(artifacts.weightSpecs, got, `The weight shards at ${shown}`);
      }
      return artifacts;
    },
  };
}

export async function loadWeights(source: string): Promise<LoadedWeights> {
  const artifacts = await handlerFor(source).load!();
  if (!artifacts.weightSpecs || !artifacts.weightData) {
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `Weights at ${/^https?:\/\//i.test(source) ? redactUrl(source) : source} have no weight manifest: convert them with tensorflowjs_converter --input_format=keras`,
    );
  }
  const data = joinWeightData(artifacts.weightData);
  const hash = createHash('sha256').update(new Uint8Array(data)).digest('hex');
  return { tensors: tf.io.decodeWeights(data, artifacts.weightSpecs), hash };
}

/**
 * Assigns weights by Keras name (layer/weight, e.g. conv1_conv/kernel). Extra entries such as
 * the ImageNet classifier are ignored; a missing backbone weight is an error, because a
 * half-loaded network would silently produce meaningless features.
 */
export function assignByName(model: tf.LayersModel, tensors: tf.NamedTensorMap): { assigned: number } {
  const wanted = model.weights.map((w) => w.originalName);
  const missing = wanted.filter((n) => !(n in tensors));
  if (missing.length) {
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `Backbone weights lack ${missing.length} of ${wanted.length} tensors (first: ${missing[0]}); use a Keras ResNet50 conversion with the standard layer names`,
    );
  }
  const subset: tf.NamedTensorMap = {};
  for (const n of wanted) subset[n] = tensors[n];
  model.loadWeights(subset, true);
  return { assigned: wanted.length };
}

export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(localDirHandler(dir));
}

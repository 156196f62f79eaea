import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { tf } from '../backend.js';
import { ConcordError, ErrorCode } from '../../../../apps/api/src/errors/codes.js';

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
      const modelJson = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of modelJson.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
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
  if (/^https?:\/\//.test(source)) return tf.io.http(source.endsWith('.json') ? source : source.replace(/\/?$/, '/model.json'));
  const dir = source.startsWith('file://') ? new URL(source).pathname : source;
  return localDirHandler(dir.endsWith('model.json') ? path.dirname(dir) : dir);
}

export async function loadWeights(source: string): Promise<LoadedWeights> {
  const artifacts = await handlerFor(source).load!();
  if (!artifacts.weightSpecs || !artifacts.weightData) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `Weights at ${source} have no weight manifest: convert them with tensorflowjs_converter --input_format=keras`);
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
    throw new ConcordError(ErrorCode.BAD_INPUT, `Backbone weights lack ${missing.length} of ${wanted.length} tensors (first: ${missing[0]}); use a Keras ResNet50 conversion with the standard layer names`);
  }
  const subset: tf.NamedTensorMap = {};
  for (const n of wanted) subset[n] = tensors[n];
  model.loadWeights(subset, true);
  return { assigned: wanted.length };
}

export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(localDirHandler(dir));
}

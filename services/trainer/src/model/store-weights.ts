import { createHash } from 'node:crypto';
import type { FileStore } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { tf } from '../backend.js';
import type { Backbone } from './backbone.js';
import { BACKBONES, buildBackbone, featureSize, type BackboneSpec } from './resnet50.js';
import { assignByName, joinWeightData } from './weights.js';

/**
 * A tfjs IOHandler on the content-addressed FileStore: the weight shard is stored first and
 * model.json names it by its key, so the model.json key alone identifies the whole model and
 * can never point at other bytes. Same layers format as tensorflowjs_converter writes.
 */
export function fileStoreHandler(store: FileStore, key?: string): tf.io.IOHandler & { savedKey(): string } {
  let saved: string | undefined = key;
  return {
    savedKey: () => {
      if (!saved) throw new ConcordError(ErrorCode.INTERNAL, 'The model was not saved to the file store; save it before asking for its key');
      return saved;
    },
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const data = joinWeightData(artifacts.weightData);
      const shard = await store.put(new Uint8Array(data));
      const modelJson = {
        format: 'layers-model',
        generatedBy: 'concord-trainer',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [shard], weights: artifacts.weightSpecs ?? [] }],
      };
      saved = await store.put(Buffer.from(JSON.stringify(modelJson)));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      if (!key) throw new ConcordError(ErrorCode.INTERNAL, 'No file-store key to load a model from');
      if (!(await store.has(key))) {
        throw new ConcordError(
          ErrorCode.NOT_FOUND,
          `Model weights ${key.slice(0, 12)}… are not in the file store; the data dir may have been replaced. Train a new round`,
        );
      }
      const json = JSON.parse((await store.get(key)).toString('utf8')) as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
      const specs: tf.io.WeightsManifestEntry[] = [];
      const shards: Buffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          // A model.json whose shard is gone is a damaged store, not a bug: say which piece is missing.
          if (!(await store.has(p))) {
            throw new ConcordError(
              ErrorCode.NOT_FOUND,
              `Model ${key.slice(0, 12)}… names weight shard ${p.slice(0, 12)}…, which is not in the file store; restore the file store from backup or train a new round`,
            );
          }
          shards.push(await store.get(p));
        }
      }
      const all = Buffer.concat(shards);
      return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
    },
  };
}

/** Saves a model to the store; returns the model.json key and the sha256 of its weight bytes. */
export async function saveModelToStore(model: tf.LayersModel, store: FileStore): Promise<{ key: string; weightsHash: string }> {
  let weightsHash = '';
  const inner = fileStoreHandler(store);
  await model.save({
    save: async (artifacts) => {
      weightsHash = createHash('sha256')
        .update(new Uint8Array(joinWeightData(artifacts.weightData)))
        .digest('hex');
      return inner.save!(artifacts);
    },
  });
  return { key: inner.savedKey(), weightsHash };
}

/**
 * A backbone whose weights were saved to the store (a fine-tuned one), loaded BY NAME into a
 * fresh network of the given kind, the same way ImageNet weights are (TR2).
 */
export async function loadBackboneFromStore(store: FileStore, key: string, kind: BackboneSpec['kind'], id: string): Promise<Backbone> {
  const spec = BACKBONES[kind];
  const artifacts = await fileStoreHandler(store, key).load!();
  const data = joinWeightData(artifacts.weightData);
  const tensors = tf.io.decodeWeights(data, artifacts.weightSpecs ?? []);
  const model = buildBackbone(spec);
  try {
    assignByName(model, tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  const weightsHash = createHash('sha256').update(new Uint8Array(data)).digest('hex');
  return { spec, model, id, weightsHash, features: featureSize(spec) };
}

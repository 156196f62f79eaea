import { tf } from '../backend.js';
import { BACKBONES, buildBackbone, featureSize, type BackboneSpec } from './resnet50.js';
import { assignByName, loadWeights } from './weights.js';
import { ConcordError, ErrorCode } from '@concord/contracts';

export interface BackboneOptions {
  kind: BackboneSpec['kind'];
  /** Local dir, file:// or http(s) URL of a tfjs layers model; undefined = random init. */
  weights?: string;
}

export interface Backbone {
  spec: BackboneSpec;
  model: tf.LayersModel;
  /** Cache key for embeddings and model_versions.backbone: e.g. resnet50-imagenet@1a2b3c4d5e6f or resnet50-random. */
  id: string;
  weightsHash: string | null;
  features: number;
}

/**
 * The backbone `CONCORD_BACKBONE` names (TR22): unset or empty is the product default, resnet50.
 * Anything else must be a kind we build: a near miss such as `resnet` would otherwise run a
 * network nobody chose, so it stops the trainer with the accepted values instead.
 */
export function backboneOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BackboneOptions {
  const named = env.CONCORD_BACKBONE;
  const kinds: readonly string[] = ['resnet50', 'tiny', PIXELS_KIND];
  if (named && !kinds.includes(named)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `CONCORD_BACKBONE must be resnet50, tiny or pixels, or unset for resnet50 (got "${named}")`);
  }
  return { kind: (named || 'resnet50') as BackboneOptions['kind'], weights: env.CONCORD_BACKBONE_WEIGHTS || undefined };
}

/**
 * A backbone named on a command line (`--backbone resnet50|tiny|pixels`), with the configured
 * weights for the networks; unnamed, the environment's choice.
 */
export function backboneOptionsNamed(kind: string | undefined, env: NodeJS.ProcessEnv = process.env): BackboneOptions {
  const configured = backboneOptionsFromEnv(env);
  if (kind === undefined) return configured;
  if (kind === 'pixels') return { kind: PIXELS_KIND };
  if (kind === 'resnet50' || kind === 'tiny') return { kind, weights: configured.weights };
  throw new ConcordError(ErrorCode.BAD_INPUT, `unknown backbone "${kind}": use resnet50, tiny or pixels`);
}

/**
 * Builds the backbone and loads its weights. Nothing is downloaded unless the operator
 * configured a URL; with no weights the features are those of a random network, which is
 * said loudly and recorded in the backbone id (TR2).
 */
export async function loadBackbone(opts: BackboneOptions, log: (msg: string) => void = console.warn): Promise<Backbone> {
  if (opts.kind === PIXELS_KIND) return loadPixelsBackbone(opts);
  const spec = BACKBONES[opts.kind];
  const model = buildBackbone(spec);
  if (!opts.weights) {
    log(
      `WARNING: no CONCORD_BACKBONE_WEIGHTS set: ${spec.kind} runs with RANDOM weights; embeddings are recorded as ${spec.kind}-random and models trained on them are weak`,
    );
    return { spec, model, id: `${spec.kind}-random`, weightsHash: null, features: featureSize(spec) };
  }
  const loaded = await loadWeights(opts.weights);
  try {
    assignByName(model, loaded.tensors);
  } finally {
    tf.dispose(Object.values(loaded.tensors));
  }
  const family = spec.kind === 'resnet50' ? 'resnet50-imagenet' : spec.kind;
  return { spec, model, id: `${family}@${loaded.hash.slice(0, 12)}`, weightsHash: loaded.hash, features: featureSize(spec) };
}

// ---------------------------------------------------------------- pixels (CPU simulation only)

/**
 * `pixels` is not a network: it exists because this sandbox has no pretrained ImageNet weights,
 * and a random-weight ResNet50 gives features without signal (test AUC ≈ 0.5 measured). It hands
 * the head a fixed, deterministic view of the windowed slice instead: the image resized to 128²,
 * the central 64² (half the field of view, where the canal lies in every phantom) pooled to 16²,
 * once by mean and once by max (bright CSF around the cord survives max pooling), 512 values
 * standardised per slice. The product default stays resnet50; see CONTEXT.md "Backbone `pixels`".
 *
 * resnet50.ts's BackboneSpec union (owned elsewhere) does not list this kind yet, so the kind is
 * cast here and its spec is registered in BACKBONES at load, which is what backboneId() in
 * data/embeddings.ts reads (cache id `pixels16@v1`; earlier builds used `pixels-random`, where "random" only meant
 * "no weight file"; nothing in it is random).
 */
export const PIXELS_KIND = 'pixels' as unknown as BackboneSpec['kind'];
const PIXELS_INPUT = 128;
const PIXELS_CROP = 64;
const PIXELS_GRID = 16;
export const PIXELS_FEATURES = 2 * PIXELS_GRID * PIXELS_GRID;
export const PIXELS_SPEC: BackboneSpec = {
  kind: PIXELS_KIND,
  inputSize: PIXELS_INPUT,
  stemFilters: 0,
  // featureSize() = stageFilters[3] · 4
  stageFilters: [0, 0, 0, PIXELS_FEATURES / 4],
  stageBlocks: [0, 0, 0, 0],
};
(BACKBONES as Record<string, BackboneSpec>)[PIXELS_KIND] = PIXELS_SPEC;

/** Caffe BGR means that toNetworkInput subtracted; adding them back gives the 0..255 grey value. */
const MEAN_OF_CAFFE_MEANS = (103.939 + 116.779 + 123.68) / 3;

function buildPixelsModel(): tf.LayersModel {
  const input = tf.input({ shape: [PIXELS_INPUT, PIXELS_INPUT, 3], name: 'pixels_input' });
  // The three channels hold the same grey image minus different means: average them back to grey, scaled to 0..1.
  const grey = tf.layers
    .conv2d({
      filters: 1,
      kernelSize: 1,
      name: 'pixels_grey',
      trainable: false,
      kernelInitializer: tf.initializers.constant({ value: 1 / (3 * 255) }),
      biasInitializer: tf.initializers.constant({ value: MEAN_OF_CAFFE_MEANS / 255 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const margin = (PIXELS_INPUT - PIXELS_CROP) / 2;
  const centre = tf.layers
    .cropping2D({
      cropping: [
        [margin, margin],
        [margin, margin],
      ],
      name: 'pixels_centre',
    })
    .apply(grey) as tf.SymbolicTensor;
  const pool = PIXELS_CROP / PIXELS_GRID;
  const mean = tf.layers
    .flatten({ name: 'pixels_mean_flat' })
    .apply(tf.layers.averagePooling2d({ poolSize: pool, strides: pool, name: 'pixels_mean' }).apply(centre)) as tf.SymbolicTensor;
  const max = tf.layers
    .flatten({ name: 'pixels_max_flat' })
    .apply(tf.layers.maxPooling2d({ poolSize: pool, strides: pool, name: 'pixels_max' }).apply(centre)) as tf.SymbolicTensor;
  const both = tf.layers.concatenate({ name: 'pixels_concat' }).apply([mean, max]) as tf.SymbolicTensor;
  // Standardised per slice: patients differ in overall brightness far more than slices differ
  // by compression; measured on the phantom this took head AUC from 0.67 to 0.83 at 300 labels.
  const out = tf.layers.layerNormalization({ axis: -1, center: false, scale: false, name: 'pixels_features' }).apply(both) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'pixels' });
}

function loadPixelsBackbone(opts: BackboneOptions): Backbone {
  if (opts.weights) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'The pixels backbone has no weights; unset CONCORD_BACKBONE_WEIGHTS or choose resnet50');
  }
  return { spec: PIXELS_SPEC, model: buildPixelsModel(), id: 'pixels16@v1', weightsHash: null, features: PIXELS_FEATURES };
}

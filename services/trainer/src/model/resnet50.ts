import { tf } from '../backend.js';

/**
 * Backbone shapes. 'resnet50' is the product (Keras ResNet50, 224² input, 2048 features);
 * 'tiny' keeps the exact Keras naming scheme with one block per stage and few filters so tests
 * and simulations run in seconds and exercise the same loading code.
 */
export interface BackboneSpec {
  kind: 'resnet50' | 'tiny';
  inputSize: number;
  stemFilters: number;
  /** Bottleneck filters per stage conv2..conv5; the block output is 4× this. */
  stageFilters: [number, number, number, number];
  stageBlocks: [number, number, number, number];
}

export const BACKBONES: Record<BackboneSpec['kind'], BackboneSpec> = {
  resnet50: { kind: 'resnet50', inputSize: 224, stemFilters: 64, stageFilters: [64, 128, 256, 512], stageBlocks: [3, 4, 6, 3] },
  tiny: { kind: 'tiny', inputSize: 32, stemFilters: 8, stageFilters: [4, 4, 8, 8], stageBlocks: [1, 1, 1, 1] },
};

export function featureSize(spec: BackboneSpec): number {
  return spec.stageFilters[3] * 4;
}

/** Keras' BatchNormalization epsilon in keras.applications.resnet. */
const BN_EPSILON = 1.001e-5;

/**
 * Random init is seeded per layer so that a weightless backbone still gives the same
 * embeddings in every process; otherwise cached `resnet50-random` vectors would not match
 * vectors computed later by another worker.
 */
function seeded(counter: { n: number }) {
  counter.n += 1;
  return tf.initializers.glorotUniform({ seed: 1000 + counter.n });
}

type SymbolicTensor = tf.SymbolicTensor;

function conv(
  x: SymbolicTensor,
  filters: number,
  kernel: number,
  strides: number,
  name: string,
  counter: { n: number },
  padding: 'valid' | 'same' = 'valid',
): SymbolicTensor {
  return tf.layers
    .conv2d({ filters, kernelSize: kernel, strides, padding, useBias: true, name, kernelInitializer: seeded(counter) })
    .apply(x) as SymbolicTensor;
}

function bn(x: SymbolicTensor, name: string): SymbolicTensor {
  return tf.layers.batchNormalization({ axis: 3, epsilon: BN_EPSILON, name }).apply(x) as SymbolicTensor;
}

function relu(x: SymbolicTensor, name: string): SymbolicTensor {
  return tf.layers.activation({ activation: 'relu', name }).apply(x) as SymbolicTensor;
}

/** keras.applications.resnet.block1 */
function block(x: SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string, counter: { n: number }): SymbolicTensor {
  let shortcut = x;
  if (convShortcut) {
    shortcut = bn(conv(x, 4 * filters, 1, stride, `${name}_0_conv`, counter), `${name}_0_bn`);
  }
  let y = relu(bn(conv(x, filters, 1, stride, `${name}_1_conv`, counter), `${name}_1_bn`), `${name}_1_relu`);
  y = relu(bn(conv(y, filters, 3, 1, `${name}_2_conv`, counter, 'same'), `${name}_2_bn`), `${name}_2_relu`);
  y = bn(conv(y, 4 * filters, 1, 1, `${name}_3_conv`, counter), `${name}_3_bn`);
  const sum = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as SymbolicTensor;
  return relu(sum, `${name}_out`);
}

/**
 * ResNet50 without top, pooled: layer names match keras.applications.ResNet50 so converted
 * ImageNet weights load by name (conv1_conv … conv5_block3_out, avg_pool).
 */
export function buildBackbone(spec: BackboneSpec): tf.LayersModel {
  const counter = { n: 0 };
  const input = tf.input({ shape: [spec.inputSize, spec.inputSize, 3], name: 'input_1' });
  let x = tf.layers
    .zeroPadding2d({
      padding: [
        [3, 3],
        [3, 3],
      ],
      name: 'conv1_pad',
    })
    .apply(input) as SymbolicTensor;
  x = conv(x, spec.stemFilters, 7, 2, 'conv1_conv', counter);
  x = relu(bn(x, 'conv1_bn'), 'conv1_relu');
  x = tf.layers
    .zeroPadding2d({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: 'pool1_pad',
    })
    .apply(x) as SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as SymbolicTensor;
  for (let s = 0; s < 4; s++) {
    const stage = `conv${s + 2}`;
    const stride = s === 0 ? 1 : 2;
    for (let b = 1; b <= spec.stageBlocks[s]; b++) {
      x = block(x, spec.stageFilters[s], b === 1 ? stride : 1, b === 1, `${stage}_block${b}`, counter);
    }
  }
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: pooled, name: spec.kind });
}

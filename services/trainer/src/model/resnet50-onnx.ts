/**
 * The frozen backbone as an ONNX graph (RS3), built from the same Keras-named weights the tfjs
 * model holds, so a native CPU engine (onnxruntime-node) can compute embeddings. It mirrors
 * buildBackbone (resnet50.ts) layer by layer: BatchNormalization is folded into the convolution
 * before it (inference statistics; the model is frozen), zero padding becomes the pads of the
 * next convolution or pooling, and the graph takes the same NHWC input the tfjs model does.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { tf } from '../backend.js';
import type { BackboneSpec } from './resnet50.js';

const { onnx } = onnxProto;
type INode = OnnxTypes.INodeProto;
type ITensor = OnnxTypes.ITensorProto;
type IAttribute = OnnxTypes.IAttributeProto;
type IValueInfo = OnnxTypes.IValueInfoProto;
type IGraph = OnnxTypes.IGraphProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const BN_EPSILON = 1.001e-5;

interface Graph {
  nodes: INode[];
  inits: ITensor[];
}

function tensor(name: string, dims: number[], data: Float32Array): ITensor {
  return { name, dataType: FLOAT, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const ints = (name: string, v: number[]): IAttribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });

/** Conv (Keras kernel [kh, kw, in, out] + bias) with the following BatchNormalization folded in. */
function convBn(g: Graph, model: tf.LayersModel, input: string, convName: string, bnName: string, stride: number, pads: number[]): string {
  const [kernel, bias] = model
    .getLayer(convName)
    .getWeights()
    .map((w) => w.dataSync() as Float32Array);
  const [gamma, beta, mean, variance] = model
    .getLayer(bnName)
    .getWeights()
    .map((w) => w.dataSync() as Float32Array);
  const [kh, kw, cin, cout] = model.getLayer(convName).getWeights()[0].shape;
  const w = new Float32Array(cout * cin * kh * kw);
  const b = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    const scale = gamma[o] / Math.sqrt(variance[o] + BN_EPSILON);
    b[o] = (bias[o] - mean[o]) * scale + beta[o];
    for (let i = 0; i < cin; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) {
          w[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o] * scale;
        }
  }
  g.inits.push(tensor(`${convName}/W`, [cout, cin, kh, kw], w), tensor(`${convName}/B`, [cout], b));
  const out = `${bnName}:0`;
  g.nodes.push({
    opType: 'Conv',
    name: convName,
    input: [input, `${convName}/W`, `${convName}/B`],
    output: [out],
    attribute: [ints('kernel_shape', [kh, kw]), ints('strides', [stride, stride]), ints('pads', pads)],
  });
  return out;
}

function relu(g: Graph, input: string, name: string): string {
  g.nodes.push({ opType: 'Relu', name, input: [input], output: [`${name}:0`] });
  return `${name}:0`;
}

function block(g: Graph, model: tf.LayersModel, x: string, _filters: number, stride: number, convShortcut: boolean, name: string): string {
  const shortcut = convShortcut ? convBn(g, model, x, `${name}_0_conv`, `${name}_0_bn`, stride, [0, 0, 0, 0]) : x;
  let y = relu(g, convBn(g, model, x, `${name}_1_conv`, `${name}_1_bn`, stride, [0, 0, 0, 0]), `${name}_1_relu`);
  y = relu(g, convBn(g, model, y, `${name}_2_conv`, `${name}_2_bn`, 1, [1, 1, 1, 1]), `${name}_2_relu`);
  y = convBn(g, model, y, `${name}_3_conv`, `${name}_3_bn`, 1, [0, 0, 0, 0]);
  g.nodes.push({ opType: 'Add', name: `${name}_add`, input: [shortcut, y], output: [`${name}_add:0`] });
  return relu(g, `${name}_add:0`, `${name}_out`);
}

/** ONNX model bytes of the pooled backbone: input `input_1` [n, size, size, 3] NHWC, output `avg_pool` [n, features]. */
export function backboneToOnnx(spec: BackboneSpec, model: tf.LayersModel): Uint8Array {
  const g: Graph = { nodes: [], inits: [] };
  g.nodes.push({ opType: 'Transpose', name: 'to_nchw', input: ['input_1'], output: ['nchw'], attribute: [ints('perm', [0, 3, 1, 2])] });
  let x = relu(g, convBn(g, model, 'nchw', 'conv1_conv', 'conv1_bn', 2, [3, 3, 3, 3]), 'conv1_relu');
  // Keras pads with zeros before the max pool; after the ReLU every value is ≥ 0, so ONNX's
  // padding (ignored by the max) gives the same result.
  g.nodes.push({
    opType: 'MaxPool',
    name: 'pool1_pool',
    input: [x],
    output: ['pool1_pool:0'],
    attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])],
  });
  x = 'pool1_pool:0';
  for (let s = 0; s < 4; s++) {
    for (let b = 1; b <= spec.stageBlocks[s]; b++) {
      x = block(g, model, x, spec.stageFilters[s], b === 1 && s > 0 ? 2 : 1, b === 1, `conv${s + 2}_block${b}`);
    }
  }
  g.nodes.push({ opType: 'GlobalAveragePool', name: 'avg_pool', input: [x], output: ['gap'] });
  g.nodes.push({
    opType: 'Flatten',
    name: 'flatten',
    input: ['gap'],
    output: ['avg_pool'],
    attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
  });
  const dim = (v: number | string) => (typeof v === 'number' ? { dimValue: v } : { dimParam: v });
  const valueInfo = (name: string, dims: (number | string)[]): IValueInfo => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map(dim) } } },
  });
  const graph: IGraph = {
    name: spec.kind,
    node: g.nodes,
    initializer: g.inits,
    input: [valueInfo('input_1', ['n', spec.inputSize, spec.inputSize, 3])],
    output: [valueInfo('avg_pool', ['n', spec.stageFilters[3] * 4])],
  };
  return onnx.ModelProto.encode({ irVersion: 7, producerName: 'concord', opsetImport: [{ domain: '', version: 13 }], graph }).finish();
}

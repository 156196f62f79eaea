import { tf } from '../backend.js';
import type { Backbone } from '../model/backbone.js';
import { readStoredSlicePixels } from './dicom-pixels.js';
import { toNetworkInput } from './preprocess.js';

export interface EmbedItem {
  sliceId: string;
  bytes: Uint8Array;
  windowCenter: number | null;
  windowWidth: number | null;
}

/** Stored slices → network inputs [n, size, size, 3] (TR4); embedding and fine-tuning share it. */
export function toInputBatch(items: EmbedItem[], inputSize: number): tf.Tensor4D {
  return tf.tidy(
    () =>
      tf.stack(
        items.map((it) => toNetworkInput(readStoredSlicePixels(it.bytes), inputSize, { center: it.windowCenter, width: it.windowWidth })),
      ) as tf.Tensor4D,
  );
}

/** Backbone features for a batch of stored slices, one Float32Array per slice in order. */
export function embedBatch(backbone: Backbone, items: EmbedItem[]): Float32Array[] {
  if (!items.length) return [];
  // tidy returns the tensor, not its data: tidy walks a returned value looking for tensors,
  // which for a typed array means visiting every element.
  const out = tf.tidy(() => backbone.model.predict(toInputBatch(items, backbone.spec.inputSize)) as tf.Tensor2D);
  const flat = out.dataSync() as Float32Array;
  out.dispose();
  const d = backbone.features;
  return items.map((_, i) => flat.slice(i * d, (i + 1) * d));
}

export function vectorToBytes(v: Float32Array): Buffer {
  // Float32Array is host-endian; every platform Node runs on here is little endian.
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function bytesToVector(b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

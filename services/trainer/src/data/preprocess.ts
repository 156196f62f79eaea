import { tf } from '../backend.js';
import type { SlicePixels } from './dicom-pixels.js';

/** Keras `imagenet_utils.preprocess_input(mode='caffe')` means, in BGR order. */
export const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** Value at quantile q of the pixels (nearest rank on a sorted copy). */
function quantile(sorted: Float32Array, q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

/**
 * Window to 0..255: the slice's DICOM window when present, else robust 1st–99th percentiles
 * so that a few bright fat or flow pixels do not flatten the cord's contrast.
 */
export function windowTo8bit(img: SlicePixels, window?: { center: number | null; width: number | null }): Float32Array {
  const center = window?.center ?? img.windowCenter;
  const width = window?.width ?? img.windowWidth;
  let lo: number;
  let hi: number;
  if (center != null && width != null && width > 0) {
    lo = center - width / 2;
    hi = center + width / 2;
  } else {
    const sorted = Float32Array.from(img.pixels).sort();
    lo = quantile(sorted, 0.01);
    hi = quantile(sorted, 0.99);
  }
  const span = hi > lo ? hi - lo : 1;
  const out = new Float32Array(img.pixels.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, ((img.pixels[i] - lo) / span) * 255));
  return out;
}

/**
 * One network input [size, size, 3]: windowed grey image resized bilinearly, copied into three
 * channels and mean-subtracted per BGR channel as Keras ResNet50 expects (caffe mode; no scaling).
 */
export function toNetworkInput(img: SlicePixels, size: number, window?: { center: number | null; width: number | null }): tf.Tensor3D {
  return tf.tidy(() => {
    const grey = tf.tensor3d(windowTo8bit(img, window), [img.rows, img.cols, 1]);
    const resized = tf.image.resizeBilinear(grey, [size, size]);
    const rgb = tf.concat([resized, resized, resized], 2);
    return tf.sub(rgb, tf.tensor1d(CAFFE_MEAN_BGR as unknown as number[])) as tf.Tensor3D;
  });
}

import { readStoredSlicePixels as readStored } from '@concord/dicom';
import { ConcordError, ErrorCode } from '@concord/contracts';

export interface SlicePixels {
  rows: number;
  cols: number;
  /** Stored values after RescaleSlope/Intercept. */
  pixels: Float32Array;
  windowCenter: number | null;
  windowWidth: number | null;
}

/**
 * A stored (de-identified, Explicit VR LE, MONOCHROME2, 16-bit) slice as the trainer uses it.
 * Decoding is ingest's `readStoredSlicePixels`, the one reader of the stored format.
 */
export function readStoredSlicePixels(bytes: Uint8Array): SlicePixels {
  let s: ReturnType<typeof readStored>;
  try {
    s = readStored(bytes);
  } catch (e) {
    throw new ConcordError(ErrorCode.INTERNAL, `A stored slice could not be read (${(e as Error).message}); re-ingest it`);
  }
  const n = s.rows * s.cols;
  const pixels = new Float32Array(n);
  for (let i = 0; i < n; i++) pixels[i] = s.pixels[i] * s.rescaleSlope + s.rescaleIntercept;
  return { rows: s.rows, cols: s.cols, pixels, windowCenter: s.windowCenter ?? null, windowWidth: s.windowWidth ?? null };
}

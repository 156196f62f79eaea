/**
 * Decodes one single-frame greyscale image to signed 32-bit samples (modality rescale not applied).
 * Supported: native (any byte order), RLE Lossless, JPEG baseline/extended 8-bit (jpeg-js),
 * JPEG lossless (jpeg-lossless-decoder-js). Anything else is UNSUPPORTED_TRANSFER_SYNTAX.
 */
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import type { NaturalDataset } from './dcmjs-api.js';
import { reject } from './outcome.js';
import { num, str } from './parse-instance.js';
import { decodeRle } from './rle.js';
import { TransferSyntax, canDecode, isNative, transferSyntaxName } from './transfer-syntax.js';

interface LosslessDecoder { decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): ArrayBuffer | ArrayBufferView }
const lossless = createRequire(import.meta.url)('jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder };

export interface DecodedImage {
  rows: number;
  cols: number;
  samples: Int32Array;
}

interface PixelModule {
  rows: number; cols: number; bitsAllocated: number; bitsStored: number; highBit: number; signed: boolean; photometric: string;
}

function pixelModule(ds: NaturalDataset): PixelModule {
  const rows = num(ds, 'Rows');
  const cols = num(ds, 'Columns');
  const bitsAllocated = num(ds, 'BitsAllocated');
  if (!rows || !cols || !bitsAllocated) reject('NO_PIXEL_DATA', 'The image has no Rows, Columns or Bits Allocated.');
  const bitsStored = num(ds, 'BitsStored') ?? bitsAllocated;
  const samples = num(ds, 'SamplesPerPixel') ?? 1;
  const photometric = (str(ds, 'PhotometricInterpretation') ?? 'MONOCHROME2').toUpperCase();
  if (samples !== 1 || !photometric.startsWith('MONOCHROME')) {
    reject('UNSUPPORTED_PIXEL_FORMAT', `The image is colour (${photometric}, ${samples} samples per pixel); only greyscale MR is ingested.`);
  }
  if (bitsAllocated !== 8 && bitsAllocated !== 16) reject('UNSUPPORTED_PIXEL_FORMAT', `The image has ${bitsAllocated} bits allocated per pixel; only 8 and 16 are ingested.`);
  return { rows, cols, bitsAllocated, bitsStored, highBit: num(ds, 'HighBit') ?? bitsStored - 1, signed: num(ds, 'PixelRepresentation') === 1, photometric };
}

function concatFragments(value: unknown): Uint8Array {
  const parts = (Array.isArray(value) ? value : [value]).filter((p): p is ArrayBuffer | ArrayBufferView => p instanceof ArrayBuffer || ArrayBuffer.isView(p));
  const views = parts.map((p) => (p instanceof ArrayBuffer ? new Uint8Array(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength)));
  return views.length === 1 ? views[0] : Buffer.concat(views);
}

/** Applies BitsStored/HighBit: masks unused high bits (some scanners store garbage there) and sign-extends. */
function fromStored(raw: ArrayLike<number>, pm: PixelModule, count: number): Int32Array {
  const out = new Int32Array(count);
  const shift = pm.highBit + 1 - pm.bitsStored;
  const mask = pm.bitsStored >= 32 ? 0xffffffff : (1 << pm.bitsStored) - 1;
  const sign = 1 << (pm.bitsStored - 1);
  for (let i = 0; i < count; i++) {
    let v = (raw[i] >>> shift) & mask;
    if (pm.signed && v & sign) v -= 1 << pm.bitsStored;
    out[i] = v;
  }
  return out;
}

function nativeSamples(bytes: Uint8Array, pm: PixelModule, littleEndian: boolean): Int32Array {
  const count = pm.rows * pm.cols;
  const need = (count * pm.bitsAllocated) / 8;
  if (bytes.length < need) reject('TRUNCATED', `The pixel data holds ${bytes.length} bytes where the image needs ${need}.`);
  if (pm.bitsAllocated === 8) return fromStored(bytes, pm, count);
  const raw = new Uint16Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, need);
  for (let i = 0; i < count; i++) raw[i] = view.getUint16(i * 2, littleEndian);
  return fromStored(raw, pm, count);
}

export function decodePixels(ds: NaturalDataset, transferSyntax: string): DecodedImage {
  const pm = pixelModule(ds);
  const value = ds.PixelData;
  if (value === undefined || value === null) reject('NO_PIXEL_DATA', 'The image has no pixel data.');
  if (!canDecode(transferSyntax)) {
    reject('UNSUPPORTED_TRANSFER_SYNTAX', `Pixel data in ${transferSyntaxName(transferSyntax)} cannot be decoded; convert the file to an uncompressed syntax (e.g. dcmconv +te).`);
  }
  const bytes = concatFragments(value);
  const count = pm.rows * pm.cols;
  let samples: Int32Array;
  try {
    if (isNative(transferSyntax)) {
      // dcmjs hands big endian OW values over unswapped.
      samples = nativeSamples(bytes, pm, transferSyntax !== TransferSyntax.ExplicitVRBigEndian);
    } else if (transferSyntax === TransferSyntax.RLELossless) {
      samples = nativeSamples(decodeRle(bytes, pm.rows, pm.cols, pm.bitsAllocated), pm, true);
    } else if (transferSyntax === TransferSyntax.JPEGBaseline || transferSyntax === TransferSyntax.JPEGExtended) {
      if (pm.bitsStored > 8) reject('UNSUPPORTED_TRANSFER_SYNTAX', `${pm.bitsStored}-bit ${transferSyntaxName(transferSyntax)} cannot be decoded; only 8-bit JPEG is supported.`);
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, colorTransform: false });
      if (img.width !== pm.cols || img.height !== pm.rows) reject('DECODE_ERROR', 'The JPEG image size differs from Rows and Columns.');
      // A greyscale JPEG decodes to one channel; pick channel 0 if the decoder expanded it.
      const channels = img.data.length / count;
      const grey = new Uint8Array(count);
      for (let i = 0; i < count; i++) grey[i] = img.data[i * channels];
      samples = fromStored(grey, { ...pm, bitsStored: 8, highBit: 7, signed: false }, count);
    } else {
      const copy = bytes.slice();
      const decoded = new lossless.Decoder().decode(copy.buffer, 0, copy.byteLength, pm.bitsAllocated / 8);
      const buf = decoded instanceof ArrayBuffer ? decoded : decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + decoded.byteLength);
      const raw = pm.bitsAllocated === 8 ? new Uint8Array(buf) : new Uint16Array(buf as ArrayBuffer, 0, Math.floor(buf.byteLength / 2));
      if (raw.length < count) reject('DECODE_ERROR', 'The JPEG lossless stream decodes to fewer pixels than Rows × Columns.');
      samples = fromStored(raw, pm, count);
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'FileVerdictError') throw e;
    reject('DECODE_ERROR', `The ${transferSyntaxName(transferSyntax)} pixel data could not be decoded (corrupt or truncated stream).`);
  }
  if (pm.photometric === 'MONOCHROME1') {
    // Store as MONOCHROME2 so viewers and the trainer have one polarity.
    let min = Infinity; let max = -Infinity;
    for (const v of samples) { if (v < min) min = v; if (v > max) max = v; }
    for (let i = 0; i < samples.length; i++) samples[i] = max + min - samples[i];
  }
  return { rows: pm.rows, cols: pm.cols, samples };
}

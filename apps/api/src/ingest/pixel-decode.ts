/**
 * Decodes one frame of a greyscale image to signed 32-bit samples (modality rescale not applied).
 * Supported: native (any byte order), RLE Lossless (own decoder), JPEG lossless (Cornerstone's
 * jpeg-lossless-decoder-js), and through codecs.ts JPEG baseline/extended 8 and 12 bit, JPEG-LS,
 * JPEG 2000 and HTJ2K. Anything else is UNSUPPORTED_TRANSFER_SYNTAX.
 */
import { createRequire } from 'node:module';
import type { NaturalDataset } from '@concord/dicom';
import { reject } from './outcome.js';
import { num, str } from './parse-instance.js';
import { decodeHtj2k, decodeJpeg12, decodeJpeg2000, decodeJpeg8, decodeJpegLs, type DecodedFrame } from './codecs.js';
import { decodeRle } from './rle.js';
import { declaredStreamSize, type StreamSize } from './stream-header.js';
import { TransferSyntax, canDecode, isLossySyntax, isNative, transferSyntaxName } from '@concord/dicom';

interface LosslessDecoder {
  decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): ArrayBuffer | ArrayBufferView;
}
// Cornerstone's fork: the original 2.1.2 leaves the last pixel of a 16-bit image at 0 (the corpus'
// CTImage JPEG Lossless SV1 file), and the viewer's loader uses this fork too.
const lossless = createRequire(import.meta.url)('@cornerstonejs/jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder };

interface PixelModule {
  rows: number;
  cols: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  photometric: string;
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
  if (bitsAllocated !== 8 && bitsAllocated !== 16)
    reject('UNSUPPORTED_PIXEL_FORMAT', `The image has ${bitsAllocated} bits allocated per pixel; only 8 and 16 are ingested.`);
  return { rows, cols, bitsAllocated, bitsStored, highBit: num(ds, 'HighBit') ?? bitsStored - 1, signed: num(ds, 'PixelRepresentation') === 1, photometric };
}

function asBytes(p: ArrayBuffer | ArrayBufferView): Uint8Array {
  return p instanceof ArrayBuffer ? new Uint8Array(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
}

function fragmentsOf(value: unknown): Uint8Array[] {
  return (Array.isArray(value) ? value : [value])
    .filter((p): p is ArrayBuffer | ArrayBufferView => p instanceof ArrayBuffer || ArrayBuffer.isView(p))
    .map(asBytes);
}

/** JPEG, JPEG-LS and JPEG 2000 streams all end with FFD9 (EOI / EOC), maybe padded to even length. */
function endsStream(b: Uint8Array): boolean {
  const n = b[b.length - 1] === 0 ? b.length - 1 : b.length;
  return n >= 2 && b[n - 2] === 0xff && b[n - 1] === 0xd9;
}

/**
 * The compressed bytes of one frame. dcmjs hands encapsulated pixel data over as one buffer per
 * frame when the offset table (or one fragment per frame) allows it; a single-frame image may
 * spread over several fragments, which belong together. Without an offset table, a frame split
 * over fragments ends at the fragment that ends its stream (PS3.5 A.4: as Cornerstone does).
 */
function encapsulatedFrame(value: unknown, frame: number, frames: number): Uint8Array {
  const parts = fragmentsOf(value);
  if (frames === 1) return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  if (parts.length === frames) return parts[frame];
  const groups: Uint8Array[][] = [[]];
  for (const p of parts) {
    groups[groups.length - 1].push(p);
    if (endsStream(p)) groups.push([]);
  }
  if (groups[groups.length - 1].length === 0) groups.pop();
  if (groups.length !== frames)
    reject(
      'DECODE_ERROR',
      `The compressed pixel data holds ${parts.length} fragments for ${frames} frames and neither an offset table nor stream ends tell frames apart.`,
    );
  return Buffer.concat(groups[frame]);
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

function nativeSamples(bytes: Uint8Array, pm: PixelModule, littleEndian: boolean, frame = 0): Int32Array {
  const count = pm.rows * pm.cols;
  const frameBytes = (count * pm.bitsAllocated) / 8;
  const need = frameBytes * (frame + 1);
  if (bytes.length < need) reject('TRUNCATED', `The pixel data holds ${bytes.length} bytes where the image needs ${need}.`);
  if (pm.bitsAllocated === 8) return fromStored(bytes.subarray(frameBytes * frame), pm, count);
  const raw = new Uint16Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + frameBytes * frame, frameBytes);
  for (let i = 0; i < count; i++) raw[i] = view.getUint16(i * 2, littleEndian);
  return fromStored(raw, pm, count);
}

/** Codec output to Int32 samples, checked against the pixel module. */
function fromCodec(frame: DecodedFrame, pm: PixelModule, what: string): Int32Array {
  // OpenJPEG reports some broken streams only by decoding nothing.
  if (frame.components < 1 || frame.width === 0) reject('DECODE_ERROR', `The ${what} stream decodes to no image (corrupt stream).`);
  if (frame.components !== 1)
    reject('UNSUPPORTED_PIXEL_FORMAT', `The ${what} stream is colour (${frame.components} components); only greyscale MR is ingested.`);
  if (frame.width !== pm.cols || frame.height !== pm.rows)
    reject('DECODE_ERROR', `The ${what} stream is ${frame.width}×${frame.height} but Rows and Columns say ${pm.cols}×${pm.rows}.`);
  const count = pm.rows * pm.cols;
  if (frame.samples.length < count) reject('DECODE_ERROR', `The ${what} stream decodes to fewer pixels than Rows × Columns.`);
  // 8-bit streams (JPEG baseline) carry exactly their 8 bits whatever BitsStored says.
  const stored = frame.samples instanceof Uint8Array ? { ...pm, bitsStored: 8, highBit: 7 } : pm;
  return fromStored(frame.samples, stored, count);
}

/** The stream must declare the size the dataset does: a codec allocates what its header says. */
function checkStreamSize(bytes: Uint8Array, pm: PixelModule, what: string): StreamSize {
  const size = declaredStreamSize(bytes);
  if (!size) reject('DECODE_ERROR', `The ${what} pixel data has no readable frame header.`);
  if (size.width !== pm.cols || size.height !== pm.rows) {
    reject('DECODE_ERROR', `The ${what} stream declares ${size.width}×${size.height} pixels but Rows and Columns say ${pm.cols}×${pm.rows}.`);
  }
  return size;
}

export interface DecodedImage {
  rows: number;
  cols: number;
  samples: Int32Array;
  /** The pixels went through a lossy encoder (lossy syntax, JPEG-LS NEAR > 0, or Lossy Image Compression 01). */
  lossy: boolean;
}

function decodeCompressed(bytes: Uint8Array, pm: PixelModule, transferSyntax: string): { samples: Int32Array; nearLossless: boolean } {
  const what = transferSyntaxName(transferSyntax);
  switch (transferSyntax) {
    case TransferSyntax.RLELossless:
      return { samples: nativeSamples(decodeRle(bytes, pm.rows, pm.cols, pm.bitsAllocated), pm, true), nearLossless: false };
    case TransferSyntax.JPEGLSLossless:
    case TransferSyntax.JPEGLSNearLossless: {
      checkStreamSize(bytes, pm, what);
      const frame = decodeJpegLs(bytes);
      return { samples: fromCodec(frame, pm, what), nearLossless: (frame.nearLossless ?? 0) > 0 };
    }
    case TransferSyntax.JPEG2000Lossless:
    case TransferSyntax.JPEG2000:
      checkStreamSize(bytes, pm, what);
      return { samples: fromCodec(decodeJpeg2000(bytes), pm, what), nearLossless: false };
    case TransferSyntax.HTJ2KLossless:
    case TransferSyntax.HTJ2KLosslessRPCL:
    case TransferSyntax.HTJ2K:
      checkStreamSize(bytes, pm, what);
      return { samples: fromCodec(decodeHtj2k(bytes), pm, what), nearLossless: false };
    case TransferSyntax.JPEGBaseline:
    case TransferSyntax.JPEGExtended: {
      const { precision = 8 } = checkStreamSize(bytes, pm, what);
      // 12-bit samples need a decoder built for them; libjpeg-turbo's WebAssembly build is 8-bit.
      if (precision !== 8 && precision !== 12) reject('DECODE_ERROR', `The ${what} stream has ${precision}-bit samples; JPEG DCT allows 8 or 12.`);
      return { samples: fromCodec(precision === 12 ? decodeJpeg12(bytes, precision) : decodeJpeg8(bytes), pm, what), nearLossless: false };
    }
    default: {
      checkStreamSize(bytes, pm, what);
      const copy = bytes.slice();
      const decoded = new lossless.Decoder().decode(copy.buffer, 0, copy.byteLength, pm.bitsAllocated / 8);
      const buf = decoded instanceof ArrayBuffer ? decoded : decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + decoded.byteLength);
      const raw = pm.bitsAllocated === 8 ? new Uint8Array(buf) : new Uint16Array(buf as ArrayBuffer, 0, Math.floor(buf.byteLength / 2));
      if (raw.length < pm.rows * pm.cols) reject('DECODE_ERROR', 'The JPEG lossless stream decodes to fewer pixels than Rows × Columns.');
      return { samples: fromStored(raw, pm, pm.rows * pm.cols), nearLossless: false };
    }
  }
}

/**
 * Decodes frame `frame` (0-based) of an image. Compressed syntaxes need loadCodecs() first;
 * ingest awaits it once per batch.
 */
export function decodeFrame(ds: NaturalDataset, transferSyntax: string, frame = 0): DecodedImage {
  const pm = pixelModule(ds);
  const value = ds.PixelData;
  if (value === undefined || value === null) reject('NO_PIXEL_DATA', 'The image has no pixel data.');
  if (!canDecode(transferSyntax)) {
    reject(
      'UNSUPPORTED_TRANSFER_SYNTAX',
      `Pixel data in ${transferSyntaxName(transferSyntax)} cannot be decoded; convert the file to an uncompressed syntax (e.g. dcmconv +te).`,
    );
  }
  const frames = Math.max(1, num(ds, 'NumberOfFrames') ?? 1);
  let samples: Int32Array;
  let nearLossless = false;
  try {
    if (isNative(transferSyntax)) {
      const parts = fragmentsOf(value);
      const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      // dcmjs hands big endian OW values over unswapped.
      samples = nativeSamples(bytes, pm, transferSyntax !== TransferSyntax.ExplicitVRBigEndian, frame);
    } else {
      ({ samples, nearLossless } = decodeCompressed(encapsulatedFrame(value, frame, frames), pm, transferSyntax));
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'FileVerdictError') throw e;
    reject('DECODE_ERROR', `The ${transferSyntaxName(transferSyntax)} pixel data could not be decoded (corrupt or truncated stream).`);
  }
  if (pm.photometric === 'MONOCHROME1') {
    // Store as MONOCHROME2 so viewers and the trainer have one polarity.
    let min = Infinity;
    let max = -Infinity;
    for (const v of samples) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    for (let i = 0; i < samples.length; i++) samples[i] = max + min - samples[i];
  }
  const lossy = isLossySyntax(transferSyntax) || nearLossless || str(ds, 'LossyImageCompression') === '01';
  return { rows: pm.rows, cols: pm.cols, samples, lossy };
}

/** A single-frame image (frame 0). */
export function decodePixels(ds: NaturalDataset, transferSyntax: string): DecodedImage {
  return decodeFrame(ds, transferSyntax, 0);
}

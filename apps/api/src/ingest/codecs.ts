/**
 * The compressed-pixel decoders ingest uses, all well-kept builds that run in Node without a
 * native compile:
 *   JPEG-LS         @cornerstonejs/codec-charls          (CharLS, WebAssembly)
 *   JPEG 2000       @cornerstonejs/codec-openjpeg        (OpenJPEG, WebAssembly)
 *   HTJ2K           @cornerstonejs/codec-openjph         (OpenJPH, WebAssembly)
 *   JPEG 8-bit      @cornerstonejs/codec-libjpeg-turbo-8bit (libjpeg-turbo, WebAssembly)
 *   JPEG 12-bit     @cornerstonejs/dicom-image-loader's codecs/jpeg.js (pdf.js' JpegImage with a
 *                   16-bit output path). The libjpeg-turbo WebAssembly build is compiled for 8-bit
 *                   samples only, and this is the decoder Cornerstone itself uses for 12-bit JPEG
 *                   (its WebAssembly 12-bit path is marked not working), so the viewer and ingest
 *                   agree on what a 12-bit JPEG image is.
 * The WebAssembly modules are instantiated once (loadCodecs) and then decode synchronously, so
 * pixel decoding stays a plain function of the file's bytes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** What every Cornerstone codec's decoder class offers (Emscripten embind objects). */
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  getDecodedBuffer(): Uint8Array;
  getNearLossless?(): number;
  delete(): void;
}
type DecoderClass = new () => WasmDecoder;
type Factory = (overrides?: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface JpegImageInstance {
  parse(data: Uint8Array): void;
  colorTransform: boolean;
  width: number;
  height: number;
  components: unknown[];
  getData16(width: number, height: number): Uint16Array;
}

interface Loaded {
  jpegLs: DecoderClass;
  j2k: DecoderClass;
  htj2k: DecoderClass;
  jpeg8: DecoderClass;
  JpegImage: new () => JpegImageInstance;
}

let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;

async function instantiate(spec: string, className: string): Promise<DecoderClass> {
  const mod = require(spec) as Factory | { default: Factory };
  const factory = typeof mod === 'function' ? mod : mod.default;
  // OpenJPEG reports progress on stdout; ingest reports per file through ingest_files instead.
  const quiet = () => {};
  const codec = await factory({ print: quiet, printErr: quiet });
  const cls = codec[className];
  if (typeof cls !== 'function') throw new Error(`${spec} has no ${className}`);
  return cls as DecoderClass;
}

async function loadJpegImage(): Promise<Loaded['JpegImage']> {
  // The loader's package exports no path to its codecs folder; the file is plain ESM.
  const root = path.dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json'));
  const mod = (await import(pathToFileURL(path.join(root, 'dist/esm/codecs/jpeg.js')).href)) as { default: Loaded['JpegImage'] };
  return mod.default;
}

/** Instantiates every codec once per process (idempotent, concurrent-safe). */
export function loadCodecs(): Promise<Loaded> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    const [jpegLs, j2k, htj2k, jpeg8, JpegImage] = await Promise.all([
      instantiate('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder'),
      instantiate('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder'),
      instantiate('@cornerstonejs/codec-openjph/wasmjs', 'HTJ2KDecoder'),
      instantiate('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder'),
      loadJpegImage(),
    ]);
    loaded = { jpegLs, j2k, htj2k, jpeg8, JpegImage };
    return loaded;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

function codecs(): Loaded {
  if (!loaded) throw new Error('pixel codecs are not loaded: await loadCodecs() before decoding compressed images');
  return loaded;
}

export interface DecodedFrame {
  width: number;
  height: number;
  components: number;
  /** Samples as the codec produced them; 16-bit when bitsPerSample > 8. */
  samples: Uint8Array | Uint16Array | Int16Array;
  /** JPEG-LS NEAR parameter; > 0 means the stream was encoded lossy. */
  nearLossless?: number;
}

function runWasm(cls: DecoderClass, bytes: Uint8Array): DecodedFrame {
  const decoder = new cls();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const heap = decoder.getDecodedBuffer();
    // Copy out: the view points into the WebAssembly heap, which the next decode may move.
    const copy = heap.slice();
    const samples =
      info.bitsPerSample > 8
        ? info.isSigned
          ? new Int16Array(copy.buffer, 0, copy.byteLength >> 1)
          : new Uint16Array(copy.buffer, 0, copy.byteLength >> 1)
        : copy;
    return { width: info.width, height: info.height, components: info.componentCount, samples, nearLossless: decoder.getNearLossless?.() };
  } finally {
    decoder.delete();
  }
}

export function decodeJpegLs(bytes: Uint8Array): DecodedFrame {
  return runWasm(codecs().jpegLs, bytes);
}
export function decodeJpeg2000(bytes: Uint8Array): DecodedFrame {
  return runWasm(codecs().j2k, bytes);
}
export function decodeHtj2k(bytes: Uint8Array): DecodedFrame {
  return runWasm(codecs().htj2k, bytes);
}
export function decodeJpeg8(bytes: Uint8Array): DecodedFrame {
  return runWasm(codecs().jpeg8, bytes);
}

/**
 * JpegImage's 12-bit output is level-shifted by 2056 / (255 / 4095) / 16 ≈ 2063.6 instead of
 * 2048 + ½ (its 8-bit constant scaled by the bit conversion, dicom-image-loader 5.14
 * codecs/jpeg.js quantizeAndInverse), so every sample comes out 15 or 16 counts high. Taking 15
 * off leaves 0 or +1 against libjpeg's 12-bit decoder (dcmtk's dcmdjpeg), which the ingest test
 * pins, so an upstream fix shows up as a failing test rather than a silent −15 shift. Samples the
 * decoder clamped at 4095 stay there: their true value is unknown within its last 15 counts.
 */
const JPEG12_LEVEL_SHIFT_EXCESS = 15;

/** 12-bit DCT JPEG to 16-bit samples; greyscale only. */
export function decodeJpeg12(bytes: Uint8Array, precision: number): DecodedFrame {
  const image = new (codecs().JpegImage)();
  image.parse(bytes);
  image.colorTransform = false;
  if (image.components.length !== 1) return { width: image.width, height: image.height, components: image.components.length, samples: new Uint16Array(0) };
  const samples = image.getData16(image.width, image.height);
  if (precision === 12) {
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i];
      if (v !== 4095) samples[i] = v > JPEG12_LEVEL_SHIFT_EXCESS ? v - JPEG12_LEVEL_SHIFT_EXCESS : 0;
    }
  }
  return { width: image.width, height: image.height, components: 1, samples };
}

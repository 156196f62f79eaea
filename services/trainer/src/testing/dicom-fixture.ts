import { createRequire } from 'node:module';

const dcmjs = createRequire(import.meta.url)('dcmjs') as {
  data: {
    DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
    DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): Record<string, unknown> };
  };
};

/**
 * A minimal stored-format slice (Explicit VR Little Endian, MONOCHROME2, 16-bit unsigned) for
 * tests and simulations when the phantom is not wanted. `pixels` is rows×cols row-major.
 */
export function makeStoredSlice(opts: {
  rows: number;
  cols: number;
  pixels: Uint16Array;
  sopUid: string;
  windowCenter?: number;
  windowWidth?: number;
}): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
    MediaStorageSOPInstanceUID: opts.sopUid,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '2.25.1',
  };
  const ds: Record<string, unknown> = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
    SOPInstanceUID: opts.sopUid,
    Modality: 'MR',
    Rows: opts.rows,
    Columns: opts.cols,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    PixelData: [opts.pixels.buffer.slice(opts.pixels.byteOffset, opts.pixels.byteOffset + opts.pixels.byteLength)],
    _vrMap: { PixelData: 'OW' },
  };
  if (opts.windowCenter !== undefined) ds.WindowCenter = opts.windowCenter;
  if (opts.windowWidth !== undefined) ds.WindowWidth = opts.windowWidth;
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(dict.write());
}

/** A grey square with a disc whose brightness and radius encode the label, plus noise. */
export function syntheticSlicePixels(size: number, label: 0 | 1, seed: number): Uint16Array {
  const out = new Uint16Array(size * size);
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const r = size * (label ? 0.3 : 0.15);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - c) ** 2 + (y - c) ** 2 < r * r;
      out[y * size + x] = Math.round((inside ? (label ? 3000 : 1500) : 500) + rnd() * 200);
    }
  }
  return out;
}

/**
 * The one on-disk form of an accepted slice: de-identified DICOM, Explicit VR Little Endian,
 * uncompressed, MONOCHROME2, 16 bits allocated. The viewer's image route and the trainer read it
 * back with readStoredSlicePixels and never need another decoder.
 */
import { dcmjsData, toArrayBuffer, type NaturalDataset } from './dcmjs-api.js';
import { num } from './dataset-values.js';
import { TransferSyntax } from './transfer-syntax.js';

export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
const IMPLEMENTATION_CLASS_UID = '2.25.302097374113413963327932418916046717952';

export interface StoredSlicePixels {
  rows: number;
  cols: number;
  pixels: Int16Array | Uint16Array;
  windowCenter?: number;
  windowWidth?: number;
  rescaleSlope: number;
  rescaleIntercept: number;
}

/** 16-bit pixels for storage: unsigned when all samples fit, else signed; null when neither fits. */
export function toSixteenBit(samples: Int32Array): { pixels: Int16Array | Uint16Array; signed: boolean } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of samples) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= 0 && max <= 0xffff) return { pixels: Uint16Array.from(samples), signed: false };
  if (min >= -0x8000 && max <= 0x7fff) return { pixels: Int16Array.from(samples), signed: true };
  return null;
}

/** Writes a naturalised dataset (already de-identified, without pixel module) plus pixels as Part 10 bytes. */
export function writeStoredSlice(dataset: NaturalDataset, rows: number, cols: number, pixels: Int16Array | Uint16Array): Uint8Array {
  const signed = pixels instanceof Int16Array;
  const ds: NaturalDataset = {
    ...dataset,
    SOPClassUID: MR_IMAGE_STORAGE,
    Rows: rows,
    Columns: cols,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: signed ? 1 : 0,
    PixelData: [pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength)],
    _vrMap: { PixelData: 'OW' },
  };
  const meta: NaturalDataset = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: MR_IMAGE_STORAGE,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: TransferSyntax.ExplicitVRLittleEndian,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'CONCORD_1',
  };
  const dict = new dcmjsData.DicomDict(dcmjsData.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(dict.write());
}

/** Reads a slice written by writeStoredSlice (or any uncompressed 16-bit greyscale LE DICOM). */
export function readStoredSlicePixels(bytes: Uint8Array): StoredSlicePixels {
  const file = dcmjsData.DicomMessage.readFile(toArrayBuffer(bytes));
  const ds = dcmjsData.DicomMetaDictionary.naturalizeDataset(file.dict);
  const rows = num(ds, 'Rows');
  const cols = num(ds, 'Columns');
  if (!rows || !cols || num(ds, 'BitsAllocated') !== 16) throw new Error('not a stored Concord slice: expected 16-bit greyscale');
  const px = ds.PixelData;
  const first = (Array.isArray(px) ? px[0] : px) as ArrayBuffer;
  const buf = first.slice(0, rows * cols * 2);
  const pixels = num(ds, 'PixelRepresentation') === 1 ? new Int16Array(buf) : new Uint16Array(buf);
  return {
    rows,
    cols,
    pixels,
    windowCenter: num(ds, 'WindowCenter'),
    windowWidth: num(ds, 'WindowWidth'),
    rescaleSlope: num(ds, 'RescaleSlope') ?? 1,
    rescaleIntercept: num(ds, 'RescaleIntercept') ?? 0,
  };
}

import { createRequire } from 'node:module';

// dcmjs ships no type declarations; this is the small part of it the phantom uses.
interface DcmjsData {
  DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer };
  DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): unknown };
}
const dcmjsData: DcmjsData = createRequire(import.meta.url)('dcmjs').data;

export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Our implementation class UID (2.25 form of a fixed UUID), so files say who wrote them. */
const IMPLEMENTATION_CLASS_UID = '2.25.302010427191419468843468373155848374627';

/** A naturalised dcmjs dataset: keyword → value. Pixel data is added by writeMrImage. */
export type DicomAttributes = Record<string, unknown> & { SOPInstanceUID: string };

/**
 * Encodes one single-frame MR image as a Part 10 file (Explicit VR Little Endian, 16-bit
 * unsigned MONOCHROME2). Nothing time-dependent is written, so the bytes are a pure function of
 * the input (PH2).
 */
export function writeMrImage(attributes: DicomAttributes, pixels: Uint16Array, rows: number, columns: number): Uint8Array {
  if (pixels.length !== rows * columns) throw new Error(`pixel count ${pixels.length} does not match ${rows}×${columns}`);
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: MR_IMAGE_STORAGE,
    MediaStorageSOPInstanceUID: attributes.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'CONCORD_PHANTOM',
  };
  // Copy so the caller's typed array view (which may be offset into a larger buffer) is not shared.
  const pixelBytes = new Uint16Array(pixels).buffer;
  const dataset = {
    SOPClassUID: MR_IMAGE_STORAGE,
    ...attributes,
    ...phantomPixelModule(rows, columns, pixelBytes),
  };
  const dict = new dcmjsData.DicomDict(dcmjsData.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** The phantom's Image Pixel module: 12 bits stored in 16, unsigned, MONOCHROME2, one buffer. */
export function phantomPixelModule(rows: number, columns: number, pixels: ArrayBuffer) {
  return {
    Rows: rows,
    Columns: columns,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    PixelData: [pixels],
    _vrMap: { PixelData: 'OW' },
  };
}

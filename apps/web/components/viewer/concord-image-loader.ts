/**
 * Cornerstone image loader for Concord's `/images/:sliceId` files. The API only serves
 * uncompressed Explicit VR Little Endian MONOCHROME2 16-bit DICOM, so parsing it with
 * dicom-parser here avoids the dicom-image-loader's web workers and wasm codecs.
 * Image ids look like `concord:/images/<sliceId>`.
 */
import dicomParser from 'dicom-parser';
import { Enums, metaData, type Types } from '@cornerstonejs/core';

export const SCHEME = 'concord';

export function imageIdFor(imageUrl: string): string {
  return `${SCHEME}:${imageUrl}`;
}

/** DICOM tags read here, by name. */
const Tag = {
  Rows: 'x00280010',
  Columns: 'x00280011',
  BitsAllocated: 'x00280100',
  BitsStored: 'x00280101',
  HighBit: 'x00280102',
  PixelRepresentation: 'x00280103',
  PhotometricInterpretation: 'x00280004',
  PixelSpacing: 'x00280030',
  WindowCenter: 'x00281050',
  WindowWidth: 'x00281051',
  RescaleSlope: 'x00281053',
  RescaleIntercept: 'x00281052',
  ImagePositionPatient: 'x00200032',
  ImageOrientationPatient: 'x00200037',
  SliceThickness: 'x00180050',
  PixelData: 'x7fe00010',
} as const;

type Modules = Record<string, unknown>;
const modulesById = new Map<string, Modules>();

function numbers(ds: dicomParser.DataSet, tag: string, count: number): number[] | undefined {
  if (!ds.elements[tag]) return undefined;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = ds.floatString(tag, i);
    if (v === undefined || Number.isNaN(v)) return undefined;
    out.push(v);
  }
  return out;
}

export class ImageLoadError extends Error {}

async function fetchAndDecode(imageId: string): Promise<Types.IImage> {
  const url = imageId.slice(SCHEME.length + 1);
  const started = performance.now();
  // The custom header shows the API this is the app's own request (cross-site check on /images).
  const res = await fetch(url, { credentials: 'same-origin', headers: { 'x-concord-request': '1' } });
  if (!res.ok) {
    throw new ImageLoadError(
      res.status === 401 || res.status === 403
        ? 'You are not allowed to view this image (sign in again, or check your role).'
        : `Image could not be loaded (HTTP ${res.status}).`,
    );
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const ds = dicomParser.parseDicom(bytes);
  const rows = ds.uint16(Tag.Rows) ?? 0;
  const columns = ds.uint16(Tag.Columns) ?? 0;
  const bitsAllocated = ds.uint16(Tag.BitsAllocated) ?? 16;
  const pixelRepresentation = ds.uint16(Tag.PixelRepresentation) ?? 0;
  const photometricInterpretation = ds.string(Tag.PhotometricInterpretation) ?? 'MONOCHROME2';
  const pixel = ds.elements[Tag.PixelData];
  if (!pixel || bitsAllocated !== 16 || rows === 0 || columns === 0) {
    throw new ImageLoadError('This image is not 16-bit uncompressed greyscale DICOM; Concord cannot show it.');
  }
  // Copy so the typed array is 2-byte aligned whatever the element's offset.
  const raw = bytes.buffer.slice(bytes.byteOffset + pixel.dataOffset, bytes.byteOffset + pixel.dataOffset + rows * columns * 2);
  const pixelData = pixelRepresentation === 1 ? new Int16Array(raw) : new Uint16Array(raw);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixelData.length; i++) {
    const v = pixelData[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const slope = ds.floatString(Tag.RescaleSlope) ?? 1;
  const intercept = ds.floatString(Tag.RescaleIntercept) ?? 0;
  const spacing = numbers(ds, Tag.PixelSpacing, 2) ?? [1, 1];
  const wc = ds.floatString(Tag.WindowCenter);
  const ww = ds.floatString(Tag.WindowWidth);
  const windowWidth = ww && ww > 0 ? ww : Math.max(1, max - min);
  const windowCenter = wc ?? (max + min) / 2;
  const ipp = numbers(ds, Tag.ImagePositionPatient, 3);
  const iop = numbers(ds, Tag.ImageOrientationPatient, 6);

  modulesById.set(imageId, {
    [Enums.MetadataModules.IMAGE_PIXEL]: {
      samplesPerPixel: 1,
      photometricInterpretation,
      rows,
      columns,
      bitsAllocated,
      bitsStored: ds.uint16(Tag.BitsStored) ?? 16,
      highBit: ds.uint16(Tag.HighBit) ?? 15,
      pixelRepresentation,
    },
    [Enums.MetadataModules.GENERAL_SERIES]: { modality: 'MR' },
    [Enums.MetadataModules.IMAGE_PLANE]: {
      rows,
      columns,
      rowPixelSpacing: spacing[0],
      columnPixelSpacing: spacing[1],
      pixelSpacing: spacing,
      imagePositionPatient: ipp,
      imageOrientationPatient: iop,
      rowCosines: iop?.slice(0, 3),
      columnCosines: iop?.slice(3, 6),
      sliceThickness: ds.floatString(Tag.SliceThickness),
    },
    [Enums.MetadataModules.VOI_LUT]: { windowCenter: [windowCenter], windowWidth: [windowWidth] },
    [Enums.MetadataModules.MODALITY_LUT]: { rescaleSlope: slope, rescaleIntercept: intercept },
  });

  const image = {
    imageId,
    minPixelValue: min,
    maxPixelValue: max,
    slope,
    intercept,
    windowCenter,
    windowWidth,
    voiLUTFunction: Enums.VOILUTFunctionType.LINEAR,
    getPixelData: () => pixelData,
    getCanvas: () => {
      throw new Error('not used for greyscale stacks');
    },
    rows,
    columns,
    height: rows,
    width: columns,
    color: false,
    rgba: false,
    numberOfComponents: 1,
    columnPixelSpacing: spacing[1],
    rowPixelSpacing: spacing[0],
    invert: photometricInterpretation === 'MONOCHROME1',
    photometricInterpretation,
    sizeInBytes: pixelData.byteLength,
    dataType: pixelData instanceof Int16Array ? 'Int16Array' : 'Uint16Array',
    imageFrame: { pixelData } as unknown as Types.IImageFrame,
    loadTimeInMS: performance.now() - started,
  } satisfies Partial<Types.IImage>;
  return image as unknown as Types.IImage;
}

export function loadConcordImage(imageId: string): { promise: Promise<Types.IImage> } {
  return { promise: fetchAndDecode(imageId) };
}

/** Metadata for images this loader has decoded; Cornerstone asks for it by module name. */
export function concordMetadataProvider(type: string, imageId: string): unknown {
  if (!imageId.startsWith(`${SCHEME}:`)) return undefined;
  const modules = modulesById.get(imageId);
  if (modules) return modules[type];
  // Asked before the pixels arrive: an empty plane module lets Cornerstone fill in defaults.
  return type === Enums.MetadataModules.IMAGE_PLANE ? {} : undefined;
}

export function registerConcordLoader(register: (scheme: string, fn: typeof loadConcordImage) => void): void {
  register(SCHEME, loadConcordImage);
  metaData.addProvider(concordMetadataProvider, 10000);
}

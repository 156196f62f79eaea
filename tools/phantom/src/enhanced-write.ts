/**
 * The axial T2 series of one patient as a single Legacy Converted Enhanced MR object (PH12): the
 * form a PACS or a scanner's "enhanced export" produces from classic images. Per-frame functional
 * groups carry what differs between slices (position, echo, frame content and the classic image
 * each frame was converted from); shared ones carry what does not.
 */
import { createRequire } from 'node:module';
import { EXPLICIT_VR_LITTLE_ENDIAN, MR_IMAGE_STORAGE, phantomPixelModule, type DicomAttributes } from './dicom-write.js';

interface DcmjsData {
  DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer };
  DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): unknown };
}
const dcmjsData: DcmjsData = createRequire(import.meta.url)('dcmjs').data;

export const LEGACY_CONVERTED_ENHANCED_MR_STORAGE = '1.2.840.10008.5.1.4.1.1.4.4';
const IMPLEMENTATION_CLASS_UID = '2.25.302010427191419468843468373155848374627';

/** Per-slice attributes that move into functional groups; the rest stays at top level. */
const PER_FRAME = [
  'SOPInstanceUID',
  'InstanceNumber',
  'ImagePositionPatient',
  'SliceLocation',
  'ImageOrientationPatient',
  'PixelSpacing',
  'SliceThickness',
  'SpacingBetweenSlices',
  'EchoTime',
  'RepetitionTime',
  'WindowCenter',
  'WindowWidth',
  'ScanningSequence',
  'SequenceVariant',
  'EchoTrainLength',
];

export interface EnhancedFrame {
  attributes: DicomAttributes;
  pixels: Uint16Array;
}

/** Frames are written in the order given (not sorted: only geometry tells slice order). */
export function writeLegacyConvertedMr(sopInstanceUid: string, frames: EnhancedFrame[], rows: number, columns: number): Uint8Array {
  const first = frames[0].attributes;
  const top: Record<string, unknown> = { ...first };
  for (const key of PER_FRAME) delete top[key];
  const pixels = new Uint16Array(rows * columns * frames.length);
  frames.forEach((f, k) => {
    if (f.pixels.length !== rows * columns) throw new Error(`frame ${k + 1}: pixel count ${f.pixels.length} does not match ${rows}×${columns}`);
    pixels.set(f.pixels, k * rows * columns);
  });
  const dataset = {
    ...top,
    SOPClassUID: LEGACY_CONVERTED_ENHANCED_MR_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    InstanceNumber: 1,
    ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'NONE'],
    NumberOfFrames: frames.length,
    EchoPulseSequence: 'SPIN',
    EchoPlanarPulseSequence: 'NO',
    InversionRecovery: 'NO',
    SharedFunctionalGroupsSequence: [
      {
        PixelMeasuresSequence: [{ PixelSpacing: first.PixelSpacing, SliceThickness: first.SliceThickness, SpacingBetweenSlices: first.SpacingBetweenSlices }],
        PlaneOrientationSequence: [{ ImageOrientationPatient: first.ImageOrientationPatient }],
        MRTimingAndRelatedParametersSequence: [{ RepetitionTime: first.RepetitionTime, EchoTrainLength: first.EchoTrainLength }],
        FrameVOILUTSequence: [{ WindowCenter: first.WindowCenter, WindowWidth: first.WindowWidth }],
        MRImageFrameTypeSequence: [{ FrameType: ['ORIGINAL', 'PRIMARY', 'M', 'NONE'], AcquisitionContrast: 'T2' }],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map(({ attributes: a }) => ({
      FrameContentSequence: [{ StackID: '1', InStackPositionNumber: a.InstanceNumber, DimensionIndexValues: [1, a.InstanceNumber] }],
      PlanePositionSequence: [{ ImagePositionPatient: a.ImagePositionPatient }],
      MREchoSequence: [{ EffectiveEchoTime: a.EchoTime }],
      ConversionSourceAttributesSequence: [{ ReferencedSOPClassUID: MR_IMAGE_STORAGE, ReferencedSOPInstanceUID: a.SOPInstanceUID }],
    })),
    ...phantomPixelModule(rows, columns, pixels.buffer as ArrayBuffer),
  };
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: LEGACY_CONVERTED_ENHANCED_MR_STORAGE,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'CONCORD_PHANTOM',
  };
  const dict = new dcmjsData.DicomDict(dcmjsData.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/**
 * Enhanced MR (and Legacy Converted Enhanced MR): one object, many frames, each frame described
 * by functional groups (PS3.3 C.7.6.16): per-frame items override the shared item. Each frame is
 * flattened into the attributes a classic MR image carries at top level, so the same series
 * rules, geometry checks and de-identification apply to a frame as to a classic slice.
 */
import type { NaturalDataset } from '@concord/dicom';
import { num, nums, str, strs } from './parse-instance.js';

export const ENHANCED_MR_STORAGE = '1.2.840.10008.5.1.4.1.1.4.1';
export const LEGACY_CONVERTED_ENHANCED_MR_STORAGE = '1.2.840.10008.5.1.4.1.1.4.4';

function firstItem(v: unknown): NaturalDataset | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  return first && typeof first === 'object' && !ArrayBuffer.isView(first) && !(first instanceof ArrayBuffer) ? (first as NaturalDataset) : undefined;
}

/** True when the object describes its frames with functional groups. */
export function hasFunctionalGroups(ds: NaturalDataset): boolean {
  return Array.isArray(ds.PerFrameFunctionalGroupsSequence) || firstItem(ds.SharedFunctionalGroupsSequence) !== undefined;
}

export function frameCount(ds: NaturalDataset): number {
  return Math.max(1, num(ds, 'NumberOfFrames') ?? 1);
}

/** The macro `name` for frame `frame` (0-based): the per-frame item, else the shared one. */
function macro(ds: NaturalDataset, frame: number, name: string): NaturalDataset | undefined {
  const perFrame = Array.isArray(ds.PerFrameFunctionalGroupsSequence) ? firstItem((ds.PerFrameFunctionalGroupsSequence as unknown[])[frame]) : undefined;
  return firstItem(perFrame?.[name]) ?? firstItem(firstItem(ds.SharedFunctionalGroupsSequence)?.[name]);
}

function yes(v: string | undefined): boolean {
  return v?.toUpperCase() === 'YES';
}

export interface FrameAttributes {
  /** A classic-looking dataset for this frame: top-level attributes plus its functional groups. */
  dataset: NaturalDataset;
  /** Stack and echo of the frame: frames of one stack and echo form one series of slices. */
  stackKey: string;
}

/**
 * Flattens frame `frame` (0-based). The pixel data stays the parent's (decodeFrame reads the
 * frame from it); SOPInstanceUID becomes the converted classic image's UID when the frame names
 * one, else `<source uid>#<frame number>`, so each frame gets its own de-identified UID,
 * deterministic across re-ingests.
 */
export function flattenFrame(ds: NaturalDataset, frame: number): FrameAttributes {
  const out: NaturalDataset = { ...ds };
  delete out.PerFrameFunctionalGroupsSequence;
  delete out.SharedFunctionalGroupsSequence;
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };

  set('ImagePositionPatient', nums(macro(ds, frame, 'PlanePositionSequence') ?? {}, 'ImagePositionPatient'));
  set('ImageOrientationPatient', nums(macro(ds, frame, 'PlaneOrientationSequence') ?? {}, 'ImageOrientationPatient'));
  const measures = macro(ds, frame, 'PixelMeasuresSequence') ?? {};
  set('PixelSpacing', nums(measures, 'PixelSpacing'));
  set('SliceThickness', num(measures, 'SliceThickness'));
  set('SpacingBetweenSlices', num(measures, 'SpacingBetweenSlices'));
  const voi = macro(ds, frame, 'FrameVOILUTSequence') ?? {};
  set('WindowCenter', num(voi, 'WindowCenter'));
  set('WindowWidth', num(voi, 'WindowWidth'));
  const rescale = macro(ds, frame, 'PixelValueTransformationSequence') ?? {};
  set('RescaleSlope', num(rescale, 'RescaleSlope'));
  set('RescaleIntercept', num(rescale, 'RescaleIntercept'));
  const echoTime = num(macro(ds, frame, 'MREchoSequence') ?? {}, 'EffectiveEchoTime');
  set('EchoTime', echoTime);
  const timing = macro(ds, frame, 'MRTimingAndRelatedParametersSequence') ?? {};
  set('RepetitionTime', num(timing, 'RepetitionTime'));
  set('FlipAngle', num(timing, 'FlipAngle'));

  // Enhanced objects say EP and IR in the MR Pulse Sequence module and the MR Modifier macro,
  // not in ScanningSequence; the series rules read ScanningSequence.
  const modifier = macro(ds, frame, 'MRModifierSequence') ?? {};
  const sequence = new Set(strs(ds, 'ScanningSequence').flatMap((s) => s.split('\\')));
  if (yes(str(ds, 'EchoPlanarPulseSequence'))) sequence.add('EP');
  if (yes(str(ds, 'InversionRecovery')) || yes(str(modifier, 'InversionRecovery'))) sequence.add('IR');
  if (sequence.size) out.ScanningSequence = [...sequence];
  const frameType = macro(ds, frame, 'MRImageFrameTypeSequence');
  set('AcquisitionContrast', str(frameType ?? {}, 'AcquisitionContrast') ?? str(ds, 'AcquisitionContrast'));

  const content = macro(ds, frame, 'FrameContentSequence') ?? {};
  out.NumberOfFrames = frameCount(ds);
  // A Legacy Converted frame names the classic image it was made from (Conversion Source
  // Attributes): the slice keeps that image's identity, so the same scan ingested as classic
  // images and as a converted object is recognised as one (IN8).
  const converted = str(macro(ds, frame, 'ConversionSourceAttributesSequence') ?? {}, 'ReferencedSOPInstanceUID');
  out.SOPInstanceUID = converted ?? `${str(ds, 'SOPInstanceUID') ?? ''}#${frame + 1}`;
  set('InstanceNumber', num(content, 'InStackPositionNumber') ?? frame + 1);
  return { dataset: out, stackKey: `${str(content, 'StackID') ?? ''}|${echoTime ?? ''}` };
}

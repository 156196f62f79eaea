/**
 * De-identification by construction: the stored dataset is built from an allow-list of
 * attributes the labelling and training need, so everything else — names, dates, institution,
 * device serials, private tags, free-text comments, overlays — is absent (PS3.15 Annex E Basic
 * Application Level Confidentiality Profile, with the Retain Safe Private = no, Retain Series
 * Description kept for series picking and display). UIDs are replaced by HMAC-derived 2.25 UIDs,
 * patient identity by the pseudonym.
 */
import type { NaturalDataset } from '@concord/dicom';
import { nums, str } from './parse-instance.js';
import { patientPseudonym, pseudonymousUid } from './pseudonym.js';

export const DEIDENTIFICATION_METHOD = 'Concord allow-list; PS3.15 E.1 Basic Profile; UIDs and PatientID replaced by HMAC-SHA256; dates removed';

/** Key attributes copied verbatim: geometry, contrast timing, display. */
const KEEP_NUMBERS = [
  'ImagePositionPatient',
  'ImageOrientationPatient',
  'PixelSpacing',
  'SliceThickness',
  'SpacingBetweenSlices',
  'EchoTime',
  'RepetitionTime',
  'MagneticFieldStrength',
  'FlipAngle',
  'SeriesNumber',
  'InstanceNumber',
  'WindowCenter',
  'WindowWidth',
  'RescaleSlope',
  'RescaleIntercept',
] as const;

export function patientKey(ds: NaturalDataset): string {
  // Without a PatientID the study stands in for the patient: never merge unknown patients.
  const id = str(ds, 'PatientID');
  return id !== undefined ? id : `study:${str(ds, 'StudyInstanceUID') ?? ''}`;
}

export function deidentifiedIds(secret: string, ds: NaturalDataset) {
  return {
    pseudonym: patientPseudonym(secret, patientKey(ds)),
    studyUid: pseudonymousUid(secret, str(ds, 'StudyInstanceUID') ?? ''),
    seriesUid: pseudonymousUid(secret, str(ds, 'SeriesInstanceUID') ?? ''),
    sopUid: pseudonymousUid(secret, str(ds, 'SOPInstanceUID') ?? ''),
  };
}

export function deidentify(secret: string, ds: NaturalDataset): NaturalDataset {
  const ids = deidentifiedIds(secret, ds);
  const out: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    Modality: 'MR',
    PatientName: ids.pseudonym,
    PatientID: ids.pseudonym,
    PatientIdentityRemoved: 'YES',
    DeidentificationMethod: DEIDENTIFICATION_METHOD,
    StudyInstanceUID: ids.studyUid,
    SeriesInstanceUID: ids.seriesUid,
    SOPInstanceUID: ids.sopUid,
    BurnedInAnnotation: 'NO',
  };
  const frame = str(ds, 'FrameOfReferenceUID');
  if (frame) out.FrameOfReferenceUID = pseudonymousUid(secret, frame);
  const description = str(ds, 'SeriesDescription');
  if (description) out.SeriesDescription = description.slice(0, 64);
  for (const key of KEEP_NUMBERS) {
    const v = nums(ds, key);
    if (v) out[key] = v.length === 1 ? v[0] : v;
  }
  return out;
}

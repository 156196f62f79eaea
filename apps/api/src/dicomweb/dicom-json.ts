/**
 * The few DICOM JSON (PS3.18 F.2) attributes the DICOMweb client reads from QIDO-RS answers.
 * Named constants, not bare hex strings, so a reader sees which attribute is meant.
 */
export const Tag = {
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
} as const;

export type Tag = (typeof Tag)[keyof typeof Tag];

/** One dataset of a QIDO-RS answer: tag → { vr, Value }. */
export type DicomJsonDataset = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

export function firstString(ds: DicomJsonDataset, tag: Tag): string | undefined {
  const v = ds[tag]?.Value?.[0];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** IS values arrive as numbers from most servers and as strings from some. */
export function firstInt(ds: DicomJsonDataset, tag: Tag): number | undefined {
  const v = ds[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

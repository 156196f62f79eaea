/**
 * The per-file verdicts ingest writes to ingest_files. Reasons are machine codes (stable, shown
 * in the admin UI as filters); details are human sentences that never carry patient data.
 */
export type FileStatus = 'ACCEPTED' | 'SKIPPED' | 'REJECTED';

export const SkipReason = {
  NOT_IMAGE: 'NOT_IMAGE',
  NOT_MR: 'NOT_MR',
  NOT_AXIAL: 'NOT_AXIAL',
  NOT_T2: 'NOT_T2',
  DUPLICATE: 'DUPLICATE',
  SERIES_ALREADY_INGESTED: 'SERIES_ALREADY_INGESTED',
} as const;

export const RejectReason = {
  NOT_DICOM: 'NOT_DICOM',
  TRUNCATED: 'TRUNCATED',
  PARSE_ERROR: 'PARSE_ERROR',
  NO_PIXEL_DATA: 'NO_PIXEL_DATA',
  UNSUPPORTED_TRANSFER_SYNTAX: 'UNSUPPORTED_TRANSFER_SYNTAX',
  UNSUPPORTED_PIXEL_FORMAT: 'UNSUPPORTED_PIXEL_FORMAT',
  MULTIFRAME_UNSUPPORTED: 'MULTIFRAME_UNSUPPORTED',
  DECODE_ERROR: 'DECODE_ERROR',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  MISSING_GEOMETRY: 'MISSING_GEOMETRY',
  INCONSISTENT_GEOMETRY: 'INCONSISTENT_GEOMETRY',
  UNREADABLE: 'UNREADABLE',
} as const;

export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export interface FileVerdict {
  status: FileStatus;
  reason: SkipReason | RejectReason | 'ACCEPTED';
  detail: string;
}

/** Thrown inside per-file steps; caught by the pipeline and turned into a REJECTED/SKIPPED row. */
export class FileVerdictError extends Error {
  constructor(readonly verdict: FileVerdict) {
    super(verdict.detail);
    this.name = 'FileVerdictError';
  }
}

export function reject(reason: RejectReason, detail: string): never {
  throw new FileVerdictError({ status: 'REJECTED', reason, detail });
}

export function skip(reason: SkipReason, detail: string): never {
  throw new FileVerdictError({ status: 'SKIPPED', reason, detail });
}

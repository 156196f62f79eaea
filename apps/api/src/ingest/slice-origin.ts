import type { NaturalDataset } from '@concord/dicom';
import { str } from './parse-instance.js';

/** Original identity of one parsed instance (SR10), read before de-identification replaces it. */
export interface SliceOrigin {
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  sopClassUid: string;
  patientId: string | null;
  patientName: string | null;
}

/** A value as PostgreSQL text can hold it: hostile files carry NULs, which text refuses. */
function text(ds: NaturalDataset, key: string): string | undefined {
  const v = str(ds, key)?.replace(/\0/g, '').trim();
  return v ? v.slice(0, 1000) : undefined;
}

/**
 * Pure, so it runs on ingest's decoding threads (IN17); kept for every slice and written only for
 * projects that allow re-identification (IN18). A frame of a multi-frame object carries its
 * object's identity; `slices.source_frame` says which frame.
 */
export function sliceOrigin(ds: NaturalDataset): SliceOrigin {
  return {
    studyUid: text(ds, 'StudyInstanceUID') ?? '',
    seriesUid: text(ds, 'SeriesInstanceUID') ?? '',
    sopUid: text(ds, 'SOPInstanceUID') ?? '',
    sopClassUid: text(ds, 'SOPClassUID') ?? '',
    patientId: text(ds, 'PatientID') ?? null,
    patientName: text(ds, 'PatientName') ?? null,
  };
}

import type { Cohort } from './anatomy.js';
import type { Severity } from './compression.js';

export interface PhantomSliceTruth {
  patientKey: string;
  patientId: string;
  cohort: Cohort;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  instanceNumber: number;
  zMm: number;
  severity: Severity;
  label: 0 | 1;
  /** Path of the file relative to outDir. */
  file: string;
  /**
   * Not written to the CSVs (PH8 keeps their columns): what tests check the phantom's honesty by.
   * Deepest dent of the cord contour, mm (0 unless label 1).
   */
  indentMm: number;
  /** The T2 bright cord spot is drawn on this slice (PH14). */
  cordSpot: boolean;
  /** CSF flow voids or ghosting are drawn on this slice (PH15). */
  flowArtefact: boolean;
}

export interface PhantomPatientTruth {
  patientKey: string;
  patientId: string;
  cohort: Cohort;
  studyUid: string;
  nSlices: number;
  nPositive: number;
  slices: PhantomSliceTruth[];
}

export const SLICE_CSV_COLUMNS = [
  'patient_key',
  'patient_id',
  'cohort',
  'study_uid',
  'series_uid',
  'sop_uid',
  'instance_number',
  'z_mm',
  'severity',
  'label',
] as const;
export const PATIENT_CSV_COLUMNS = ['patient_key', 'patient_id', 'cohort', 'n_slices', 'n_positive'] as const;

// Every value we write is an identifier, number or enum without commas or quotes, so no quoting is needed.
function csv(header: readonly string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

export function slicesCsv(patients: readonly PhantomPatientTruth[]): string {
  const rows = patients.flatMap((p) =>
    p.slices.map((s) => [s.patientKey, s.patientId, s.cohort, s.studyUid, s.seriesUid, s.sopUid, s.instanceNumber, s.zMm.toFixed(2), s.severity, s.label]),
  );
  return csv(SLICE_CSV_COLUMNS, rows);
}

export function patientsCsv(patients: readonly PhantomPatientTruth[]): string {
  return csv(
    PATIENT_CSV_COLUMNS,
    patients.map((p) => [p.patientKey, p.patientId, p.cohort, p.nSlices, p.nPositive]),
  );
}

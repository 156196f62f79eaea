/**
 * What one study's SR says, as plain data: the input of the document writer and of the content
 * hash that decides whether a new SR version is due (SR6). Nothing time-dependent lives here.
 */
import { createHash } from 'node:crypto';

export type DecisionSource = 'CONSENSUS' | 'ADJUDICATION' | 'SINGLE_READ';

export interface SrImageRef {
  seriesUid: string;
  sopUid: string;
  sopClassUid: string;
}

export interface SrProbability {
  modelVersionId: string;
  round: number;
  probability: number;
}

export interface SrSlice {
  /** Stable across versions and output modes; derived from the de-identified instance (SR2). */
  trackingUid: string;
  trackingId: string;
  image: SrImageRef;
  /** Re-identified output only: Concord's own UID of the image, to match rows of its CSV exports. */
  deidentifiedSopUid?: string;
  positive: boolean;
  decision: DecisionSource;
  /** Adjudicated labels only. */
  reasonCode: string | null;
  probabilities: SrProbability[];
}

export interface SrScreening {
  modelVersionId: string;
  round: number;
  threshold: number;
  /** The patient's slices at or above the threshold. */
  positiveSlices: number;
  k: number;
  abnormal: boolean;
}

export interface SrStudyContent {
  studyUid: string;
  patientId: string;
  patientName: string;
  reidentified: boolean;
  slices: SrSlice[];
  /** Empty unless the lead included model outputs (SR3). */
  screening: SrScreening[];
}

/** Probabilities are written to 6 decimals (DS holds 16 characters); the hash sees the same value. */
export function roundProbability(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

export function contentHash(content: SrStudyContent): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

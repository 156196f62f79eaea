/**
 * Project rules for picking the axial T2 series (projects.series_rules, GraphQL SeriesRules).
 * Stored as partial jsonb; missing keys take the defaults below.
 */
import { ConcordError, ErrorCode } from '../errors/codes.js';

export interface SeriesRules {
  /** Largest angle between the slice normal and the patient's z axis for a series to count as axial. */
  maxAxialAngleDeg: number;
  minEchoTimeMs: number;
  maxEchoTimeMs: number;
  minRepetitionTimeMs: number;
  /** Case-insensitive regex on SeriesDescription, used only when EchoTime or RepetitionTime is absent. */
  descriptionPattern: string;
}

/**
 * T2 TSE of the cervical spine runs TE ≈ 80–120 ms, TR ≈ 2500–5000 ms. TE ≥ 70 keeps out proton
 * density (TE ≈ 20) and the b=0 images of DTI (TE ≈ 60); axial blocks are often angled to the
 * discs, hence 30°. The pattern matches "T2" as a word but not "T2*" (gradient echo).
 */
export const DEFAULT_SERIES_RULES: SeriesRules = {
  maxAxialAngleDeg: 30,
  minEchoTimeMs: 70,
  maxEchoTimeMs: 200,
  minRepetitionTimeMs: 1500,
  descriptionPattern: '(^|[^a-z0-9])t2($|[^a-z0-9*])',
};

function finite(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `Series rule ${name} must be a number between ${min} and ${max}.`);
  }
  return v;
}

/** Validates a partial rules object (from jsonb or GraphQL input) and fills defaults. */
export function resolveSeriesRules(raw: unknown): SeriesRules {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const r = { ...DEFAULT_SERIES_RULES };
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined || v === null) continue;
    switch (k) {
      case 'maxAxialAngleDeg':
        r.maxAxialAngleDeg = finite(v, k, 0, 90);
        break;
      case 'minEchoTimeMs':
        r.minEchoTimeMs = finite(v, k, 0, 10000);
        break;
      case 'maxEchoTimeMs':
        r.maxEchoTimeMs = finite(v, k, 0, 10000);
        break;
      case 'minRepetitionTimeMs':
        r.minRepetitionTimeMs = finite(v, k, 0, 100000);
        break;
      case 'descriptionPattern':
        if (typeof v !== 'string' || v.length > 200)
          throw new ConcordError(ErrorCode.BAD_INPUT, 'Series rule descriptionPattern must be a regular expression of at most 200 characters.');
        try {
          new RegExp(v, 'i');
        } catch {
          throw new ConcordError(ErrorCode.BAD_INPUT, 'Series rule descriptionPattern is not a valid regular expression.');
        }
        r.descriptionPattern = v;
        break;
      default:
        throw new ConcordError(ErrorCode.BAD_INPUT, `Unknown series rule "${k.slice(0, 40)}".`);
    }
  }
  if (r.minEchoTimeMs > r.maxEchoTimeMs) throw new ConcordError(ErrorCode.BAD_INPUT, 'Series rule minEchoTimeMs must not exceed maxEchoTimeMs.');
  return r;
}

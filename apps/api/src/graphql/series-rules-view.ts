import type { SeriesRules } from './generated.js';

// Mirrors the ingest defaults; the ingest module validates and applies them.
const DEFAULTS: SeriesRules = {
  maxAxialAngleDeg: 20,
  minEchoTimeMs: 60,
  maxEchoTimeMs: 200,
  minRepetitionTimeMs: 1500,
  descriptionPattern: 't2',
};

export function seriesRulesFrom(json: Record<string, unknown>): SeriesRules {
  const pick = <K extends keyof SeriesRules>(k: K): SeriesRules[K] =>
    (json[k] !== undefined && json[k] !== null ? json[k] : DEFAULTS[k]) as SeriesRules[K];
  return {
    maxAxialAngleDeg: pick('maxAxialAngleDeg'),
    minEchoTimeMs: pick('minEchoTimeMs'),
    maxEchoTimeMs: pick('maxEchoTimeMs'),
    minRepetitionTimeMs: pick('minRepetitionTimeMs'),
    descriptionPattern: pick('descriptionPattern'),
  };
}

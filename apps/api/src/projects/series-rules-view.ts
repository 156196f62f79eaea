import type { SeriesRules } from '../graphql/generated.js';
import { DEFAULT_SERIES_RULES, resolveSeriesRules } from '../ingest/series-rules.js';

/** Stored rules as GraphQL shows them; stored values that no longer validate show the defaults. */
export function seriesRulesFrom(json: Record<string, unknown>): SeriesRules {
  try {
    return resolveSeriesRules(json);
  } catch {
    return { ...DEFAULT_SERIES_RULES };
  }
}

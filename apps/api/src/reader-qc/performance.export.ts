/**
 * The `reader-performance` export: the lead's per-reader figures as rows, readers as the same
 * per-project pseudonyms the other exports use (HMAC-SHA256 of the user id, keyed by secret and
 * project), never usernames. Computed, not streamed from SQL: one row per reader.
 */
import { createHmac } from 'node:crypto';
import type { Sql } from '@concord/db';
import { performanceFor } from './reader-qc.service.js';
import type { Estimate } from './performance.js';

export const READER_PERFORMANCE_COLUMNS = [
  'reader',
  'reads',
  'gold_reads',
  'gold_accuracy',
  'gold_accuracy_low',
  'gold_accuracy_high',
  'gold_sensitivity',
  'gold_sensitivity_low',
  'gold_sensitivity_high',
  'gold_specificity',
  'gold_specificity_low',
  'gold_specificity_high',
  'rolling_gold_accuracy',
  'rolling_gold_accuracy_low',
  'rolling_gold_accuracy_high',
  'rolling_gold_reads',
  'interval_method',
  'kappa_with_others',
  'kappa_with_others_low',
  'kappa_with_others_high',
  'paired_reads',
  'intra_reader_kappa',
  'repeat_pairs',
  'median_seconds',
  'p90_seconds',
  'timed_reads',
  'fast_reads',
  'median_screen_seconds',
  'calibration_answered',
  'calibration_accuracy',
  'calibration_passed',
  'flagged',
  'paused',
];

export function exportPseudonym(secret: string, projectId: string, userId: string): string {
  return `R-${createHmac('sha256', secret + projectId)
    .update(userId)
    .digest('hex')
    .slice(0, 10)}`;
}

const est = (name: string, e: Estimate | null) => ({ [name]: e?.value ?? null, [`${name}_low`]: e?.low ?? null, [`${name}_high`]: e?.high ?? null });

export async function* readerPerformanceRows(sql: Sql, projectId: string, secret: string): AsyncGenerator<Record<string, unknown>[]> {
  const rows = await performanceFor(sql, projectId);
  yield rows.map((r) => ({
    reader: exportPseudonym(secret, projectId, r.userId),
    reads: r.reads,
    gold_reads: r.goldReads,
    ...est('gold_accuracy', r.goldAccuracy),
    ...est('gold_sensitivity', r.goldSensitivity),
    ...est('gold_specificity', r.goldSpecificity),
    ...est('rolling_gold_accuracy', r.rollingGoldAccuracy),
    rolling_gold_reads: r.rollingGoldAccuracy?.slices ?? null,
    interval_method: 'wilson 95%',
    kappa_with_others: r.agreementWithOthers?.kappa ?? null,
    kappa_with_others_low: r.agreementWithOthers?.kappaLow ?? null,
    kappa_with_others_high: r.agreementWithOthers?.kappaHigh ?? null,
    paired_reads: r.agreementWithOthers?.pairs ?? 0,
    intra_reader_kappa: r.intraReader?.kappa ?? null,
    repeat_pairs: r.intraReader?.pairs ?? 0,
    median_seconds: r.medianSecondsPerRead,
    p90_seconds: r.p90SecondsPerRead,
    timed_reads: r.timedReads,
    fast_reads: r.fastReads,
    median_screen_seconds: r.medianScreenSeconds,
    calibration_answered: r.calibration?.answered ?? null,
    calibration_accuracy: r.calibration?.accuracy?.value ?? null,
    calibration_passed: r.calibration?.passed ?? null,
    flagged: r.flagged,
    paused: r.paused,
  }));
}

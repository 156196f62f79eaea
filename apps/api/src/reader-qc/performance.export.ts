/**
 * The `reader-performance` export: the lead's per-reader figures as rows, readers as the same
 * per-project pseudonyms the other exports use (HMAC-SHA256 of the user id, keyed by secret and
 * project), never usernames. Computed, not streamed from SQL: one row per reader, keyed like a
 * driver row (camelCase); the export route writes READER_PERFORMANCE_COLUMNS, its published names.
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

const est = (name: string, e: Estimate | null) => ({ [name]: e?.value ?? null, [`${name}Low`]: e?.low ?? null, [`${name}High`]: e?.high ?? null });

export async function* readerPerformanceRows(sql: Sql, projectId: string, secret: string): AsyncGenerator<Record<string, unknown>[]> {
  const rows = await performanceFor(sql, projectId);
  yield rows.map((r) => ({
    reader: exportPseudonym(secret, projectId, r.userId),
    reads: r.reads,
    goldReads: r.goldReads,
    ...est('goldAccuracy', r.goldAccuracy),
    ...est('goldSensitivity', r.goldSensitivity),
    ...est('goldSpecificity', r.goldSpecificity),
    ...est('rollingGoldAccuracy', r.rollingGoldAccuracy),
    rollingGoldReads: r.rollingGoldAccuracy?.slices ?? null,
    intervalMethod: 'wilson 95%',
    kappaWithOthers: r.agreementWithOthers?.kappa ?? null,
    kappaWithOthersLow: r.agreementWithOthers?.kappaLow ?? null,
    kappaWithOthersHigh: r.agreementWithOthers?.kappaHigh ?? null,
    pairedReads: r.agreementWithOthers?.pairs ?? 0,
    intraReaderKappa: r.intraReader?.kappa ?? null,
    repeatPairs: r.intraReader?.pairs ?? 0,
    medianSeconds: r.medianSecondsPerRead,
    p90Seconds: r.p90SecondsPerRead,
    timedReads: r.timedReads,
    fastReads: r.fastReads,
    medianScreenSeconds: r.medianScreenSeconds,
    calibrationAnswered: r.calibration?.answered ?? null,
    calibrationAccuracy: r.calibration?.accuracy?.value ?? null,
    calibrationPassed: r.calibration?.passed ?? null,
    flagged: r.flagged,
    paused: r.paused,
  }));
}

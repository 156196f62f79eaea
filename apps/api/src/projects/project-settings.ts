import type { Sql } from '@concord/db';
import { AL_STRATEGIES } from '@concord/contracts';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import type { ProjectSettingsInput } from '../graphql/generated.js';
import { getProject, type ProjectRow } from './projects.queries.js';
import { resolveSeriesRules } from '../ingest/series-rules.js';
import { validateAlSettings } from './al-settings.js';

// margin is accepted for projects that chose it, though it ranks exactly as entropy (TR7).
const STRATEGIES: readonly string[] = AL_STRATEGIES;

function check(ok: boolean, message: string): void {
  if (!ok) throw new ConcordError(ErrorCode.BAD_INPUT, message);
}

/** Validates every field before writing any, so a bad field changes nothing. */
export async function updateProjectSettings(sql: Sql, projectId: string, s: ProjectSettingsInput, actorId: string): Promise<ProjectRow> {
  const p = await getProject(sql, projectId);
  if (s.readsPerSlice != null) check(Number.isInteger(s.readsPerSlice) && s.readsPerSlice >= 1 && s.readsPerSlice <= 5, 'Reads per slice must be 1–5.');
  if (s.leaseSeconds != null) check(Number.isInteger(s.leaseSeconds) && s.leaseSeconds >= 10 && s.leaseSeconds <= 86400, 'Lease time must be 10 s to 24 h.');
  if (s.reasonCodes != null)
    check(
      s.reasonCodes.length > 0 && s.reasonCodes.every((c) => /^[A-Z0-9_]{2,40}$/.test(c)),
      'Reason codes are 2–40 characters of A–Z, 0–9 and _; give at least one.',
    );
  if (s.repeatRate != null) check(s.repeatRate >= 0 && s.repeatRate <= 0.5, 'Repeat rate must be between 0 and 0.5.');
  if (s.repeatWashout != null) check(Number.isInteger(s.repeatWashout) && s.repeatWashout >= 0, 'Washout must be a whole number of slices, 0 or more.');
  if (s.retrainEvery != null) check(Number.isInteger(s.retrainEvery) && s.retrainEvery >= 0, 'Retrain interval must be 0 (off) or more labels.');
  if (s.alStrategy != null) check(STRATEGIES.includes(s.alStrategy), `Strategy must be one of ${STRATEGIES.join(', ')}.`);
  if (s.screeningK != null) check(Number.isInteger(s.screeningK) && s.screeningK >= 0 && s.screeningK <= 50, 'Screening k must be 0–50.');
  validateAlSettings(s, p);
  if (s.goldRate != null)
    check(Number.isFinite(s.goldRate) && s.goldRate >= 0 && s.goldRate <= 0.5, 'Gold rate must be between 0 and 0.5 (share of new leases).');
  if (s.calibrationPassAt != null)
    check(
      Number.isFinite(s.calibrationPassAt) && s.calibrationPassAt > 0 && s.calibrationPassAt <= 1,
      'The calibration pass mark must be above 0 and at most 1, e.g. 0.8.',
    );
  if (s.calibrationRequired === true) {
    const [any] = await sql`select 1 from calibration_slices where project_id = ${projectId} limit 1`;
    check(!!any, 'Add calibration slices (addCalibrationSlices) before requiring calibration.');
  }
  if (s.goldFlagBelow != null)
    check(
      Number.isFinite(s.goldFlagBelow) && s.goldFlagBelow >= 0 && s.goldFlagBelow < 1,
      'The gold flag threshold must be 0 (off) or a share below 1, e.g. 0.8.',
    );
  if (s.readsPerSlice != null && s.readsPerSlice !== p.reads_per_slice) {
    const [started] = await sql`select 1 from reads where project_id = ${projectId} limit 1`;
    check(!started, 'Reads per slice cannot change once labelling has started.');
  }
  const rules = s.seriesRules ? { ...p.series_rules, ...Object.fromEntries(Object.entries(s.seriesRules).filter(([, v]) => v != null)) } : p.series_rules;
  resolveSeriesRules(rules);
  return sql.begin(async (tx) => {
    const [row] = await tx<ProjectRow[]>`
      update projects set
        reads_per_slice = ${s.readsPerSlice ?? p.reads_per_slice},
        lease_seconds = ${s.leaseSeconds ?? p.lease_seconds},
        reason_codes = ${s.reasonCodes ?? p.reason_codes},
        repeat_rate = ${s.repeatRate ?? p.repeat_rate},
        repeat_washout = ${s.repeatWashout ?? p.repeat_washout},
        adjudicator_may_have_read = ${s.adjudicatorMayHaveRead ?? p.adjudicator_may_have_read},
        retrain_every = ${s.retrainEvery ?? p.retrain_every},
        al_strategy = ${s.alStrategy ?? p.al_strategy},
        screening_k = ${s.screeningK ?? p.screening_k},
        al_batch_size = ${s.alBatchSize ?? p.al_batch_size},
        al_max_per_patient = ${s.alMaxPerPatient ?? p.al_max_per_patient},
        al_min_gap = ${s.alMinGap ?? p.al_min_gap},
        promotion_tolerance = ${s.promotionTolerance ?? p.promotion_tolerance},
        al_audit_share = ${s.alAuditShare ?? p.al_audit_share},
        evaluation_share = ${s.evaluationShare ?? p.evaluation_share},
        target_sensitivity = ${s.targetSensitivity ?? p.target_sensitivity},
        gold_rate = ${s.goldRate ?? p.gold_rate},
        gold_flag_below = ${s.goldFlagBelow == null ? p.gold_flag_below : s.goldFlagBelow === 0 ? null : s.goldFlagBelow},
        pause_flagged_readers = ${s.pauseFlaggedReaders ?? p.pause_flagged_readers},
        calibration_required = ${s.calibrationRequired ?? p.calibration_required},
        calibration_pass_at = ${s.calibrationPassAt ?? p.calibration_pass_at},
        series_rules = ${tx.json(rules as never)}
      where id = ${projectId} returning *`;
    if (s.readsPerSlice != null) {
      await tx`update slices set reads_required = ${s.readsPerSlice} where project_id = ${projectId}`;
    }
    await tx`insert into audit_log (project_id, actor_id, action, payload) values (${projectId}, ${actorId}, 'PROJECT_SETTINGS', ${tx.json(s as never)})`;
    return row;
  });
}

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
  if (s.readsPerSlice != null && s.readsPerSlice !== p.readsPerSlice) {
    const [started] = await sql`select 1 from reads where project_id = ${projectId} limit 1`;
    check(!started, 'Reads per slice cannot change once labelling has started.');
  }
  const rules = s.seriesRules ? { ...p.seriesRules, ...Object.fromEntries(Object.entries(s.seriesRules).filter(([, v]) => v != null)) } : p.seriesRules;
  resolveSeriesRules(rules);
  return sql.begin(async (tx) => {
    const [row] = await tx<ProjectRow[]>`
      update projects set
        reads_per_slice = ${s.readsPerSlice ?? p.readsPerSlice},
        lease_seconds = ${s.leaseSeconds ?? p.leaseSeconds},
        reason_codes = ${s.reasonCodes ?? p.reasonCodes},
        repeat_rate = ${s.repeatRate ?? p.repeatRate},
        repeat_washout = ${s.repeatWashout ?? p.repeatWashout},
        adjudicator_may_have_read = ${s.adjudicatorMayHaveRead ?? p.adjudicatorMayHaveRead},
        retrain_every = ${s.retrainEvery ?? p.retrainEvery},
        al_strategy = ${s.alStrategy ?? p.alStrategy},
        screening_k = ${s.screeningK ?? p.screeningK},
        al_batch_size = ${s.alBatchSize ?? p.alBatchSize},
        al_max_per_patient = ${s.alMaxPerPatient ?? p.alMaxPerPatient},
        al_min_gap = ${s.alMinGap ?? p.alMinGap},
        promotion_tolerance = ${s.promotionTolerance ?? p.promotionTolerance},
        al_audit_share = ${s.alAuditShare ?? p.alAuditShare},
        evaluation_share = ${s.evaluationShare ?? p.evaluationShare},
        target_sensitivity = ${s.targetSensitivity ?? p.targetSensitivity},
        gold_rate = ${s.goldRate ?? p.goldRate},
        gold_flag_below = ${s.goldFlagBelow == null ? p.goldFlagBelow : s.goldFlagBelow === 0 ? null : s.goldFlagBelow},
        pause_flagged_readers = ${s.pauseFlaggedReaders ?? p.pauseFlaggedReaders},
        calibration_required = ${s.calibrationRequired ?? p.calibrationRequired},
        calibration_pass_at = ${s.calibrationPassAt ?? p.calibrationPassAt},
        series_rules = ${tx.json(rules as never)}
      where id = ${projectId} returning *`;
    if (s.readsPerSlice != null) {
      await tx`update slices set reads_required = ${s.readsPerSlice} where project_id = ${projectId}`;
    }
    await tx`insert into audit_log (project_id, actor_id, action, payload) values (${projectId}, ${actorId}, 'PROJECT_SETTINGS', ${tx.json(s as never)})`;
    return row;
  });
}

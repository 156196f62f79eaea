import type { Resolvers } from '../graphql/generated.js';
import { hasAnyRole, requireProjectRole, requireRole, requireUser } from '../auth/guard.js';
import { addProjectMember } from '../users/users.queries.js';
import { createProject, getProject, projectProgress, projectsForUser } from './projects.queries.js';
import { updateProjectSettings } from './project-settings.js';
import { seriesRulesFrom } from './series-rules-view.js';

export const projectsResolvers: Resolvers = {
  Query: {
    projects: async (_p, _a, ctx) => {
      const u = requireUser(ctx.user);
      return projectsForUser(ctx.sql, u.id, u.roles.includes('ADMIN'));
    },
    project: async (_p, { id }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, id, ['ADMIN', 'LEAD', 'ADJUDICATOR', 'LABELER']);
      return getProject(ctx.sql, id);
    },
  },
  Mutation: {
    createProject: async (_p, { name, readsPerSlice }, ctx) => {
      const u = requireRole(ctx.user, ['ADMIN']);
      const p = await createProject(ctx.sql, { name, readsPerSlice: readsPerSlice ?? 2 });
      await addProjectMember(ctx.sql, p.id, u.id);
      return p;
    },
    updateProject: async (_p, { id, settings }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, id, ['ADMIN']);
      return updateProjectSettings(ctx.sql, id, settings, u.id);
    },
  },
  Project: {
    readsPerSlice: (p) => p.reads_per_slice,
    leaseSeconds: (p) => p.lease_seconds,
    reasonCodes: (p) => p.reason_codes,
    repeatRate: (p) => p.repeat_rate,
    repeatWashout: (p) => p.repeat_washout,
    adjudicatorMayHaveRead: (p) => p.adjudicator_may_have_read,
    retrainEvery: (p) => p.retrain_every,
    alStrategy: (p) => p.al_strategy,
    screeningK: (p) => p.screening_k,
    alBatchSize: (p) => p.al_batch_size,
    alMaxPerPatient: (p) => p.al_max_per_patient,
    alMinGap: (p) => p.al_min_gap,
    promotionTolerance: (p) => p.promotion_tolerance,
    alAuditShare: (p) => p.al_audit_share,
    evaluationShare: (p) => p.evaluation_share,
    targetSensitivity: (p) => p.target_sensitivity,
    goldRate: (p) => p.gold_rate,
    goldFlagBelow: (p) => p.gold_flag_below,
    pauseFlaggedReaders: (p) => p.pause_flagged_readers,
    calibrationRequired: (p) => p.calibration_required,
    calibrationPassAt: (p) => p.calibration_pass_at,
    seriesRules: (p) => seriesRulesFrom(p.series_rules),
    progress: async (p, _a, ctx) => {
      const u = requireUser(ctx.user);
      if (!hasAnyRole(u, ['LEAD', 'ADMIN'])) return null;
      const r = await projectProgress(ctx.sql, p.id);
      return {
        slices: r.slices,
        readsDone: r.reads_done,
        readsRequired: r.reads_required,
        finalLabels: r.final_labels,
        openAdjudications: r.open_adjudications,
        positiveFinal: r.positive_final,
      };
    },
  },
};

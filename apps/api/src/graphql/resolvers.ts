import type { Resolvers } from './generated.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { login } from '../auth/auth.service.js';
import { unlockLogin } from '../auth/rate-limit.js';
import { revokeSession } from '../auth/sessions.queries.js';
import { hasAnyRole, isUuid, requireProjectRole, requireRole, requireUser } from '../auth/guard.js';
import { clearedSessionCookie, sessionCookie } from '../server/cookies.js';
import { createProject, getProject, projectProgress, projectsForUser } from '../projects/projects.queries.js';
import { updateProjectSettings } from '../projects/project-settings.js';
import { addProjectMember, createUser, getUser, listUsers, setUserRoles } from '../users/users.queries.js';
import { MAX_LOOKAHEAD, nextSlice, nextSlices as nextSlicesFor } from '../assignment/assignment.service.js';
import { selectsField } from './selection.js';
import { labelerProgress } from '../assignment/assignment.queries.js';
import { skipSlice, submitLabel } from '../labels/labels.service.js';
import { adjudicate } from '../adjudication/adjudication.service.js';
import { openItemsFor } from '../adjudication/adjudication.queries.js';
import { seriesRulesFrom } from './series-rules-view.js';
import { afterLabel } from './after-label.js';
import type { SliceModel } from './models.js';
import { agreementResolver, ingestResolvers, trainingResolvers } from './feature-resolvers.js';
import { readerQcResolvers } from '../reader-qc/reader-qc.resolvers.js';

const imageUrl = (sliceId: string) => `/images/${sliceId}`;
const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

export const resolvers: Resolvers = {
  Query: {
    me: (_p, _a, ctx) => requireUser(ctx.user),
    projects: async (_p, _a, ctx) => {
      const u = requireUser(ctx.user);
      return projectsForUser(ctx.sql, u.id, u.roles.includes('ADMIN'));
    },
    project: async (_p, { id }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, id, ['ADMIN', 'LEAD', 'ADJUDICATOR', 'LABELER']);
      return getProject(ctx.sql, id);
    },
    nextSlice: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['LABELER']);
      const a = await nextSlice(ctx.sql, projectId, u.id);
      return a;
    },
    nextSlices: async (_p, { projectId, count }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['LABELER']);
      return nextSlicesFor(ctx.sql, projectId, u.id, count ?? 2);
    },
    myProgress: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['LABELER']);
      return labelerProgress(ctx.sql, projectId, u.id);
    },
    adjudicationQueue: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['ADJUDICATOR']);
      const p = await getProject(ctx.sql, projectId);
      return openItemsFor(ctx.sql, projectId, u.id, p.adjudicator_may_have_read);
    },
    agreement: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, ['LEAD', 'ADMIN']);
      return agreementResolver(ctx.sql, projectId);
    },
    users: async (_p, _a, ctx) => {
      requireRole(ctx.user, ['ADMIN']);
      return listUsers(ctx.sql);
    },
    ...ingestResolvers.Query,
    ...trainingResolvers.Query,
    ...readerQcResolvers.Query,
  },
  Mutation: {
    login: async (_p, { username, password }, ctx) => {
      const r = await login(ctx.sql, { username, password, ip: ctx.ip, ttlHours: ctx.config.sessionTtlHours });
      ctx.setCookie(sessionCookie(r.token, ctx.config.sessionTtlHours * 3600, ctx.secureCookie));
      return { token: r.token, user: r.user };
    },
    logout: async (_p, _a, ctx) => {
      if (ctx.token) {
        await revokeSession(ctx.sql, ctx.token);
        ctx.sessions.forgetToken(ctx.token);
      }
      ctx.setCookie(clearedSessionCookie());
      return true;
    },
    submitLabel: async (_p, { sliceId, value, clientRequestId, screenSeconds, lookahead }, ctx, info) => {
      const u = requireRole(ctx.user, ['LABELER']);
      if (!isUuid(sliceId)) throw new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
      if (lookahead != null && !(lookahead >= 1 && lookahead <= MAX_LOOKAHEAD)) {
        throw new ConcordError(ErrorCode.BAD_INPUT, `lookahead is how many leases to return: 1 to ${MAX_LOOKAHEAD}.`);
      }
      // Leases only for a client that asked for them: a lease holds a place on a slice.
      const lease = lookahead ?? (selectsField(info, ['next', 'upcoming']) ? 1 : 0);
      const r = await submitLabel(ctx.sql, { sliceId, userId: u.id, value, clientRequestId: clientRequestId ?? null, screenSeconds: screenSeconds ?? null, lease });
      if (!r.duplicate) {
        ctx.onLabelStored?.();
        afterLabel(ctx, r.projectId, u.id, r.outcome, r.progress);
      }
      const progress = r.progress ?? (selectsField(info, ['progress']) ? await labelerProgress(ctx.sql, r.projectId, u.id) : null);
      return {
        ok: true, sliceId: r.sliceId, value: r.value, duplicate: r.duplicate, feedback: r.feedback ?? null,
        next: r.next?.[0] ?? null, upcoming: r.next ?? null, progress,
      };
    },
    skipSlice: async (_p, { sliceId, reason }, ctx) => {
      const u = requireRole(ctx.user, ['LABELER']);
      if (!isUuid(sliceId)) throw new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
      const r = await skipSlice(ctx.sql, { sliceId, userId: u.id, reason });
      void ctx.hub.sendQueueSize(r.projectId, u.id);
      return true;
    },
    adjudicate: async (_p, { itemId, value, reason, note }, ctx) => {
      const u = requireRole(ctx.user, ['ADJUDICATOR']);
      const row = await adjudicate(ctx.sql, { itemId, userId: u.id, value, reason, note: note ?? null });
      void ctx.hub.broadcastAdjudicationQueue(row.project_id);
      void ctx.hub.broadcastProgress(row.project_id);
      afterLabel(ctx, row.project_id, null, 'ADJUDICATED');
      return { id: String(row.id), itemId: row.item_id, value: row.value, reason: row.reason_code, note: row.note, createdAt: iso(row.created_at)! };
    },
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
    createUser: async (_p, { username, password, roles, projectIds }, ctx) => {
      const u = requireRole(ctx.user, ['ADMIN']);
      for (const p of projectIds ?? []) await requireProjectRole(ctx.sql, ctx.user, p, ['ADMIN']);
      return createUser(ctx.sql, { username, password, roles, projectIds: projectIds ?? [], actorId: u.id });
    },
    setUserRoles: async (_p, { userId, roles }, ctx) => {
      const u = requireRole(ctx.user, ['ADMIN']);
      if (!isUuid(userId)) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such user.');
      if (userId === u.id && !roles.includes('ADMIN')) {
        throw new ConcordError(ErrorCode.BAD_INPUT, 'You cannot remove your own admin role; ask another admin.');
      }
      const updated = await setUserRoles(ctx.sql, userId, roles, u.id);
      ctx.sessions.apply({ userId });
      return updated;
    },
    unlockUser: async (_p, { userId }, ctx) => {
      const u = requireRole(ctx.user, ['ADMIN']);
      if (!isUuid(userId) || !(await unlockLogin(ctx.sql, userId, u.id))) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such user.');
      return true;
    },
    addProjectMember: async (_p, { projectId, userId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, ['ADMIN']);
      if (!isUuid(userId) || !(await getUser(ctx.sql, userId))) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such user.');
      await addProjectMember(ctx.sql, projectId, userId);
      return true;
    },
    ...ingestResolvers.Mutation,
    ...trainingResolvers.Mutation,
    ...readerQcResolvers.Mutation,
  },
  User: {
    projects: async (user, _a, ctx) => projectsForUser(ctx.sql, user.id, user.roles.includes('ADMIN')),
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
        slices: r.slices, readsDone: r.reads_done, readsRequired: r.reads_required, finalLabels: r.final_labels,
        openAdjudications: r.open_adjudications, positiveFinal: r.positive_final,
      };
    },
  },
  Assignment: {
    leaseExpiresAt: (a) => iso(a.expires_at)!,
    // A lease from submitLabel's round trip carries its slice: no second query for it.
    slice: async (a, _x, ctx) => a.slice ?? sliceById(ctx.sql, a.slice_id),
  },
  Slice: {
    imageUrl: (s) => imageUrl(s.id),
    windowCenter: (s) => s.window_center,
    windowWidth: (s) => s.window_width,
    series: async (s, _a, ctx) => {
      const [row] = await ctx.sql<{ id: string; description: string | null }[]>`select id, description from series where id = ${s.series_id}`;
      return row;
    },
  },
  Series: {
    slices: async (se, _a, ctx) => {
      const rows = await ctx.sql<{ id: string; position: number }[]>`
        select id, position from slices where series_id = ${se.id} order by position`;
      return rows.map((r) => ({ id: r.id, position: r.position, imageUrl: imageUrl(r.id) }));
    },
  },
  AdjudicationItem: {
    slice: (i, _a, ctx) => sliceById(ctx.sql, i.slice_id),
    reads: (i) => [{ reader: 'A', value: i.read_a_value }, { reader: 'B', value: i.read_b_value }],
    openedAt: (i) => iso(i.opened_at)!,
  },
  ...ingestResolvers.types,
  ...trainingResolvers.types,
};

async function sliceById(sql: import('@concord/db').Sql, id: string): Promise<SliceModel> {
  const [row] = await sql<SliceModel[]>`
    select id, series_id, position, window_center, window_width from slices where id = ${id}`;
  if (!row) throw new ConcordError(ErrorCode.SLICE_NOT_FOUND, 'That slice no longer exists.');
  return row;
}

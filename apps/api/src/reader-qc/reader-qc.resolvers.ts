import type { Resolvers } from '../graphql/generated.js';
import { requireProjectRole } from '../auth/guard.js';
import { addGoldSlices } from './gold.service.js';
import { performanceFor, resumeReader } from './reader-qc.service.js';
import { addCalibrationSlices, unlockReader } from './calibration.service.js';
import { calibrationState } from './calibration.queries.js';

const LEADS = ['LEAD', 'ADMIN'] as const;

/** Reader QC for leads and admins of the project [RQ12]; labelers get FORBIDDEN before any lookup. */
export const readerQcResolvers: Resolvers = {
  Query: {
    // [RQ15] A labeler's own state only: nothing about other readers or the set's answers.
    myCalibration: async (_p, { projectId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, ['LABELER']);
      const c = await calibrationState(ctx.sql, projectId, u.id);
      return { required: c.required, answered: c.answered, correct: c.correct, total: c.total, passAt: c.passAt, passed: c.passed };
    },
    readerPerformance: async (_p, { projectId }, ctx) => {
      await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return performanceFor(ctx.sql, projectId);
    },
  },
  Mutation: {
    addGoldSlices: async (_p, { projectId, items }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return addGoldSlices(ctx.sql, projectId, items, u.id);
    },
    addCalibrationSlices: async (_p, { projectId, items }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return addCalibrationSlices(ctx.sql, projectId, items, u.id);
    },
    unlockReader: async (_p, { projectId, userId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return unlockReader(ctx.sql, projectId, userId, u.id);
    },
    resumeReader: async (_p, { projectId, userId }, ctx) => {
      const u = await requireProjectRole(ctx.sql, ctx.user, projectId, LEADS);
      return resumeReader(ctx.sql, projectId, userId, u.id);
    },
  },
};

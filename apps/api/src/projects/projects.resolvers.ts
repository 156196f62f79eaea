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
    seriesRules: (p) => seriesRulesFrom(p.seriesRules),
    progress: async (p, _a, ctx) => {
      const u = requireUser(ctx.user);
      if (!hasAnyRole(u, ['LEAD', 'ADMIN'])) return null;
      return projectProgress(ctx.sql, p.id);
    },
  },
};

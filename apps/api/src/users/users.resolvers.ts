import type { Resolvers } from '../graphql/generated.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { isUuid, requireProjectRole, requireRole } from '../auth/guard.js';
import { unlockLogin } from '../auth/rate-limit.js';
import { projectsForUser } from '../projects/projects.queries.js';
import { addProjectMember, createUser, getUser, listUsers, setUserRoles } from './users.queries.js';

/** Accounts, roles and project membership: admins only. */
export const usersResolvers: Resolvers = {
  Query: {
    users: async (_p, _a, ctx) => {
      requireRole(ctx.user, ['ADMIN']);
      return listUsers(ctx.sql);
    },
  },
  Mutation: {
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
  },
  User: {
    projects: async (user, _a, ctx) => projectsForUser(ctx.sql, user.id, user.roles.includes('ADMIN')),
  },
};

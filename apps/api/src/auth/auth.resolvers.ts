import type { Resolvers } from '../graphql/generated.js';
import { login } from './auth.service.js';
import { revokeSession } from './sessions.queries.js';
import { requireUser } from './guard.js';
import { clearedSessionCookie, sessionCookie } from '../server/cookies.js';

export const authResolvers: Resolvers = {
  Query: {
    me: (_p, _a, ctx) => requireUser(ctx.user),
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
  },
};

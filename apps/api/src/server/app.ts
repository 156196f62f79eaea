import http from 'node:http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { REPO_ROOT } from '../config/config.js';
import { SessionCache } from '../auth/session-cache.js';
import { resolvers } from '../graphql/resolvers.js';
import { formatError } from '../graphql/errors.js';
import type { AppServices, RequestContext } from './context.js';
import { RealtimeHub } from '../realtime/hub.js';
import { imagesRoute } from '../images/images.route.js';
import { exportRoute } from '../export/export.route.js';
import { srZipRoute } from '../structured-report/sr-zip.route.js';
import { uploadRoute } from '../upload/upload.route.js';
import { maybeEnqueueAfterLabels } from '../model-versions/training-bridge.js';
import { createMetrics } from '../metrics/metrics.js';
import { Coalescer } from './coalesce.js';
import { endWithError, errorAnswer, jsonErrorHandler, jsonNotFound } from './http-errors.js';
import { sessionOf, signedIn } from './rest-user.js';
import { registerSafetyNetMetrics } from './safety-net.js';
import { crossSiteGuard, REQUEST_HEADER } from './cross-site.js';
import { metricsAccess } from '../metrics/metrics-access.js';
import { operationLabel } from '../metrics/operations.js';
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from '../graphql/query-limits.js';
import { graphqlHandler, graphqlResponder } from './graphql-http.js';
import { graphqlFastPath } from './graphql-fast-path.js';
import { socketIdOf } from './socket-header.js';
import { SOCKET_HEADER } from '@concord/contracts';

export interface BuiltApp {
  httpServer: http.Server;
  hub: RealtimeHub;
  sessions: SessionCache;
  /** Deferred work (the retrain check); closed first on shutdown. */
  background: Coalescer;
  apollo: ApolloServer<RequestContext>;
  setReady(ready: boolean): void;
}

/** express.json's limit on /graphql bodies, which the fast path keeps too. */
const GRAPHQL_BODY_LIMIT = 1024 * 1024;
/** The latency histogram's route for a fast-path request, made once rather than per label. */
const graphqlRoute = () => '/graphql';

/** CORS headers for an allowed Origin; true when the request had one. */
function allowOrigins(corsOrigins: readonly string[]) {
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (!origin || !corsOrigins.includes(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', `content-type, authorization, apollo-require-preflight, ${REQUEST_HEADER}, ${SOCKET_HEADER}`);
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    return true;
  };
}

export async function buildApp(base: Omit<AppServices, 'hub' | 'sessions'>, logger: Logger, corsOrigins: string[]): Promise<BuiltApp> {
  const app = express();
  app.disable('x-powered-by');
  // Only configured proxies may name the client (CONCORD_TRUST_PROXY); the login limits key on req.ip.
  app.set('trust proxy', base.config.trustProxy);
  // Plain JSON POSTs to /graphql skip Express (graphql-fast-path.ts); everything else is Express'.
  // fastPath is built below, once Apollo has started: no request arrives before listen().
  const httpServer = http.createServer((req, res) => {
    if (!fastPath(req, res)) app(req, res);
  });
  const metrics = createMetrics(base.sql, () => hub);
  app.use(metrics.httpMiddleware);
  registerSafetyNetMetrics(metrics.registry);
  const sessions = new SessionCache(base.sql, base.config.sessionCacheSeconds * 1000);
  await sessions.listen();
  const hub = new RealtimeHub(base.sql, sessions, httpServer, corsOrigins, base.config.databaseUrl, (e) => logger.error({ err: e }, 'socket handler failed'));
  await hub.listen();
  const services: AppServices = { ...base, hub, sessions };
  // The retrain check counts the project's fresh final labels; once per window is enough, and
  // the round it may enqueue is a singleton job anyway.
  const background = new Coalescer(250, (e) => logger.error({ err: e }, 'background task failed'));
  let ready = false;

  const queryLimits = base.config.queryLimits ?? DEFAULT_QUERY_LIMITS;
  const typeDefs = fs.readFileSync(path.join(REPO_ROOT, 'schema.graphql'), 'utf8');
  const apollo = new ApolloServer<RequestContext>({
    typeDefs,
    resolvers: resolvers as never,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Responses are per user and never HTTP-cached; the default plugin hooked every field.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          const end = metrics.graphqlLatency.startTimer();
          return {
            async willSendResponse(rc) {
              end({ operation: operationLabel(rc.operationName) });
            },
          };
        },
      },
    ],
    formatError: (formatted, error) => formatError(formatted, error, (e) => logger.error({ err: e }, 'unexpected resolver error')),
    introspection: base.config.introspection,
    validationRules: queryLimitRules(queryLimits),
    parseOptions: { maxTokens: queryLimits.tokens },
  });
  await apollo.start();

  const cors = allowOrigins(corsOrigins);
  app.use((req, res, next) => {
    if (cors(req, res) && req.method === 'OPTIONS') return res.status(204).end();
    next();
  });
  const respond = graphqlResponder(apollo, async ({ req, res, ip, secure }): Promise<RequestContext> => {
    const { token, user } = await sessionOf(services, req);
    return {
      ...services,
      user,
      token,
      socketId: socketIdOf(req.headers),
      ip,
      setCookie: (v) => res.appendHeader('Set-Cookie', v),
      secureCookie: base.config.cookieSecure === 'auto' ? secure : base.config.cookieSecure,
      log: (e) => logger.error({ err: e }, 'background task failed'),
      onFinalLabel: (projectId) => background.run(`retrain:${projectId}`, () => maybeEnqueueAfterLabels(services.sql, projectId)),
      onLabelStored: () => metrics.labels.inc(),
    };
  });
  const fastPath = graphqlFastPath({
    trust: app.get('trust proxy fn'),
    limitBytes: GRAPHQL_BODY_LIMIT,
    begin: (req, res) => {
      metrics.timeHttp(res, graphqlRoute, 'POST');
      cors(req, res);
    },
    answer: respond,
    onError: (e, res) => {
      const { code, message } = errorAnswer(e, logger);
      endWithError(res, code, message);
    },
  });
  // /graphql first: nearly every request is one, and Express tries each route in turn.
  app.use('/graphql', express.json({ limit: GRAPHQL_BODY_LIMIT }), graphqlHandler(respond));
  app.get('/health', (_req, res) => res.json({ ok: true }));
  app.get('/ready', async (_req, res) => {
    try {
      await services.sql`select 1`;
      res.status(ready ? 200 : 503).json({ ready });
    } catch {
      res.status(503).json({ ready: false });
    }
  });
  app.get('/metrics', metricsAccess(base.config.metricsAllow, base.config.metricsToken), async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  });
  // Cross-site refusal first (before any session lookup) [XS1], then the one session check: the
  // routes read their caller from req.user, and every refusal goes to jsonErrorHandler [ER3].
  const notCrossSite = crossSiteGuard(corsOrigins);
  const caller = signedIn(services);
  app.get('/images/:sliceId', notCrossSite, caller, imagesRoute(services));
  app.get('/export/:projectId/sr.zip', notCrossSite, caller, srZipRoute(services));
  app.get('/export/:projectId/:kind', notCrossSite, caller, exportRoute(services));
  app.post('/upload', notCrossSite, caller, uploadRoute(services, logger));
  // Last: every REST error as JSON with its code's status, never a stack [ER1][ER2].
  app.use(jsonNotFound);
  app.use(jsonErrorHandler(logger));
  return {
    httpServer,
    hub,
    sessions,
    background,
    apollo,
    setReady: (r) => {
      ready = r;
    },
  };
}

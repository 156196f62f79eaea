import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Sql } from '@concord/db';
import { hashToken, type AuthChange, type AuthUser } from '../auth/sessions.queries.js';
import type { SessionCache } from '../auth/session-cache.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { CLIENT_EVENTS } from './client-events.js';
import { onGuarded } from './socket-guard.js';
import { tokenFromCookieHeader } from '../server/cookies.js';
import { socketOriginAllowed } from '../server/cross-site.js';
import { requireProjectRole } from '../auth/guard.js';
import { EVENT_AUDIENCE, type ServerEvent } from '@concord/contracts';
import { ROLES, type Role } from './roles.js';
import { AdapterPool } from './adapter-pool.js';

/**
 * The adapter's heartbeat timeout: peers heartbeat every 5 s, so a node has heard from every
 * live peer by then (it is also when the adapter itself gives a silent peer up). Only after it
 * may "no peers" be trusted.
 */
export const PEERS_KNOWN_AFTER_MS = 10_000;

export const roleRoom = (projectId: string, role: Role) => `p:${projectId}:r:${role}`;
const userRoom = (projectId: string, userId: string) => `p:${projectId}:u:${userId}`;

export interface SocketServerOptions {
  corsOrigins: string[];
  /** With a URL, sockets reach every API node through the PostgreSQL adapter. */
  databaseUrl?: string;
  /** Called after a socket joined a project: the fan-out sends it its first figures, and everyone presence. */
  onJoined(projectId: string, user: AuthUser, socket: Socket): void;
  /** Called when a socket that had joined projects leaves. */
  onLeft(projectIds: Iterable<string>): void;
  /** How long after start "no peers" is not yet trusted (default PEERS_KNOWN_AFTER_MS; tests shorten it). */
  peersKnownAfterMs?: number;
  log(e: unknown): void;
}

/**
 * The transport: the Socket.io server, its handshake (the session a socket is bound to), rooms by
 * project and role or user, and delivery to this node or across nodes. It knows nothing of what
 * an event means; the fan-out (fan-out.ts) decides what to send and to whom.
 */
export class SocketServer {
  readonly io: Server;
  private adapterPool?: AdapterPool;
  private readonly startedAt = Date.now();
  /**
   * Each socket's session token. Not in socket.data, which the cluster adapter copies to peers
   * (fetchSockets) through PostgreSQL.
   */
  private readonly tokens = new WeakMap<Socket, string>();

  constructor(
    private readonly sql: Sql,
    private readonly sessions: SessionCache,
    http: HttpServer,
    private readonly opts: SocketServerOptions,
  ) {
    const { corsOrigins, databaseUrl } = opts;
    this.io = new Server(http, {
      path: '/socket.io',
      cors: { origin: corsOrigins, credentials: true },
      serveClient: false,
      // Cross-site WebSocket hijacking: a page elsewhere could open a socket with the user's cookie.
      allowRequest: (req, callback) => {
        const ok = socketOriginAllowed(req.headers, corsOrigins);
        callback(ok ? null : 'origin not allowed', ok);
      },
    });
    if (databaseUrl) {
      // The adapter speaks node-postgres only: a small second pool, used for nothing else, is
      // the price of Socket.io across API nodes with PostgreSQL as the only infrastructure.
      this.adapterPool = new AdapterPool(databaseUrl);
      this.io.adapter(createAdapter(this.adapterPool.forAdapter(), { errorHandler: () => {} }));
    }
    this.io.use(async (socket, next) => {
      try {
        const fromAuth: unknown = socket.handshake.auth?.token;
        const token = typeof fromAuth === 'string' && fromAuth ? fromAuth : tokenFromCookieHeader(socket.handshake.headers.cookie);
        const user = token ? await this.sessions.userForToken(token) : null;
        if (!user || !token) return next(Object.assign(new Error('UNAUTHENTICATED'), { data: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } }));
        // The socket is bound to its session [SS1]: revoking that session or changing the
        // user's roles ends it (endSessions), and every join re-reads the session.
        this.tokens.set(socket, token);
        socket.data.tokenHash = hashToken(token);
        socket.data.user = user;
        socket.data.projects = new Set<string>();
        next();
      } catch {
        next(new Error('INTERNAL'));
      }
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    // Every node hears auth changes (NOTIFY concord_auth) through its session cache.
    this.sessions.onChange((change) => this.endSessions(change));
  }

  /**
   * Disconnects this node's sockets whose session a change revoked [SS1][SS2]: a logout names its
   * token, a role change or disabling names the user (the socket's rooms follow its roles, so it
   * must come back through a fresh handshake). `null` means changes may have been missed (the
   * LISTEN connection dropped): every socket's session is read again.
   */
  private endSessions(change: AuthChange | null): void {
    for (const socket of this.io.of('/').sockets.values()) {
      if (change === null) {
        void this.sessions
          .verifyToken(this.tokens.get(socket) ?? '')
          .then((u) => {
            if (!u) socket.disconnect(true);
          })
          .catch((e) => this.opts.log(e));
      } else if ('tokenHash' in change ? socket.data.tokenHash === change.tokenHash : (socket.data.user as AuthUser).id === change.userId) {
        socket.disconnect(true);
      }
    }
  }

  private onConnection(socket: Socket): void {
    // engine.io keeps the HTTP request that opened the connection for the socket's lifetime;
    // nothing reads it after the handshake (socket.handshake holds its headers and auth), so it
    // is let go: Socket.io's own advice for memory per connection (bench/labeling, 1,000 sockets).
    (socket.conn as unknown as { request: unknown }).request = null;
    // A logout whose NOTIFY arrived while this handshake was still reading the session found no
    // socket to end. Read it once more now that the socket is registered: whatever was revoked
    // before this read shows here, whatever after it reaches endSessions.
    void this.sessions
      .verifyToken(this.tokens.get(socket) ?? '')
      .then((u) => {
        if (!u) socket.disconnect(true);
      })
      .catch((e) => this.opts.log(e));
    onGuarded(
      socket,
      'join',
      CLIENT_EVENTS.join,
      async ({ projectId }) => {
        // Re-read the session: a socket opened before a logout must not join anything after it.
        const user = await this.sessions.verifyToken(this.tokens.get(socket) ?? '');
        if (!user) {
          setImmediate(() => socket.disconnect(true));
          throw new ConcordError(ErrorCode.UNAUTHENTICATED, 'Your session has ended. Sign in again.');
        }
        socket.data.user = user;
        await requireProjectRole(this.sql, user, projectId, ROLES);
        for (const role of user.roles) await socket.join(roleRoom(projectId, role));
        await socket.join(userRoom(projectId, user.id));
        (socket.data.projects as Set<string>).add(projectId);
        // After the acknowledgement, and never thrown into the join: a peer that does not answer
        // fetchSockets must not fail a join that succeeded.
        setImmediate(() => this.opts.onJoined(projectId, user, socket));
      },
      this.opts.log,
    );
    socket.on('disconnect', () => this.opts.onLeft(socket.data.projects as Set<string>));
  }

  /** Every socket of a project, on every node: presence is computed from them. */
  projectSockets(projectId: string) {
    return this.io.in(ROLES.map((r) => roleRoom(projectId, r))).fetchSockets();
  }

  /** Sends an event to every role in its audience in that project. */
  emit(event: ServerEvent, localOnly = false): void {
    const rooms = EVENT_AUDIENCE[event.type].map((r) => roleRoom(event.projectId, r));
    void this.via(localOnly)
      .then((io) => io.to(rooms).emit('event', event))
      .catch(() => {});
  }

  /**
   * Sends an event to one user; callers check the user's roles against EVENT_AUDIENCE.
   * `exceptSocket`: one of the user's sockets that already has what the event says [RT5] (every
   * socket is in a room named by its id, so naming another user's socket here excludes nothing).
   */
  emitToUser(projectId: string, userId: string, event: ServerEvent, localOnly = false, exceptSocket?: string): void {
    void this.via(localOnly)
      .then((io) => {
        const to = io.to(userRoom(projectId, userId));
        (exceptSocket ? to.except(exceptSocket) : to).emit('event', event);
      })
      .catch(() => {});
  }

  /**
   * Every emit through the cluster adapter is a NOTIFY round trip, and with one node that was
   * about 15% of both the API's and PostgreSQL's CPU per label (bench/labeling). So a node that
   * has heard from no peer since PEERS_KNOWN_AFTER_MS after it started emits locally. A peer
   * announces itself when it starts and heartbeats every 5 s, so this loses events only for
   * a peer silent for 10 s (stopped, or its event loop blocked that long). Every non-local
   * emit takes the same steps here, so they keep their order.
   */
  private async via(localOnly: boolean): Promise<Server | Server['local']> {
    return localOnly || (await this.aloneInCluster()) ? this.io.local : this.io;
  }

  /** No peer heard from, and long enough since start that one would have been (see via). */
  private async aloneInCluster(): Promise<boolean> {
    const peers = (await this.io.of('/').adapter.serverCount()) - 1;
    return peers === 0 && Date.now() - this.startedAt >= (this.opts.peersKnownAfterMs ?? PEERS_KNOWN_AFTER_MS);
  }

  /**
   * Whether an event of this type for this project could reach any socket [RT4]: false only when
   * this node emits locally (via) and none of its sockets is in a room of the event's audience.
   * The fan-out then skips the query behind the event: `progress` scans the project's slices,
   * once per window while labels flow, and most of the time no lead is watching.
   */
  async hasAudience(type: ServerEvent['type'], projectId: string): Promise<boolean> {
    if (!(await this.aloneInCluster())) return true;
    const rooms = this.io.of('/').adapter.rooms;
    return EVENT_AUDIENCE[type].some((r) => (rooms.get(roleRoom(projectId, r))?.size ?? 0) > 0);
  }

  async close(): Promise<void> {
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    await this.adapterPool?.end();
  }
}

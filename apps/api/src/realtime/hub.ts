import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { Sql } from '@concord/db';
import { hashToken, type AuthChange, type AuthUser } from '../auth/sessions.queries.js';
import type { SessionCache } from '../auth/session-cache.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { CLIENT_EVENTS } from './client-events.js';
import { onGuarded } from './socket-guard.js';
import { tokenFromCookieHeader } from '../server/cookies.js';
import { socketOriginAllowed } from '../server/cross-site.js';
import { requireProjectRole } from '../auth/guard.js';
import { EVENT_AUDIENCE, EVENTS_CHANNEL, type ServerEvent } from '@concord/contracts';
import { ROLES, type Role } from './roles.js';
import { labelerProgress } from '../assignment/assignment.queries.js';
import { openItemCount } from '../adjudication/adjudication.queries.js';
import { projectProgress } from '../projects/projects.queries.js';
import { Coalescer } from '../server/coalesce.js';

/** Window in which project-wide broadcasts are merged into one. */
const COALESCE_MS = 250;
/**
 * The adapter's heartbeat timeout: peers heartbeat every 5 s, so a node has heard from every
 * live peer by then (it is also when the adapter itself gives a silent peer up). Only after it
 * may "no peers" be trusted.
 */
const PEERS_KNOWN_AFTER_MS = 10_000;

const roleRoom = (projectId: string, role: Role) => `p:${projectId}:r:${role}`;
const userRoom = (projectId: string, userId: string) => `p:${projectId}:u:${userId}`;

/** A message on the NOTIFY channel: an event plus, optionally, the one user it is for. */
export interface NotifyEnvelope { event: ServerEvent; userId?: string }

export class RealtimeHub {
  readonly io: Server;
  private unlisten?: () => Promise<void>;
  private adapterPool?: pg.Pool;
  private readonly coalescer = new Coalescer(COALESCE_MS);
  private readonly startedAt = Date.now();
  /**
   * Each socket's session token. Not in socket.data, which the cluster adapter copies to peers
   * (fetchSockets) through PostgreSQL.
   */
  private readonly tokens = new WeakMap<Socket, string>();

  constructor(
    private readonly sql: Sql, private readonly sessions: SessionCache, http: HttpServer, corsOrigins: string[], databaseUrl?: string,
    private readonly log: (e: unknown) => void = () => {},
  ) {
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
      this.adapterPool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'concord-socketio' });
      this.adapterPool.on('error', () => {});
      // The adapter's LISTEN client is checked out of the pool, where pg would throw its errors
      // (e.g. a database restart) as uncaught; the adapter reconnects on 'end' by itself.
      this.adapterPool.on('connect', (client) => client.on('error', () => {}));
      this.io.adapter(createAdapter(this.adapterPool, { errorHandler: () => {} }));
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
        void this.sessions.verifyToken(this.tokens.get(socket) ?? '')
          .then((u) => { if (!u) socket.disconnect(true); })
          .catch((e) => this.log(e));
      } else if ('tokenHash' in change ? socket.data.tokenHash === change.tokenHash : (socket.data.user as AuthUser).id === change.userId) {
        socket.disconnect(true);
      }
    }
  }

  /** Events published by other processes (trainer, CLI ingest) arrive through PostgreSQL NOTIFY. */
  async listen(): Promise<void> {
    const sub = await this.sql.listen(EVENTS_CHANNEL, (payload) => {
      try {
        // Either a bare ServerEvent (the trainer) or an envelope naming one recipient.
        const parsed = JSON.parse(payload) as NotifyEnvelope | ServerEvent;
        const env: NotifyEnvelope = 'event' in parsed ? parsed : { event: parsed };
        if (!env.event || !(env.event.type in EVENT_AUDIENCE)) return;
        // Local only: every node receives the NOTIFY itself, so a cluster-wide emit would repeat it.
        if (env.userId) this.emitToUser(env.event.projectId, env.userId, env.event, true);
        else this.emit(env.event, true);
      } catch { /* malformed payloads are dropped: nothing to deliver */ }
    });
    this.unlisten = () => sub.unlisten();
  }

  private onConnection(socket: Socket): void {
    // A logout whose NOTIFY arrived while this handshake was still reading the session found no
    // socket to end. Read it once more now that the socket is registered: whatever was revoked
    // before this read shows here, whatever after it reaches endSessions.
    void this.sessions.verifyToken(this.tokens.get(socket) ?? '')
      .then((u) => { if (!u) socket.disconnect(true); })
      .catch((e) => this.log(e));
    onGuarded(socket, 'join', CLIENT_EVENTS.join, async ({ projectId }) => {
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
      setImmediate(() => {
        void this.sendInitial(projectId, user).then(() => this.broadcastPresence(projectId)).catch((e) => this.log(e));
      });
    }, this.log);
    socket.on('disconnect', () => {
      // fetchSockets rejects when a peer that just went down does not answer: an unhandled
      // rejection there would take this node down too.
      for (const p of socket.data.projects as Set<string>) void this.broadcastPresence(p).catch(() => {});
    });
  }

  private async sendInitial(projectId: string, user: AuthUser): Promise<void> {
    if (user.roles.includes('LABELER')) await this.sendQueueSize(projectId, user.id);
    if (user.roles.some((r) => EVENT_AUDIENCE['adjudication:queue'].includes(r))) {
      this.emitToUser(projectId, user.id, { type: 'adjudication:queue', projectId, size: await openItemCount(this.sql, projectId) });
    }
    if (user.roles.some((r) => EVENT_AUDIENCE.progress.includes(r))) {
      this.emitToUser(projectId, user.id, await this.progressEvent(projectId));
    }
  }

  /**
   * Every join and leave changes presence, and each broadcast goes to every socket of the project:
   * per event that is O(sockets²) while 1,000 labelers connect (bench/labeling timed out there).
   * Changes inside the window share one trailing broadcast of the latest state.
   */
  broadcastPresence(projectId: string): Promise<void> {
    return this.coalescer.run(`presence:${projectId}`, () => this.presenceNow(projectId));
  }

  private async presenceNow(projectId: string): Promise<void> {
    const sockets = await this.io.in(ROLES.map((r) => roleRoom(projectId, r))).fetchSockets();
    const users = new Map<string, AuthUser>();
    for (const s of sockets) users.set((s.data.user as AuthUser).id, s.data.user as AuthUser);
    const online = ROLES.map((role) => {
      const holders = [...users.values()].filter((u) => u.roles.includes(role));
      return { role, count: holders.length, usernames: holders.map((u) => u.username).sort() };
    });
    const countsOnly = online.map((o) => ({ ...o, usernames: [] as string[] }));
    for (const s of sockets) {
      // Labelers see counts only: names are for the people who run the project.
      const seesNames = (s.data.user as AuthUser).roles.some((r) => r !== 'LABELER');
      s.emit('event', { type: 'presence', projectId, online: seesNames ? online : countsOnly } satisfies ServerEvent);
    }
  }

  /** Sends an event to every role in its audience in that project. */
  emit(event: ServerEvent, localOnly = false): void {
    const rooms = EVENT_AUDIENCE[event.type].map((r) => roleRoom(event.projectId, r));
    void this.via(localOnly).then((io) => io.to(rooms).emit('event', event)).catch(() => {});
  }

  /** Sends an event to one user; callers check the user's roles against EVENT_AUDIENCE. */
  emitToUser(projectId: string, userId: string, event: ServerEvent, localOnly = false): void {
    void this.via(localOnly).then((io) => io.to(userRoom(projectId, userId)).emit('event', event)).catch(() => {});
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
    if (localOnly) return this.io.local;
    const peers = (await this.io.of('/').adapter.serverCount()) - 1;
    return peers > 0 || Date.now() - this.startedAt < PEERS_KNOWN_AFTER_MS ? this.io : this.io.local;
  }

  async sendQueueSize(projectId: string, userId: string): Promise<void> {
    const { queueSize, readsDone } = await labelerProgress(this.sql, projectId, userId);
    this.emitToUser(projectId, userId, { type: 'queue:size', projectId, size: queueSize, readsDone });
  }

  async progressEvent(projectId: string): Promise<ServerEvent> {
    const p = await projectProgress(this.sql, projectId);
    return {
      type: 'progress', projectId, slices: p.slices, readsDone: p.reads_done, readsRequired: p.reads_required,
      finalLabels: p.final_labels, openAdjudications: p.open_adjudications, positiveFinal: p.positive_final,
    };
  }

  /**
   * Project-wide figures cost a scan of the project's slices, and every label asks for them.
   * Requests inside the window share one trailing computation, so a burst of labels costs one
   * scan per window and the last state is always sent.
   */
  broadcastProgress(projectId: string): Promise<void> {
    return this.coalescer.run(`progress:${projectId}`, async () => this.emit(await this.progressEvent(projectId)));
  }

  broadcastAdjudicationQueue(projectId: string): Promise<void> {
    return this.coalescer.run(`adjq:${projectId}`, async () =>
      this.emit({ type: 'adjudication:queue', projectId, size: await openItemCount(this.sql, projectId) }));
  }

  async close(): Promise<void> {
    this.coalescer.close();
    await this.unlisten?.();
    this.io.disconnectSockets(true);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    await this.adapterPool?.end().catch(() => {});
  }
}

/** For processes without sockets: publish through PostgreSQL, the API nodes deliver. */
export async function publishEvent(sql: Sql, event: ServerEvent, userId?: string): Promise<void> {
  const env: NotifyEnvelope = userId ? { event, userId } : { event };
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(env)})`;
}

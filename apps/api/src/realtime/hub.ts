import type { Server as HttpServer } from 'node:http';
import type { Sql } from '@concord/db';
import type { SessionCache } from '../auth/session-cache.js';
import type { ServerEvent } from '@concord/contracts';
import { SocketServer } from './socket-server.js';
import { ProjectFanOut } from './fan-out.js';
import { listenForEvents } from './notify-bridge.js';

export { publishEvent } from './notify-bridge.js';

/**
 * The realtime side of one API node, assembled: the transport (socket-server.ts: handshake,
 * rooms, delivery), the fan-out (fan-out.ts: what each project's sockets are told) and the
 * NOTIFY bridge (notify-bridge.ts: events from other processes). Callers use this one object.
 */
export class RealtimeHub {
  private readonly sockets: SocketServer;
  private readonly fanOut: ProjectFanOut;
  private unlisten?: () => Promise<void>;

  constructor(
    private readonly sql: Sql,
    sessions: SessionCache,
    http: HttpServer,
    corsOrigins: string[],
    databaseUrl?: string,
    private readonly log: (e: unknown) => void = () => {},
  ) {
    this.sockets = new SocketServer(sql, sessions, http, {
      corsOrigins,
      databaseUrl,
      log,
      onJoined: (projectId, user, socket) => this.fanOut.joined(projectId, user, socket),
      onLeft: (projectIds) => this.fanOut.left(projectIds),
    });
    this.fanOut = new ProjectFanOut(sql, this.sockets, log);
  }

  get io() {
    return this.sockets.io;
  }

  async listen(): Promise<void> {
    this.unlisten = await listenForEvents(
      this.sql,
      (env) => {
        if (env.userId) this.sockets.emitToUser(env.event.projectId, env.userId, env.event, true);
        else this.sockets.emit(env.event, true);
      },
      (why) =>
        this.log(new Error(`a NOTIFY message on the events channel was refused (${why}): a process of another release, or not Concord, publishes there`)),
    );
  }

  emit(event: ServerEvent, localOnly = false): void {
    this.sockets.emit(event, localOnly);
  }
  emitToUser(projectId: string, userId: string, event: ServerEvent, localOnly = false, exceptSocket?: string): void {
    this.sockets.emitToUser(projectId, userId, event, localOnly, exceptSocket);
  }
  sendQueueSize(projectId: string, userId: string): Promise<void> {
    return this.fanOut.sendQueueSize(projectId, userId);
  }
  progressEvent(projectId: string): Promise<ServerEvent> {
    return this.fanOut.progressEvent(projectId);
  }
  broadcastPresence(projectId: string): Promise<void> {
    return this.fanOut.broadcastPresence(projectId);
  }
  broadcastProgress(projectId: string): Promise<void> {
    return this.fanOut.broadcastProgress(projectId);
  }
  broadcastAdjudicationQueue(projectId: string): Promise<void> {
    return this.fanOut.broadcastAdjudicationQueue(projectId);
  }

  async close(): Promise<void> {
    this.fanOut.close();
    await this.unlisten?.();
    await this.sockets.close();
  }
}

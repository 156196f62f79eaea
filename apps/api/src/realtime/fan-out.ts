import type { Sql } from '@concord/db';
import type { AuthUser } from '../auth/sessions.queries.js';
import { EVENT_AUDIENCE, type ServerEvent } from '@concord/contracts';
import { ROLES } from './roles.js';
import { labelerProgress } from '../assignment/assignment.queries.js';
import { openItemCount } from '../adjudication/adjudication.queries.js';
import { projectProgress } from '../projects/projects.queries.js';
import { Coalescer } from '../server/coalesce.js';
import type { SocketServer } from './socket-server.js';

/** The socket that just joined (on this node): its first figures are sent to it directly. */
type JoinedSocket = { emit(ev: 'event', event: ServerEvent): unknown };

/** Window in which project-wide broadcasts are merged into one. */
const COALESCE_MS = 250;

/**
 * What the project's sockets are told and when: the figures a socket gets on joining, presence,
 * queue sizes, progress and the adjudication queue, read from the database and coalesced per
 * project. Delivery itself is the transport's (socket-server.ts).
 */
export class ProjectFanOut {
  private readonly coalescer = new Coalescer(COALESCE_MS);

  constructor(
    private readonly sql: Sql,
    private readonly sockets: SocketServer,
    private readonly log: (e: unknown) => void,
  ) {}

  /**
   * A socket joined: its first figures, then everyone's presence. The figures go to that socket
   * alone [RT6]: the user's other sockets already have them, and a second copy reached a tab
   * after it had started counting its own labels' events.
   */
  joined(projectId: string, user: AuthUser, socket: JoinedSocket): void {
    void this.sendInitial(projectId, user, socket)
      .then(() => this.broadcastPresence(projectId))
      .catch((e) => this.log(e));
  }

  left(projectIds: Iterable<string>): void {
    // fetchSockets rejects when a peer that just went down does not answer: an unhandled
    // rejection there would take this node down too.
    for (const p of projectIds) void this.broadcastPresence(p).catch(() => {});
  }

  private async sendInitial(projectId: string, user: AuthUser, socket: JoinedSocket): Promise<void> {
    const send = (event: ServerEvent) => socket.emit('event', event);
    if (user.roles.includes('LABELER')) send(await this.queueSizeEvent(projectId, user.id));
    if (user.roles.some((r) => EVENT_AUDIENCE['adjudication:queue'].includes(r))) {
      send({ type: 'adjudication:queue', projectId, size: await openItemCount(this.sql, projectId) });
    }
    if (user.roles.some((r) => EVENT_AUDIENCE.progress.includes(r))) send(await this.progressEvent(projectId));
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
    const sockets = await this.sockets.projectSockets(projectId);
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

  async sendQueueSize(projectId: string, userId: string): Promise<void> {
    this.sockets.emitToUser(projectId, userId, await this.queueSizeEvent(projectId, userId));
  }

  private async queueSizeEvent(projectId: string, userId: string): Promise<ServerEvent> {
    const { queueSize, readsDone } = await labelerProgress(this.sql, projectId, userId);
    return { type: 'queue:size', projectId, size: queueSize, readsDone };
  }

  async progressEvent(projectId: string): Promise<ServerEvent> {
    const p = await projectProgress(this.sql, projectId);
    return {
      type: 'progress',
      projectId,
      slices: p.slices,
      readsDone: p.readsDone,
      readsRequired: p.readsRequired,
      finalLabels: p.finalLabels,
      openAdjudications: p.openAdjudications,
      positiveFinal: p.positiveFinal,
    };
  }

  /**
   * Project-wide figures cost a scan of the project's slices, and every label asks for them.
   * Requests inside the window share one trailing computation, so a burst of labels costs one
   * scan per window and the last state is always sent.
   */
  broadcastProgress(projectId: string): Promise<void> {
    return this.coalescer.run(`progress:${projectId}`, async () => {
      // Nobody of the audience connected: no scan [RT4]. One who joins later gets the figures on joining.
      if (await this.sockets.hasAudience('progress', projectId)) this.sockets.emit(await this.progressEvent(projectId));
    });
  }

  broadcastAdjudicationQueue(projectId: string): Promise<void> {
    return this.coalescer.run(`adjq:${projectId}`, async () => {
      if (!(await this.sockets.hasAudience('adjudication:queue', projectId))) return;
      this.sockets.emit({ type: 'adjudication:queue', projectId, size: await openItemCount(this.sql, projectId) });
    });
  }

  close(): void {
    this.coalescer.close();
  }
}

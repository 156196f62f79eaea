import type { Sql, FileStore } from '@concord/db';
import type { Config } from '../config/config.js';
import type { AuthUser } from '../auth/sessions.queries.js';
import type { RealtimeHub } from '../realtime/hub.js';
import type { SessionCache } from '../auth/session-cache.js';

export interface AppServices {
  sql: Sql;
  config: Config;
  store: FileStore;
  hub: RealtimeHub;
  sessions: SessionCache;
}

export interface RequestContext extends AppServices {
  user: AuthUser | null;
  token: string | undefined;
  /** The caller's own Socket.io connection, as the client names it (SOCKET_HEADER); unverified. */
  socketId: string | undefined;
  ip: string;
  /** Lets resolvers set or clear the session cookie on the HTTP response. */
  setCookie(value: string): void;
  /** Whether the session cookie gets `Secure` (CONCORD_COOKIE_SECURE; 'auto': the request came over HTTPS). */
  secureCookie: boolean;
  log?: (e: unknown) => void;
  /** Called after a slice gets its final label (retraining trigger). */
  onFinalLabel?: (projectId: string) => Promise<void>;
  onLabelStored?: () => void;
}

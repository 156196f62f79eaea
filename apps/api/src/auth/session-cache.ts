import type { Sql } from '@concord/db';
import { AUTH_CHANNEL, hashToken, sessionByHash, type AuthChange, type AuthUser } from './sessions.queries.js';

const MAX_ENTRIES = 20_000;

/**
 * Sessions resolved in this process, so a request does not pay a database round trip to learn
 * who is calling. How long a revoked session or role can keep working:
 * - on this node, not at all: logout and role changes evict before they answer;
 * - on other nodes, until AUTH_CHANNEL's NOTIFY arrives (sent in the changing transaction);
 * - at most `ttlMs` whatever happens (a notification lost while the LISTEN connection was down,
 *   a row edited by hand), because entries are re-read from the database after that.
 * Only successful lookups are kept; unknown tokens always go to the database.
 */
export class SessionCache {
  private readonly entries = new Map<string, { user: AuthUser; until: number }>();
  /** Bumped by every eviction: a lookup that raced one must not store its (maybe stale) answer. */
  private generation = 0;
  private unlisten?: () => Promise<void>;
  /** Told of every eviction; `null` after a reconnect, when changes may have been missed. */
  private readonly listeners: ((change: AuthChange | null) => void)[] = [];

  constructor(
    private readonly sql: Sql,
    private readonly ttlMs: number,
  ) {}

  async listen(): Promise<void> {
    const sub = await this.sql.listen(
      AUTH_CHANNEL,
      (payload) => {
        try {
          this.apply(JSON.parse(payload) as AuthChange);
        } catch {
          this.clear();
          this.tell(null);
        }
      },
      // Called on every (re)connect: notifications sent while disconnected are lost.
      () => {
        this.clear();
        this.tell(null);
      },
    );
    this.unlisten = () => sub.unlisten();
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    this.clear();
  }

  async userForToken(token: string): Promise<AuthUser | null> {
    const key = hashToken(token);
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.user;
    if (hit) this.entries.delete(key);
    const generation = this.generation;
    const found = await sessionByHash(this.sql, key);
    if (!found) return null;
    if (this.ttlMs > 0 && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { user: found.user, until: Math.min(now + this.ttlMs, found.expiresAt.getTime()) });
    }
    return found.user;
  }

  /** Whatever else holds a session (open sockets) hears of its end here. */
  onChange(listener: (change: AuthChange | null) => void): void {
    this.listeners.push(listener);
  }

  /** Straight from the database, for rare checks that must not trust the cache (a socket's join). */
  async verifyToken(token: string): Promise<AuthUser | null> {
    const found = await sessionByHash(this.sql, hashToken(token));
    return found?.user ?? null;
  }

  apply(change: AuthChange): void {
    this.generation++;
    if ('tokenHash' in change) this.entries.delete(change.tokenHash);
    else for (const [key, e] of this.entries) if (e.user.id === change.userId) this.entries.delete(key);
    this.tell(change);
  }

  private tell(change: AuthChange | null): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        /* a listener's failure must not stop the eviction or the others */
      }
    }
  }

  forgetToken(token: string): void {
    this.apply({ tokenHash: hashToken(token) });
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

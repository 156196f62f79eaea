/** Server-side settings, read per request so one build serves any deployment. */
export function apiOrigin(): string {
  return (process.env.CONCORD_API_URL || 'http://127.0.0.1:4000').replace(/\/$/, '');
}

/**
 * Where the browser opens Socket.io. An explicit CONCORD_PUBLIC_SOCKET_URL wins; otherwise
 * only the API port is returned and the browser keeps its own host name, because the session
 * cookie belongs to the host the user logged in on (localhost vs 127.0.0.1 matters).
 */
export function socketTarget(): { url: string | null; port: string } {
  const explicit = process.env.CONCORD_PUBLIC_SOCKET_URL || process.env.NEXT_PUBLIC_CONCORD_SOCKET_URL || null;
  const port = new URL(apiOrigin()).port || '80';
  return { url: explicit, port };
}

export const SESSION_COOKIE = 'concord_session';

export function tokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== SESSION_COOKIE) continue;
    // A cookie the client mangled (`%E0%A4%A`) is no session, not a server error [ER1]: the
    // request goes on unauthenticated, so logging in again still works.
    try {
      return decodeURIComponent(v.join('=')) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function tokenFromRequest(headers: { authorization?: string; cookie?: string }): string | undefined {
  const auth = headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  return tokenFromCookieHeader(headers.cookie);
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; HttpOnly; Path=/; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; Path=/; SameSite=Lax; Max-Age=0`;
}

import type { IncomingHttpHeaders } from 'node:http';
import { SOCKET_HEADER } from '@concord/contracts';

/**
 * The request's own Socket.io connection as the client names it (SOCKET_HEADER, sent by the web
 * app with a label), so an event the answer already carries skips that socket [RT5]. Socket.io
 * ids are short base64url strings: anything else is ignored, not refused.
 */
export function socketIdOf(headers: IncomingHttpHeaders): string | undefined {
  const v = headers[SOCKET_HEADER];
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : undefined;
}

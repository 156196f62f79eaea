import { createHash, timingSafeEqual } from 'node:crypto';
import proxyaddr from 'proxy-addr';
import type { Request, Response, NextFunction } from 'express';
import { ErrorCode } from '../errors/codes.js';
import { sendError } from '../server/http-errors.js';

/**
 * /metrics reveals load, queue sizes and process details: only configured addresses (the client
 * address as `trust proxy` resolves it) or a bearer token may read it.
 */
export function metricsAccess(allow: readonly string[], token: string | undefined) {
  const trusted = proxyaddr.compile([...allow]);
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const expected = token ? digest(token) : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (expected && bearer && timingSafeEqual(digest(bearer), expected)) return next();
    if (req.ip && trusted(req.ip, 0)) return next();
    sendError(
      res,
      ErrorCode.FORBIDDEN,
      'Metrics are readable from the configured addresses (CONCORD_METRICS_ALLOW) or with the metrics token (CONCORD_METRICS_TOKEN).',
    );
  };
}

import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ConcordError, ErrorCode, httpStatusFor, isConcordError } from '../errors/codes.js';

// The one mapping lives with the codes, in @concord/contracts; routes and tests import it from here.
export { httpStatusFor, assertUnreachable } from '../errors/codes.js';

/** The body of every REST error: a code from the closed vocabulary and a message a user can act on. */
export interface RestErrorBody {
  code: ErrorCode;
  message: string;
}

export function sendError(res: Response, code: ErrorCode, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(httpStatusFor(code)).json({ code, message } satisfies RestErrorBody);
}

/** The same answer for a response outside Express (the /graphql fast path): status, JSON media type, body. */
export function endWithError(res: ServerResponse, code: ErrorCode, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code, message } satisfies RestErrorBody);
  res.writeHead(httpStatusFor(code), { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export const MALFORMED = 'The request is malformed (bad encoding, headers or body). Check what the client sends.';
const INTERNAL_MESSAGE = 'Something went wrong on the server. Try again; if it persists, tell your admin.';

/** Express' and body-parser's own client errors carry a 4xx `status`; they are the client's fault. */
function clientErrorStatus(e: unknown): number | undefined {
  const s = typeof e === 'object' && e ? ((e as { status?: unknown; statusCode?: unknown }).status ?? (e as { statusCode?: unknown }).statusCode) : undefined;
  return typeof s === 'number' && s >= 400 && s < 500 ? s : undefined;
}

/**
 * What a failed request answers [ER1][ER2]: a ConcordError's own code and message; Express' and
 * body-parser's client errors as BAD_INPUT; anything else as INTERNAL, logged. Never a stack,
 * never an internal message: those go to the log.
 */
export function errorAnswer(err: unknown, logger: Logger): RestErrorBody {
  if (isConcordError(err)) return { code: err.code, message: err.message };
  if (clientErrorStatus(err) !== undefined) return { code: ErrorCode.BAD_INPUT, message: MALFORMED };
  logger.error({ err }, 'unexpected REST error');
  return { code: ErrorCode.INTERNAL, message: INTERNAL_MESSAGE };
}

/** The last middleware: whatever a REST route throws becomes `{ code, message }` with the status httpStatusFor gives. */
export function jsonErrorHandler(logger: Logger) {
  // Express recognises error handlers by their four parameters.
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const { code, message } = errorAnswer(err, logger);
    sendError(res, code, message);
  };
}

/** Unknown paths answer JSON too, not Express' HTML page. */
export function jsonNotFound(_req: Request, res: Response): void {
  sendError(res, ErrorCode.NOT_FOUND, 'No such endpoint. The API serves /graphql, /images, /export, /upload, /health, /ready and /metrics.');
}

/** For routes: a ConcordError the handler above turns into its status. */
export const restError = (code: ErrorCode, message: string) => new ConcordError(code, message);

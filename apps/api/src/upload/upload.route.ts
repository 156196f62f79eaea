import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AppServices } from '../server/context.js';
import { restUser } from '../server/rest-user.js';
import { sendError } from '../server/http-errors.js';
import { requireProjectRole } from '../auth/guard.js';
import { ConcordError, ErrorCode, isConcordError } from '../errors/codes.js';
import { receiveMultipart } from './multipart-to-disk.js';
import { runIngest } from './run-ingest.js';

/** Files in one upload; a study zipped counts as one. */
const MAX_FILES = 10_000;
/** How long a refused upload may keep sending before its connection is cut. */
const DRAIN_MS = 5_000;

/**
 * POST /upload?projectId=… (multipart: files and/or .zip archives). Admins only. Parts stream to
 * a temporary folder under the data directory (capped per request and per file), ingest reads
 * that folder, and the folder is removed whatever happens. The batch summary is returned when
 * ingest finishes; progress goes out as `ingest:progress` events meanwhile. Behind `signedIn`.
 */
export function uploadRoute(services: AppServices, logger: Logger) {
  const root = path.join(services.config.dataDir, 'tmp', 'uploads');
  return async (req: Request, res: Response) => {
    const user = restUser(req);
    const projectId = String(req.query.projectId ?? '');
    await requireProjectRole(services.sql, user, projectId, ['ADMIN']);
    if (
      !String(req.headers['content-type'] ?? '')
        .toLowerCase()
        .startsWith('multipart/form-data')
    ) {
      throw new ConcordError(ErrorCode.BAD_INPUT, 'Send the files as multipart/form-data.');
    }
    await fs.promises.mkdir(root, { recursive: true });
    const dir = await fs.promises.mkdtemp(path.join(root, 'u-'));
    try {
      let files: Awaited<ReturnType<typeof receiveMultipart>>;
      try {
        files = await receiveMultipart(req, dir, {
          maxBytes: services.config.uploadMaxBytes,
          maxFileBytes: services.config.uploadMaxFileBytes,
          maxFiles: MAX_FILES,
        });
      } catch (e) {
        refuseUnread(req, res, e);
        return;
      }
      if (files.length === 0) throw new ConcordError(ErrorCode.BAD_INPUT, 'No files in the upload.');
      try {
        const summary = await runIngest(services, { projectId, userId: user.id, label: `upload (${files.length} file${files.length === 1 ? '' : 's'})`, dir });
        res.json(summary);
      } catch (e) {
        logger.error({ err: e }, 'upload ingest failed');
        throw new ConcordError(
          ErrorCode.INGEST_FAILED,
          'The upload could not be ingested. Files reported so far are kept in the batch; try again or use the CLI.',
        );
      }
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true }).catch((e) => logger.warn({ err: e }, 'upload folder not removed'));
    }
  };
}

/**
 * Answers a refused upload while its body may still be arriving: the rest is read and dropped
 * (so the client sees the answer rather than a reset), and the connection closes after it, or
 * is cut if the client keeps sending.
 */
function refuseUnread(req: Request, res: Response, e: unknown): void {
  // Not req.destroyed: a request whose body was read to the end counts as destroyed too.
  if (res.writableEnded || !req.socket || req.socket.destroyed) return;
  res.setHeader('Connection', 'close');
  const err = isConcordError(e) ? e : new ConcordError(ErrorCode.BAD_INPUT, 'The upload could not be read.');
  sendError(res, err.code, err.message);
  req.resume();
  const cut = setTimeout(() => req.destroy(), DRAIN_MS);
  cut.unref();
  req.once('end', () => clearTimeout(cut));
}

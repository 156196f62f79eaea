import type { Request, Response } from 'express';
import busboy from 'busboy';
import type { Logger } from 'pino';
import type { AppServices } from '../server/context.js';
import { tokenFromRequest } from '../server/cookies.js';
import { requireProjectRole } from '../auth/guard.js';
import { isConcordError } from '../errors/codes.js';
import { runIngest } from './run-ingest.js';

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * POST /upload?projectId=… (multipart: files and/or .zip archives). Admins only. Files are
 * buffered per part, handed to ingest, and the batch id is returned when ingest finishes;
 * progress goes out as `ingest:progress` events meanwhile.
 */
export function uploadRoute(services: AppServices, logger: Logger) {
  return async (req: Request, res: Response) => {
    const token = tokenFromRequest(req.headers);
    const user = token ? await services.sessions.userForToken(token) : null;
    if (!user) return res.status(401).json({ code: 'UNAUTHENTICATED', message: 'Sign in first.' });
    const projectId = String(req.query.projectId ?? '');
    try {
      await requireProjectRole(services.sql, user, projectId, ['ADMIN']);
    } catch (e) {
      if (isConcordError(e)) return res.status(e.code === 'FORBIDDEN' ? 403 : 404).json({ code: e.code, message: e.message });
      throw e;
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      return res.status(400).json({ code: 'BAD_INPUT', message: 'Send the files as multipart/form-data.' });
    }
    const files: { name: string; bytes: Uint8Array }[] = [];
    let total = 0;
    let tooBig = false;
    await new Promise<void>((resolve, reject) => {
      const bb = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES } });
      bb.on('file', (_field, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => { total += c.length; if (total > MAX_UPLOAD_BYTES) tooBig = true; else chunks.push(c); });
        stream.on('end', () => files.push({ name: info.filename || `file-${files.length + 1}`, bytes: Buffer.concat(chunks) }));
      });
      bb.on('close', () => resolve());
      bb.on('error', reject);
      req.pipe(bb);
    });
    if (tooBig) return res.status(413).json({ code: 'BAD_INPUT', message: 'Upload larger than 4 GiB; ingest it from the server with the CLI.' });
    if (files.length === 0) return res.status(400).json({ code: 'BAD_INPUT', message: 'No files in the upload.' });
    try {
      const summary = await runIngest(services, { projectId, userId: user.id, label: `upload (${files.length} file${files.length === 1 ? '' : 's'})`, files });
      res.json(summary);
    } catch (e) {
      logger.error({ err: e }, 'upload ingest failed');
      res.status(500).json({ code: 'INGEST_FAILED', message: 'The upload could not be ingested. Nothing partial was kept; try again or use the CLI.' });
    }
  };
}

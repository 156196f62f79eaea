import fs from 'node:fs';
import type { Request, Response } from 'express';
import type { AppServices } from '../server/context.js';
import { restUser } from '../server/rest-user.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { isUuid } from '../auth/guard.js';
import { canViewSlice } from './image-access.queries.js';

/**
 * GET /images/:sliceId — the de-identified DICOM for the viewer. A labeler may fetch the
 * slices of series they hold (or held) an assignment in, nothing else; every refusal is the
 * same 404 so ids cannot be probed. Behind `signedIn`.
 */
export function imagesRoute(services: AppServices) {
  return async (req: Request, res: Response) => {
    const user = restUser(req);
    const sliceId = String(req.params.sliceId);
    const notFound = () => new ConcordError(ErrorCode.NOT_FOUND, 'No such image, or you may not view it.');
    if (!isUuid(sliceId)) throw notFound();
    const fileKey = await canViewSlice(services.sql, user, sliceId);
    if (!fileKey) throw notFound();
    const file = services.store.pathOf(fileKey);
    if (!fs.existsSync(file)) throw notFound();
    res.setHeader('Content-Type', 'application/dicom');
    // Private: an authorised image must not land in a shared cache.
    res.setHeader('Cache-Control', 'private, max-age=3600');
    // A file that vanishes or fails mid-read ends this response, never the process.
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

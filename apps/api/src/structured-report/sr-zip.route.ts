import type { Request, Response } from 'express';
import { Zip, ZipDeflate } from 'fflate';
import type { AppServices } from '../server/context.js';
import { restUser } from '../server/rest-user.js';
import { recordExport } from '../export/export.queries.js';
import { requireProjectRole } from '../auth/guard.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { projectSrs, srFileName, type BuiltSr, type SkippedStudy, type SrOptions } from './sr-build.js';

function flag(v: unknown, name: string): boolean | string {
  if (v === undefined) return false;
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  return `${name} takes 1 or 0 (got "${String(v).slice(0, 20)}")`;
}

/**
 * GET /export/:projectId/sr.zip[?reidentified=1][&models=1] — leads and admins; audited (SR7).
 * One SR per study, named by its de-identified study UID; studies that could not be written are
 * listed in SKIPPED.txt inside the zip. Streamed: one study's SR is in memory at a time. Behind `signedIn`.
 */
export function srZipRoute(services: AppServices) {
  return async (req: Request, res: Response) => {
    const user = restUser(req);
    const projectId = String(req.params.projectId);
    const reidentified = flag(req.query.reidentified, 'reidentified');
    const includeModels = flag(req.query.models, 'models');
    for (const v of [reidentified, includeModels]) {
      if (typeof v === 'string') throw new ConcordError(ErrorCode.BAD_INPUT, v);
    }
    const opts: SrOptions = { reidentified: reidentified as boolean, includeModels: includeModels as boolean };
    await requireProjectRole(services.sql, user, projectId, ['LEAD', 'ADMIN']);
    // The first step checks the project and the re-identification permission: a refusal is
    // thrown (and answered with its status) before any byte of the zip is sent.
    const srs = projectSrs(services.sql, services.config.pseudonymSecret, projectId, opts);
    const first: IteratorResult<BuiltSr | SkippedStudy, void> = await srs.next();
    await recordExport(services.sql, projectId, user.id, { kind: 'sr', format: 'zip', ...opts });
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', 'attachment; filename="sr.zip"');
    let gone = false;
    res.once('close', () => {
      gone = true;
    });
    const zip = new Zip((err, chunk, final) => {
      if (err) {
        res.destroy();
        return;
      }
      if (!gone) res.write(chunk);
      if (final) res.end();
    });
    const skipped: string[] = [];
    try {
      for (let step = first; !step.done && !gone; step = await srs.next()) {
        const sr = step.value;
        if (sr.kind === 'skipped') {
          skipped.push(`${sr.studyUid}\t${sr.reason}`);
          continue;
        }
        const file = new ZipDeflate(srFileName(sr), { level: 6 });
        zip.add(file);
        file.push(sr.bytes(), true);
        // A slow client must not make us build the whole project ahead of it.
        if (res.writableNeedDrain && !gone) {
          await new Promise<void>((r) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              r();
            };
            res.once('drain', done);
            res.once('close', done);
          });
        }
      }
      if (gone) {
        await srs.return(undefined);
        zip.terminate();
        return;
      }
      if (skipped.length) {
        const file = new ZipDeflate('SKIPPED.txt', { level: 6 });
        zip.add(file);
        file.push(new TextEncoder().encode(`study_uid\treason\n${skipped.join('\n')}\n`), true);
      }
      zip.end();
    } catch {
      zip.terminate();
      res.destroy();
    }
  };
}

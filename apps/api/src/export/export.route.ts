import type { Request, Response } from 'express';
import { columnKey } from '@concord/db';
import type { AppServices } from '../server/context.js';
import { restUser } from '../server/rest-user.js';
import { requireProjectRole } from '../auth/guard.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { EXPORT_COLUMNS, EXPORT_KINDS, exportCursor, recordExport, type ExportKind } from './export.queries.js';

function csvCell(v: unknown): string {
  if (v == null) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  // Quote when needed; a leading = + - @ is neutralised so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** GET /export/:projectId/:kind.(csv|json) — leads and admins only; streamed. Behind `signedIn`. */
export function exportRoute(services: AppServices) {
  return async (req: Request, res: Response) => {
    const user = restUser(req);
    const m = /^([a-z-]+)\.(csv|json)$/.exec(String(req.params.kind));
    if (!m || !(EXPORT_KINDS as readonly string[]).includes(m[1])) {
      throw new ConcordError(ErrorCode.BAD_INPUT, `Export one of ${EXPORT_KINDS.map((k) => k + '.csv|.json').join(', ')}.`);
    }
    const kind = m[1] as ExportKind;
    const format = m[2];
    const projectId = String(req.params.projectId);
    await requireProjectRole(services.sql, user, projectId, ['LEAD', 'ADMIN']);
    await recordExport(services.sql, projectId, user.id, { kind, format });
    const cols = EXPORT_COLUMNS[kind];
    const keys = cols.map(columnKey);
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
    res.setHeader('Content-Disposition', `attachment; filename="${kind}.${format}"`);
    res.write(format === 'csv' ? cols.join(',') + '\n' : '[');
    let first = true;
    // A download the client abandons must free its database connection: stop reading the cursor
    // (leaving the loop closes it) instead of waiting for a 'drain' that never comes.
    let gone = false;
    res.once('close', () => {
      gone = true;
    });
    try {
      for await (const rows of exportCursor(services.sql, kind, projectId, services.config.pseudonymSecret)) {
        if (gone) break;
        let chunk = '';
        for (const r of rows as Record<string, unknown>[]) {
          // Rows carry camelCase keys (the driver's and the code's); the export's columns are its
          // published snake_case names, in this order, for CSV headers and JSON keys alike.
          const values = keys.map((k) => r[k]);
          if (format === 'csv') chunk += values.map(csvCell).join(',') + '\n';
          else {
            chunk += (first ? '' : ',') + JSON.stringify(Object.fromEntries(cols.map((c, i) => [c, values[i]])));
            first = false;
          }
        }
        // Respect back-pressure: a slow client must not make us buffer the whole project.
        if (!res.write(chunk) && !gone) {
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
      res.end(format === 'csv' ? '' : ']');
    } catch {
      res.destroy();
    }
  };
}

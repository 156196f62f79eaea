import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '@concord/cli';
import { runningPostmasterPid } from '@concord/db';

/** What the demo keeps in the data dir; `--fresh` removes exactly these (DM2). */
const DEMO_STATE = ['pg', 'pg.port', 'files', 'demo-phantom'];

/**
 * `npm run demo -- --fresh`: starts over by removing the embedded database and the file store.
 * Refused while a process still runs that database (deleting it under a live server corrupts
 * it) and with DATABASE_URL (an operator's database is theirs to drop, not the demo's).
 */
export function startFresh(dataDir: string, databaseUrl: string | undefined): string[] {
  if (databaseUrl) {
    throw new CliError(
      "--fresh removes the demo's embedded database, but DATABASE_URL is set: drop and recreate that database yourself, or unset DATABASE_URL",
    );
  }
  const pid = runningPostmasterPid(path.join(dataDir, 'pg'));
  if (pid !== null) {
    throw new CliError(
      `a Concord process still runs the database in ${path.join(dataDir, 'pg')} (PostgreSQL pid ${pid}); stop it (Ctrl-C in its terminal) before --fresh`,
    );
  }
  const removed = DEMO_STATE.map((name) => path.join(dataDir, name)).filter((p) => fs.existsSync(p));
  for (const p of removed) fs.rmSync(p, { recursive: true, force: true });
  return removed;
}

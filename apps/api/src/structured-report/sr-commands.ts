/**
 * The command-line side of structured reports (SR8, SR9, SR10): export-sr, push-sr and the
 * project's re-identification switch. Lines name studies by de-identified UID only.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from '@concord/db';
import { loadConfig } from '../config/config.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { projectSrs, srFileName } from './sr-build.js';
import { pushProjectSrs, type PushOutcome } from './push.js';
import { reidentificationAllowed, setReidentification } from './reidentification.js';

export interface SrCommandOptions {
  projectId: string;
  reidentified?: boolean;
  models?: boolean;
}

export async function runExportSrCommand(sql: Sql, o: SrCommandOptions & { out: string }): Promise<void> {
  const config = loadConfig();
  const opts = { reidentified: !!o.reidentified, includeModels: !!o.models };
  await reidentificationAllowed(sql, o.projectId);
  try {
    fs.mkdirSync(o.out, { recursive: true });
  } catch (e) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `cannot create the folder ${o.out} (${(e as NodeJS.ErrnoException).code ?? 'error'}): give a writable --out`);
  }
  let written = 0;
  let skipped = 0;
  for await (const sr of projectSrs(sql, config.pseudonymSecret, o.projectId, opts)) {
    if (sr.kind === 'skipped') {
      skipped++;
      console.log(`study ${sr.studyUid}: skipped — ${sr.reason}`);
      continue;
    }
    const file = path.join(o.out, srFileName(sr));
    fs.writeFileSync(file, sr.bytes());
    written++;
    console.log(`study ${sr.studyUid}: wrote ${file} (version ${sr.instanceNumber}, ${sr.slices} labelled slices)`);
  }
  await sql`insert into audit_log (project_id, action, payload)
            values (${o.projectId}, 'EXPORT', ${sql.json({ kind: 'sr', format: 'files', via: 'cli', ...opts })})`;
  console.log(`wrote ${written} SR file(s) to ${o.out}${skipped ? ` (${skipped} studies skipped)` : ''}`);
}

function outcomeLine(r: PushOutcome): string {
  switch (r.status) {
    case 'STORED':
      return `study ${r.studyUid}: stored (version ${r.instanceNumber}, ${r.slices} labelled slices)`;
    case 'ALREADY_STORED':
      return `study ${r.studyUid}: already stored (version ${r.instanceNumber}), nothing sent`;
    case 'REFUSED':
      return `study ${r.studyUid}: refused — ${r.reason}`;
    case 'SKIPPED':
      return `study ${r.studyUid}: skipped — ${r.reason}`;
  }
}

/** Exits 3 (after printing every study) when the server refused any SR. */
export async function runPushSrCommand(sql: Sql, o: SrCommandOptions & { dicomweb: string }): Promise<void> {
  const config = loadConfig();
  const summary = await pushProjectSrs(sql, config.pseudonymSecret, o.projectId, o.dicomweb, {
    reidentified: !!o.reidentified,
    includeModels: !!o.models,
    onOutcome: (r) => console.log(outcomeLine(r)),
  });
  const c = summary.counts;
  console.log(`pushed to ${summary.server}: ${c.STORED} stored, ${c.ALREADY_STORED} already stored, ${c.REFUSED} refused, ${c.SKIPPED} skipped`);
  if (c.REFUSED) process.exitCode = 3;
}

export async function runReidentificationCommand(sql: Sql, o: { projectId: string; allow: string }): Promise<void> {
  const v = o.allow.trim().toLowerCase();
  if (v !== 'on' && v !== 'off') throw new ConcordError(ErrorCode.BAD_INPUT, `--allow takes on or off (got "${o.allow}")`);
  await setReidentification(sql, o.projectId, v === 'on', null);
  console.log(
    v === 'on'
      ? 're-identification allowed: ingest now keeps original UIDs and patient identity for this project (re-ingest earlier studies to record theirs)'
      : 're-identification off: ingest keeps no original identity from now on',
  );
}

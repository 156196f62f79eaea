/**
 * bench/structured-report: building a project's DICOM SRs (queries, content hash, version row,
 * dcmjs encoding) beside the baseline of the same run: the final-labels CSV export reading the
 * same labels through its cursor. Studies × labelled slices are seeded with SQL.
 *
 *   npx tsx bench/structured-report/run.ts [--studies 100] [--slices 40]
 */
import { benchDatabase } from '../helpers/bench-db.js';
import { createProject } from '@concord/api/projects/projects.queries';
import { exportCursor } from '@concord/api/export/export.queries';
import { projectSrs, type SrOptions } from '@concord/api/structured-report/sr-build';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const STUDIES = arg('studies', 100);
const SLICES = arg('slices', 40);
const SECRET = 'bench-secret';

const db = await benchDatabase();
const { sql } = db;
const p = await createProject(sql, { name: 'bench-sr' });
await sql`
  with pat as (insert into patients (project_id, pseudonym) select ${p.id}, 'P' || g from generate_series(1, ${STUDIES}) g returning id, pseudonym),
       st as (insert into studies (project_id, patient_id, study_uid) select ${p.id}, id, '2.25.1' || substr(pseudonym, 2) from pat returning id, study_uid),
       se as (insert into series (project_id, study_id, series_uid, rows, cols) select ${p.id}, id, study_uid || '.9', 8, 8 from st returning id, series_uid)
  insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
  select ${p.id}, se.id, se.series_uid || '.' || g, g, g, ${'0'.repeat(64)}, 2 from se, generate_series(0, ${SLICES - 1}) g`;
await sql`insert into final_labels (slice_id, project_id, value, source)
          select id, project_id, (position % 3 = 0)::int, 'CONSENSUS' from slices where project_id = ${p.id}`;
const [mv] = await sql`insert into model_versions (project_id, round, status, backbone, backend, strategy, label_count, split, metrics)
                       values (${p.id}, 1, 'CURRENT', 'tiny', 'cpu', 'entropy', 0, '{}', '{"threshold":0.5}') returning id`;
await sql`insert into predictions (model_version_id, slice_id, probability) select ${mv.id}, id, random() from slices where project_id = ${p.id}`;

async function srs(opts: SrOptions, encode = true): Promise<{ secs: number; bytes: number }> {
  const t0 = performance.now();
  let bytes = 0;
  for await (const sr of projectSrs(sql, SECRET, p.id, opts)) if (sr.kind === 'sr' && encode) bytes += sr.bytes().length;
  return { secs: (performance.now() - t0) / 1000, bytes };
}

async function csvBaseline(): Promise<number> {
  const t0 = performance.now();
  let out = 0;
  for await (const rows of exportCursor(sql, 'final-labels', p.id, SECRET)) {
    for (const r of rows as Record<string, unknown>[]) out += Object.values(r).join(',').length;
  }
  if (!out) throw new Error('no rows');
  return (performance.now() - t0) / 1000;
}

const labels = STUDIES * SLICES;
const rows: [string, number, string][] = [];
const base1 = await csvBaseline();
const first = await srs({ reidentified: false, includeModels: false });
const again = await srs({ reidentified: false, includeModels: false });
const unencoded = await srs({ reidentified: false, includeModels: false }, false);
const models = await srs({ reidentified: false, includeModels: true });
const base2 = await csvBaseline();
const base = Math.min(base1, base2);
rows.push(['final-labels CSV cursor (baseline, best of 2)', base, '']);
rows.push(['SRs, first export (writes version rows)', first.secs, `${(first.bytes / STUDIES / 1024).toFixed(1)} KiB/study`]);
rows.push(['SRs, re-export (versions exist)', again.secs, '']);
rows.push(['SR content + version only (re-push before QIDO)', unencoded.secs, '']);
rows.push(['SRs with model outputs (new versions)', models.secs, `${(models.bytes / STUDIES / 1024).toFixed(1)} KiB/study`]);
console.log(`${STUDIES} studies × ${SLICES} labelled slices = ${labels} final labels`);
for (const [label, secs, extra] of rows) {
  console.log(
    `${label.padEnd(48)} ${secs.toFixed(2).padStart(7)} s  ${(STUDIES / secs).toFixed(0).padStart(6)} studies/s  ${(labels / secs).toFixed(0).padStart(7)} labels/s  ×${(secs / base).toFixed(1)} baseline  ${extra}`,
  );
}
await db.done();

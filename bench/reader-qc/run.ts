/**
 * bench/reader-qc: cost of serving gold slices. Labelers take slices and label them through the
 * assignment and label services (no HTTP), on a project whose every slice is gold (the worst
 * case: a whole phantom ground truth imported), at goldRate 0 (the baseline, same run, same
 * database), the default 0.05 and the maximum 0.5. Prints labels/s and p50/p99 ms per
 * nextSlice + submitLabel.
 *
 *   npx tsx bench/reader-qc/run.ts [--slices 60000] [--labelers 8] [--labels-each 40]
 */
import { benchDatabase, percentile } from '../helpers/bench-db.js';
import { createProject } from '@concord/api/projects/projects.queries';
import { nextSlice } from '@concord/api/assignment/assignment.service';
import { submitLabel } from '@concord/api/labels/labels.service';
import type { Sql } from '@concord/db';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SLICES = arg('slices', 60_000);
const LABELERS = arg('labelers', 8);
const EACH = arg('labels-each', 40);

async function seed(sql: Sql, tag: string, goldRate: number) {
  const p = await createProject(sql, { name: `bench-${tag}` });
  const [pat] = await sql`insert into patients (project_id, pseudonym) values (${p.id}, ${tag}) returning id`;
  const [st] = await sql`insert into studies (project_id, patient_id, study_uid) values (${p.id}, ${pat.id}, ${'2.25.' + tag}) returning id`;
  const [se] = await sql`insert into series (project_id, study_id, series_uid, rows, cols) values (${p.id}, ${st.id}, ${'2.25.9' + tag}, 8, 8) returning id`;
  await sql`insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
            select ${p.id}, ${se.id}, ${'2.25.' + tag + '.'} || g, g, g, ${'0'.repeat(64)}, 2 from generate_series(1, ${SLICES}) g`;
  await sql`insert into gold_slices (slice_id, project_id, value, source) select id, project_id, (position % 2)::smallint, 'IMPORT' from slices where project_id = ${p.id}`;
  const users = await sql<{ id: string }[]>`
    insert into users (username, password_hash) select ${tag} || '_' || g, 'x' from generate_series(1, ${LABELERS}) g returning id`;
  await sql`insert into user_roles (user_id, role) select id, 'LABELER' from users where username like ${tag + '_%'}`;
  await sql`insert into project_members (project_id, user_id) select ${p.id}, id from users where username like ${tag + '_%'}`;
  await sql`update projects set gold_rate = ${goldRate} where id = ${p.id}`;
  await sql`analyze`;
  return { projectId: p.id, users };
}

async function measure(sql: Sql, label: string, goldRate: number) {
  const { projectId, users } = await seed(sql, label.replace(/\W/g, ''), goldRate);
  const t0 = performance.now();
  const lat = (
    await Promise.all(
      users.map(async (u) => {
        const out: number[] = [];
        for (let i = 0; i < EACH; i++) {
          const s = performance.now();
          const a = await nextSlice(sql, projectId, u.id);
          if (!a) break;
          await submitLabel(sql, { sliceId: a.sliceId, userId: u.id, value: i % 2, clientRequestId: null });
          out.push(performance.now() - s);
        }
        return out;
      }),
    )
  )
    .flat()
    .sort((a, b) => a - b);
  const secs = (performance.now() - t0) / 1000;
  const [g] = await sql`select count(*)::int as n from gold_reads where project_id = ${projectId}`;
  return { label, labels: lat.length, goldReads: g.n, perSec: lat.length / secs, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

async function main() {
  const db = await benchDatabase();
  try {
    await measure(db.sql, 'warm-up', 0.05);
    const rows = [];
    for (const [label, rate] of [
      ['goldRate 0 (baseline)', 0],
      ['goldRate 0.05', 0.05],
      ['goldRate 0.5', 0.5],
    ] as const)
      rows.push(await measure(db.sql, label, rate));
    console.log(`reader-qc bench: ${SLICES} slices, all gold; ${LABELERS} labelers × ${EACH} labels (nextSlice + submitLabel, services on PostgreSQL)`);
    for (const r of rows)
      console.log(
        `${r.label.padEnd(22)} ${r.labels} labels (${r.goldReads} gold)  ${r.perSec.toFixed(0)} labels/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms`,
      );
  } finally {
    await db.done();
  }
}
await main();

import fs from 'node:fs';
import path from 'node:path';
import type { Sql, FileStore } from '@concord/db';
import { createProject } from '@concord/api/projects/projects.queries';
import { createUser } from '@concord/api/users/users.queries';
import { generatePhantom, PATIENTS_CSV_NAME, SLICES_CSV_NAME } from '@concord/phantom';
import { ingest } from '@concord/api/ingest/ingest';
import { importCohorts } from '@concord/api/ingest/cohorts';
import type { Role } from '@concord/contracts';
import type { DemoProgress } from './progress.js';
import { demoBackbone } from './backbone.js';
import { HISTORY_INCOMPLETE_PREFIX, HISTORY_PROJECT } from './history-name.js';

export const DEMO_PROJECT = 'Demo: cervical spine DCM (phantom)';
export const DEMO_PASSWORD = 'concord-demo';
export const DEMO_USERS: [string, Role[]][] = [
  ['admin', ['ADMIN', 'LEAD']],
  ['lead', ['LEAD']],
  ['adjudicator', ['ADJUDICATOR']],
  ['reader1', ['LABELER']],
  ['reader2', ['LABELER']],
  ['reader3', ['LABELER']],
];
const PHANTOM_SEED = 'concord-demo';

export interface PrepareOptions {
  dataDir: string;
  patients: number;
  secret: string;
  progress: DemoProgress;
  /** Seed the project with history (needs the trainer's code; DM1). Default true. */
  history?: boolean;
}

export interface PrepareResult {
  /** Projects created by this run (empty on later runs: they keep what users did). */
  created: string[];
  historyProjectId: string | null;
}

/**
 * The demo's data, created once (DM2): users, the phantom, an empty project and a project with
 * history. Anything found from an earlier run is kept as it is, with what users did in it.
 */
export async function prepareDemoData(sql: Sql, store: FileStore, o: PrepareOptions): Promise<PrepareResult> {
  const p = o.progress;
  const users = await ensureDemoUsers(sql);
  const created: string[] = [];
  const phantomDir = path.join(o.dataDir, 'demo-phantom');
  const [{ missing }] = await sql<{ missing: boolean }[]>`select not exists (select 1 from projects where name = ${DEMO_PROJECT}) as missing`;
  const [{ historyMissing }] = await sql<
    { historyMissing: boolean }[]
  >`select not exists (select 1 from projects where name = ${HISTORY_PROJECT}) as "historyMissing"`;
  const wantHistory = (o.history ?? true) && historyMissing;
  if ((missing || wantHistory) && !fs.existsSync(path.join(phantomDir, SLICES_CSV_NAME))) {
    p.step(`Generating ${o.patients} phantom patients (synthetic axial T2 DICOM with ground truth)…`);
    fs.rmSync(phantomDir, { recursive: true, force: true });
    const gen = await generatePhantom({
      patients: o.patients,
      outDir: phantomDir,
      seed: PHANTOM_SEED,
      onProgress: (done, total) => p.count('phantom images', done, total),
    });
    p.step(`Phantom: ${gen.files} files in ${phantomDir}`);
  }

  if (missing) {
    p.step(`Creating "${DEMO_PROJECT}" (empty, for labelling from scratch)…`);
    const project = await createProject(sql, { name: DEMO_PROJECT, readsPerSlice: 2 });
    const summary = await ingest(sql, store, {
      projectId: project.id,
      source: { kind: 'path', path: phantomDir },
      secret: o.secret,
      onProgress: (x) => p.count('ingest', x.done, x.total),
    });
    await importCohorts(sql, project.id, o.secret, path.join(phantomDir, PATIENTS_CSV_NAME));
    await addMembers(sql, project.id, [...users.values()]);
    p.step(`Ingested: ${summary.accepted} accepted, ${summary.skipped} skipped, ${summary.rejected} rejected`);
    created.push(project.id);
  }

  let historyProjectId: string | null = null;
  if (wantHistory) {
    historyProjectId = await seedHistory(sql, store, o, phantomDir, users);
    created.push(historyProjectId);
  }
  return { created, historyProjectId };
}

async function seedHistory(sql: Sql, store: FileStore, o: PrepareOptions, phantomDir: string, users: Map<string, string>): Promise<string> {
  const p = o.progress;
  const backbone = demoBackbone();
  // Loaded here, not at the top: they bring TensorFlow.js, which later runs never need.
  const { seedHistoryProject } = await import('./history.js');
  const { backboneOptionsFromEnv } = await import('@concord/trainer/model/backbone');
  const [interrupted] = await sql`select 1 from projects where name like ${HISTORY_INCOMPLETE_PREFIX + '%'} limit 1`;
  if (interrupted) p.step('Note: an earlier first run stopped while seeding history; its unfinished project stays listed until `npm run demo -- --fresh`.');
  p.step(`Creating the project with history: simulated readers, adjudication and active-learning rounds (backbone: ${backbone.note})…`);
  let lastStage = '';
  const result = await seedHistoryProject(sql, store, {
    phantomDir,
    secret: o.secret,
    backbone: backboneOptionsFromEnv({ ...process.env, ...backbone.env }),
    readerIds: ['reader1', 'reader2', 'reader3'].map((u) => users.get(u)!),
    adjudicatorId: users.get('adjudicator')!,
    memberIds: [users.get('lead')!, users.get('admin')!],
    onStep: (s) => {
      switch (s.type) {
        case 'ingesting':
          p.count('ingest', s.done, s.total);
          return;
        case 'ingest':
          p.step(`  ingested ${s.accepted} images (${s.rejected} rejected)`);
          return;
        case 'reading':
          p.step(
            s.reads
              ? `  ${s.stage}: ${s.completed} slices completed by ${s.reads} reads (${s.prioritised} served by the model's ranking), ${s.adjudicated} disagreements adjudicated`
              : `  ${s.stage}: ${s.adjudicated} disagreements adjudicated`,
          );
          return;
        case 'training':
          if (s.stage !== lastStage && s.stage !== 'done') {
            lastStage = s.stage;
            p.step(`  round ${s.round}: ${s.stage}…`);
          }
          if (s.stage === 'embedding' && s.total > 1) p.count(`round ${s.round} embedding`, s.done, s.total);
          return;
        case 'round': {
          lastStage = '';
          const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
          p.step(
            `  round ${s.round}: ${s.labelCount} labels → test AUC ${f(s.auc)} (95% CI ${f(s.aucLow)}–${f(s.aucHigh)}), ${s.selected} slices ranked for the readers (${s.seconds.toFixed(1)} s)`,
          );
          return;
        }
        case 'backdated':
          p.step(`  history spread over the past ${s.days} days`);
          return;
        default: {
          const never: never = s;
          return never;
        }
      }
    },
  });
  p.step(
    `History ready: ${result.reads} of ${result.readsRequired} reads given (${Math.round((100 * result.reads) / result.readsRequired)}%), ${result.versions} model versions (${result.backbone}), ${result.openAdjudications} disagreements waiting for the adjudicator`,
  );
  return result.projectId;
}

/** Demo users by name → id; missing ones are created with the demo password. */
async function ensureDemoUsers(sql: Sql): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [username, roles] of DEMO_USERS) {
    const [exists] = await sql<{ id: string }[]>`select id from users where username = ${username}`;
    ids.set(username, exists ? exists.id : (await createUser(sql, { username, password: DEMO_PASSWORD, roles })).id);
  }
  return ids;
}

async function addMembers(sql: Sql, projectId: string, userIds: string[]): Promise<void> {
  await sql`insert into project_members ${sql(userIds.map((userId) => ({ projectId, userId })))} on conflict do nothing`;
}

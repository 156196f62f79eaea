#!/usr/bin/env tsx
/**
 * `npm run concord -- <command>`: the public command line. Command and option names are a
 * contract (see README); add new ones freely, rename none.
 */
import { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { resolveDatabase, createSql, type Sql, migrate } from '@concord/db';
import { createProject } from '../projects/projects.queries.js';
import { createUser } from '../users/users.queries.js';
import { isRole, type Role } from '../realtime/roles.js';
import { startApiServer } from '../server/start.js';
import { CliError, exitForError, wholeNumber } from '@concord/cli';
import { DEFAULT_COHORT_CUES, parseCohortCues } from '@concord/phantom';
import { installSafetyNet } from '../server/safety-net.js';
import { createLogger } from '../logging/logger.js';

async function withDb<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await resolveDatabase(config);
  const sql = createSql(db.url, { appName: 'concord-cli', max: 4 });
  try {
    await migrate(sql);
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
    await db.release();
  }
}

function parseRoles(s: string): Role[] {
  const roles = s
    .split(',')
    .map((r) => r.trim().toUpperCase())
    .filter(Boolean);
  const bad = roles.filter((r) => !isRole(r));
  if (bad.length || roles.length === 0) throw new CliError(`--roles takes a comma list of labeler, adjudicator, lead, admin (got "${s}")`);
  return roles as Role[];
}

function positiveInt(name: string) {
  return (v: string) => wholeNumber(name, v, 1);
}

const program = new Command('concord').description('Concord: blinded dual labelling of spine MRI').exitOverride();

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const config = loadConfig();
    const db = await resolveDatabase(config);
    const sql = createSql(db.url, { appName: 'concord-cli', max: 1 });
    try {
      const { applied } = await migrate(sql);
      console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await sql.end();
      await db.release();
    }
  });

const project = program.command('project').description('manage projects');
project
  .command('create')
  .requiredOption('--name <name>', 'project name')
  .option('--reads <n>', 'independent reads per slice', positiveInt('--reads'), 2)
  .action(async (o: { name: string; reads: number }) => {
    const p = await withDb((sql) => createProject(sql, { name: o.name, readsPerSlice: o.reads }));
    console.log(p.id);
  });

const user = program.command('user').description('manage users');
user
  .command('add')
  .requiredOption('--username <u>')
  .requiredOption('--password <p>')
  .requiredOption('--roles <roles>', 'labeler[,adjudicator,lead,admin]')
  .option('--project <id>', 'add the user to this project')
  .action(async (o: { username: string; password: string; roles: string; project?: string }) => {
    const roles = parseRoles(o.roles);
    const u = await withDb(async (sql) => {
      if (o.project) {
        const [p] = await sql`select 1 from projects where id::text = ${o.project}`;
        if (!p) throw new CliError(`no project with id ${o.project}; list them with \`npm run concord -- project list\``);
      }
      return createUser(sql, { username: o.username, password: o.password, roles, projectIds: o.project ? [o.project] : [] });
    });
    console.log(u.id);
  });

project.command('list').action(async () => {
  await withDb(async (sql) => {
    for (const p of await sql`select id, name, reads_per_slice from projects order by created_at`) console.log(`${p.id}\t${p.name}\treads=${p.readsPerSlice}`);
  });
});

program
  .command('phantom')
  .description('write synthetic axial T2 cervical-spine DICOM with ground truth')
  .requiredOption('--patients <n>', 'number of patients', positiveInt('--patients'))
  .requiredOption('--out <dir>', 'output folder')
  .option('--seed <s>', 'seed (same seed, same files)', '1')
  .option('--enhanced', 'write each axial T2 series as one Legacy Converted Enhanced MR object')
  .option(
    '--cohort-cues <s>',
    'how strongly anatomy outside compressed levels shows the cohort: none, mild, strong (the original phantom, byte for byte) or 0..1',
    parseCohortCues,
    DEFAULT_COHORT_CUES,
  )
  .action(async (o: { patients: number; out: string; seed: string; enhanced?: boolean; cohortCues: number }) =>
    (await import('./data-commands.js')).runPhantomCommand(o),
  );

program
  .command('ingest')
  .description('ingest a DICOM file, folder or .zip, or pull from a DICOMweb server, into a project')
  .argument('[path]', 'file, folder or .zip')
  .requiredOption('--project <id>', 'project id')
  .option('--dicomweb <url>', 'DICOMweb service root to pull from (QIDO-RS + WADO-RS), e.g. http://orthanc:8042/dicom-web')
  .option('--study <uid>', 'with --dicomweb: only this StudyInstanceUID')
  .option('--cohorts <csv>', 'ground_truth_patients.csv to set patient cohorts (phantom data)')
  .action(async (p: string | undefined, o: { project: string; dicomweb?: string; study?: string; cohorts?: string }) => {
    if (!p && !o.dicomweb) throw new CliError('give a PATH (file, folder or .zip) or --dicomweb URL');
    if (p && o.dicomweb) throw new CliError('give either a PATH or --dicomweb URL, not both');
    if (o.study && !o.dicomweb) throw new CliError('--study only goes with --dicomweb');
    const { runIngestCommand } = await import('./data-commands.js');
    await withDb((sql) => runIngestCommand(sql, { path: p, dicomweb: o.dicomweb, study: o.study, projectId: o.project, cohorts: o.cohorts }));
  });

// Structured reports back to the PACS (apps/api/src/structured-report/SPEC.md).
const srCommands = () => import('../structured-report/sr-commands.js');
project
  .command('reidentification')
  .description('allow (on) or stop (off) keeping original UIDs at ingest, for re-identified SRs (audited)')
  .requiredOption('--project <id>', 'project id')
  .requiredOption('--allow <on|off>', 'on or off')
  .action(async (o: { project: string; allow: string }) =>
    withDb(async (sql) => (await srCommands()).runReidentificationCommand(sql, { projectId: o.project, allow: o.allow })),
  );
program
  .command('export-sr')
  .description("write each study's final labels as a DICOM Structured Report into a folder")
  .requiredOption('--project <id>', 'project id')
  .requiredOption('--out <dir>', 'output folder')
  .option('--models', "include each model version's probabilities and the patient screening result")
  .option('--reidentified', "reference the original UIDs and identity kept at ingest (the site's own PACS only)")
  .action(async (o: { project: string; out: string; models?: boolean; reidentified?: boolean }) =>
    withDb(async (sql) => (await srCommands()).runExportSrCommand(sql, { projectId: o.project, out: o.out, models: o.models, reidentified: o.reidentified })),
  );
program
  .command('push-sr')
  .description("store each study's Structured Report in a PACS with STOW-RS (idempotent)")
  .requiredOption('--project <id>', 'project id')
  .requiredOption('--dicomweb <url>', 'DICOMweb service root, e.g. http://orthanc:8042/dicom-web')
  .option('--models', "include each model version's probabilities and the patient screening result")
  .option('--reidentified', "reference the original UIDs and identity kept at ingest (the site's own PACS only)")
  .action(async (o: { project: string; dicomweb: string; models?: boolean; reidentified?: boolean }) =>
    withDb(async (sql) =>
      (await srCommands()).runPushSrCommand(sql, { projectId: o.project, dicomweb: o.dicomweb, models: o.models, reidentified: o.reidentified }),
    ),
  );

// Reader quality control: gold-standard slices (apps/api/src/reader-qc/SPEC.md RQ1).
const gold = program.command('gold').description('gold-standard slices for reader quality control');
gold
  .command('import')
  .description('make slices gold from a CSV keyed by slice_id or sop_uid with label/value 0|1 (the phantom ground_truth_slices.csv imports as is)')
  .argument('<file>', 'CSV file')
  .requiredOption('--project <id>', 'project id')
  .action(async (file: string, o: { project: string }) =>
    withDb(async (sql) => {
      const { importGoldCsv } = await import('../reader-qc/gold.service.js');
      const r = await importGoldCsv(sql, o.project, loadConfig().pseudonymSecret, file);
      console.log(`gold slices: ${r.added} added, ${r.already} already gold (${r.rows} rows)`);
    }),
  );
gold
  .command('from-finals')
  .description('sample adjudicated or unanimous final labels as gold slices')
  .requiredOption('--project <id>', 'project id')
  .requiredOption('--count <n>', 'how many to add', positiveInt('--count'))
  .action(async (o: { project: string; count: number }) =>
    withDb(async (sql) => {
      const { goldFromFinals } = await import('../reader-qc/gold.service.js');
      const r = await goldFromFinals(sql, o.project, o.count, null);
      console.log(`gold slices: ${r.added} added from final labels (${r.available} eligible were drawn)`);
    }),
  );

// The trainer is a separate workspace, loaded lazily: the API's CLI runs without TensorFlow
// installed, and says so only when a training command is asked for.
async function trainCommands() {
  try {
    return await import('@concord/trainer/cli/train-command');
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('@concord/trainer')) {
      throw new CliError('the training service (services/trainer) is not installed here');
    }
    // The built CLI (apps/api/dist) leaves the trainer's TypeScript sources unbundled.
    if (err.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new CliError('the built CLI does not run training: run `npm run concord -- train` from the sources, or the trainer service');
    }
    throw e;
  }
}

program
  .command('train')
  .description('run one active-learning round now, in this process, with progress (the trainer service does the same for queued jobs)')
  .requiredOption('--project <id>', 'project id')
  .option('--backbone <kind>', 'resnet50 (default; CONCORD_BACKBONE_WEIGHTS), tiny or pixels')
  .option('--fine-tune', 'also fine-tune the backbone top stage end to end (native TensorFlow backend only; TR17)')
  .option('--workers <n>', 'embedding worker threads (default: cores)', positiveInt('--workers'))
  .action(async (o: { project: string; backbone?: string; fineTune?: boolean; workers?: number }) => {
    const { runTrainCommand } = await trainCommands();
    await withDb((sql) => runTrainCommand(sql, { projectId: o.project, backbone: o.backbone, fineTune: o.fineTune, workers: o.workers }));
  });

program
  .command('models')
  .description("list a project's model versions with AUC on the evaluation set (patient-bootstrap interval) and threshold")
  .requiredOption('--project <id>', 'project id')
  .action(async (o: { project: string }) => {
    const { runModelsCommand } = await trainCommands();
    await withDb((sql) => runModelsCommand(sql, o.project));
  });

program
  .command('promote')
  .description('make a model version current (a lead decision, or a rollback)')
  .requiredOption('--model <id>', 'model version id (see `models`)')
  .action(async (o: { model: string }) => {
    const { runPromoteCommand } = await trainCommands();
    await withDb((sql) => runPromoteCommand(sql, o.model));
  });

program
  .command('serve')
  .description('start the API (GraphQL at /graphql) and Socket.io')
  .action(async () => {
    const config = loadConfig();
    // Errors nobody caught are logged and counted (/metrics), not a silent exit [PS1].
    installSafetyNet(createLogger(config.logLevel));
    const db = await resolveDatabase(config);
    const api = await startApiServer({ databaseUrl: db.url, dataDir: config.dataDir, port: config.port });
    console.log(`Concord API on http://localhost:${api.port}/graphql${db.embedded ? ' (embedded PostgreSQL)' : ''}`);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await api.close().catch(() => {});
      await db.release();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Under a supervisor (npm run demo): its channel closing means it is gone; do not outlive it [PS3].
    if (process.send) process.once('disconnect', stop);
  });

program.parseAsync(process.argv).catch(exitForError);

import path from 'node:path';
import type { Sql, FileStore } from '@concord/db';
import { createProject } from '@concord/api/projects/projects.queries';
import { ingest } from '@concord/api/ingest/ingest';
import { importCohorts } from '@concord/api/ingest/cohorts';
import { PATIENTS_CSV_NAME } from '@concord/phantom';
import { ConcordError, ErrorCode } from '@concord/contracts';
import type { TrainingStage } from '@concord/contracts';
import { runTrainingRound } from '@concord/trainer/round';
import { ensureTestSet } from '@concord/trainer/eval/splits';
import type { BackboneOptions } from '@concord/trainer/model/backbone';
import {
  adjudicateOpenItems,
  readDirected,
  readFromQueue,
  type ReadingRoom,
  projectTruth,
  STUDY_LIKE_ERRORS,
  hasBothClasses,
  readSliceTruth,
  truthByStoredUid,
} from '@concord/simulate';
import { backdateProject } from './backdate.queries.js';
import { pastHour, Timeline } from './timeline.js';

import { HISTORY_INCOMPLETE_PREFIX, HISTORY_PROJECT } from './history-name.js';

export { HISTORY_INCOMPLETE_PREFIX, HISTORY_PROJECT };

export interface HistoryOptions {
  /** A phantom already generated (its ground-truth CSVs drive the simulated readers). */
  phantomDir: string;
  secret: string;
  backbone: BackboneOptions;
  /** Labeler user ids: the simulated readers, and the people who will log in afterwards. */
  readerIds: string[];
  adjudicatorId: string;
  /** Members besides readers and adjudicator (lead, admin). */
  memberIds: string[];
  /** Active-learning rounds run through the real trainer (default 3, DM1). */
  rounds?: number;
  /** Share of all required reads given before the visitor arrives (default 0.6). */
  readShare?: number;
  /** Final labels after the last version that trigger the next round while the demo runs (default 10). */
  retrainEvery?: number;
  /** Reader noise and the adjudicator's decisions follow this seed. */
  seed?: string;
  /** The moment the history ends in (default: the database's now). */
  now?: Date;
  onStep?: (step: HistoryStep) => void;
}

export type HistoryStep =
  | { type: 'ingesting'; done: number; total: number }
  | { type: 'ingest'; accepted: number; rejected: number }
  | { type: 'reading'; stage: string; reads: number; completed: number; prioritised: number; adjudicated: number }
  | { type: 'training'; round: number; stage: TrainingStage; done: number; total: number }
  | { type: 'round'; round: number; labelCount: number; auc: number | null; aucLow: number | null; aucHigh: number | null; selected: number; seconds: number }
  | { type: 'backdated'; days: number };

export interface HistoryResult {
  projectId: string;
  slices: number;
  reads: number;
  readsRequired: number;
  versions: number;
  openAdjudications: number;
  backbone: string;
}

const DAY_START = 9;
const DAY_END = 17.5;

/**
 * A project with the past a lead would have after a week (DM1): the phantom ingested, the
 * frozen test set read first, a seed set read, then `rounds` active-learning rounds through
 * `runTrainingRound`, readers served each round's selection first by assignment. Readers and
 * adjudicator are the simulation's (sim/readers.ts), reading as the demo's own users. The last
 * stage's disagreements stay open for the adjudicator, and the last round's selection is unread,
 * so every role has work. Afterwards each step is moved into past working days (DM3).
 */
export async function seedHistoryProject(sql: Sql, store: FileStore, o: HistoryOptions): Promise<HistoryResult> {
  const rounds = o.rounds ?? 3;
  const readShare = o.readShare ?? 0.6;
  if (!Number.isInteger(rounds) || rounds < 1) throw new ConcordError(ErrorCode.BAD_INPUT, 'rounds must be a whole number ≥ 1');
  if (!(readShare > 0 && readShare < 1)) throw new ConcordError(ErrorCode.BAD_INPUT, 'readShare must lie between 0 and 1');
  if (o.readerIds.length < 2) throw new ConcordError(ErrorCode.BAD_INPUT, 'a history needs at least two readers');
  const seed = o.seed ?? 'concord-demo-history';
  const [{ t: dbNow }] = await sql<{ t: Date }[]>`select now() as t`;
  const now = o.now ?? dbNow;
  // Two working days per round: the last reading stage is split over two, the history starts with ingest and the test set.
  const days = 2 * rounds;
  const timeline = new Timeline(sql);
  const window = (daysAgo: number, from: number, to: number) => [pastHour(now, daysAgo, from), pastHour(now, daysAgo, to)] as const;
  const step = (s: HistoryStep) => o.onStep?.(s);

  // Unique while incomplete: a first run stopped half-way leaves a project that a later run ignores (DM2).
  const project = await timeline.during(...window(days, 8, 8.5), async () => {
    const p = await createProject(sql, { name: `${HISTORY_INCOMPLETE_PREFIX} ${dbNow.toISOString()}`, readsPerSlice: 2 });
    // promotion_tolerance 1: every round's model becomes current, as in the simulation, so the
    // queue a visitor sees is always the newest model's ranking.
    await sql`update projects set al_strategy = 'entropy', retrain_every = ${o.retrainEvery ?? 10}, promotion_tolerance = 1, queue_order = 'RANDOM' where id = ${p.id}`;
    const members = [...new Set([...o.readerIds, o.adjudicatorId, ...o.memberIds])];
    await sql`insert into project_members ${sql(members.map((userId) => ({ projectId: p.id, userId })))} on conflict do nothing`;
    const summary = await ingest(sql, store, {
      projectId: p.id,
      source: { kind: 'path', path: o.phantomDir },
      secret: o.secret,
      onProgress: (p) => step({ type: 'ingesting', done: p.done, total: p.total }),
    });
    await importCohorts(sql, p.id, o.secret, path.join(o.phantomDir, PATIENTS_CSV_NAME));
    step({ type: 'ingest', accepted: summary.accepted, rejected: summary.rejected });
    return p;
  });
  const projectId = project.id;
  const { truth, patientOf } = await projectTruth(sql, projectId, truthByStoredUid(readSliceTruth(o.phantomDir), o.secret));
  const room: ReadingRoom = { projectId, readerIds: o.readerIds, adjudicatorId: o.adjudicatorId, truth, errors: STUDY_LIKE_ERRORS, seed };

  const testPatients = new Set(await ensureTestSet(sql, projectId));
  const testSlices = [...patientOf]
    .filter(([, patient]) => testPatients.has(patient))
    .map(([slice]) => slice)
    .sort();
  const target = Math.round(readShare * truth.size);
  const seedCount = Math.max(20, Math.round(0.4 * (target - testSlices.length)));
  const perRound = rounds > 1 ? Math.max(10, Math.ceil((target - testSlices.length - seedCount) / (rounds - 1))) : 0;
  // A selection small enough to be read within one round, and spread over patients (al_max_per_patient).
  await sql`update projects set al_batch_size = ${Math.max(10, Math.min(perRound || seedCount, 40))} where id = ${projectId}`;

  const read = async (stage: string, work: () => ReturnType<typeof readFromQueue>, adjudicate: boolean) => {
    const t = await work();
    const adjudicated = adjudicate ? await adjudicateOpenItems(sql, room) : 0;
    step({ type: 'reading', stage, reads: t.reads, completed: t.completed, prioritised: t.prioritised, adjudicated });
  };
  const train = async (round: number) => {
    const t0 = Date.now();
    const res = await runTrainingRound(sql, {
      projectId,
      store,
      backbone: o.backbone,
      workers: 0,
      onProgress: (stage, done, total) => step({ type: 'training', round, stage, done, total }),
    });
    step({
      type: 'round',
      round: res.round,
      labelCount: res.labelCount,
      auc: res.metrics.auc,
      aucLow: res.metrics.aucLow ?? null,
      aucHigh: res.metrics.aucHigh ?? null,
      selected: res.selected,
      seconds: (Date.now() - t0) / 1000,
    });
  };

  // Every slice takes two reads: the test set is shared among the pairs of readers, so each pair has agreement to show.
  const pairs = o.readerIds.flatMap((a, i) => o.readerIds.slice(i + 1).map((b) => [a, b]));
  await timeline.during(...window(days, DAY_START, DAY_END), () =>
    read(
      'frozen test set',
      async () => {
        const total = { reads: 0, completed: 0, prioritised: 0 };
        for (const [i, readerIds] of pairs.entries()) {
          const t = await readDirected(
            sql,
            { ...room, readerIds },
            testSlices.filter((_, j) => j % pairs.length === i),
          );
          total.reads += t.reads;
          total.completed += t.completed;
        }
        return total;
      },
      false,
    ),
  );
  await timeline.during(...window(days - 1, 8.5, 9.5), () => read('test set adjudication', async () => ({ reads: 0, completed: 0, prioritised: 0 }), true));
  await timeline.during(...window(days - 1, 9.5, 16.5), async () => {
    await read('seed set', () => readFromQueue(sql, room, seedCount), true);
    // A small seed set can hold one class only; the head needs both (TR5).
    for (let extra = 0; extra < 20 && !(await hasBothClasses(sql, projectId)); extra++) {
      await read('seed set, more', () => readFromQueue(sql, room, 10), true);
    }
  });
  await timeline.during(...window(days - 1, 17, 17.25), () => train(1));
  for (let round = 2; round <= rounds; round++) {
    const last = round === rounds;
    const firstDay = days - 2 * (round - 1);
    // The stage before the last round leaves its disagreements open: the adjudicator's queue (DM1).
    await timeline.during(...window(firstDay, DAY_START, DAY_END), () =>
      read(`round ${round - 1} selection, day 1`, () => readFromQueue(sql, room, Math.ceil(perRound / 2)), !last),
    );
    await timeline.during(...window(firstDay - 1, DAY_START, 16.5), () =>
      read(`round ${round - 1} selection, day 2`, () => readFromQueue(sql, room, Math.floor(perRound / 2)), !last),
    );
    await timeline.during(...window(firstDay - 1, 17, 17.25), () => train(round));
  }

  await backdateProject(sql, projectId, timeline.recorded);
  step({ type: 'backdated', days });
  await sql`update projects set name = ${HISTORY_PROJECT} where id = ${projectId}`;

  const [counts] = await sql<{ slices: number; reads: number; required: number; versions: number; open: number; backbone: string }[]>`
    select (select count(*)::int from slices where project_id = ${projectId}) as slices,
           (select count(*)::int from reads where project_id = ${projectId} and not is_repeat) as reads,
           (select coalesce(sum(reads_required), 0)::int from slices where project_id = ${projectId}) as required,
           (select count(*)::int from model_versions where project_id = ${projectId}) as versions,
           (select count(*)::int from adjudication_items i where i.project_id = ${projectId}
              and not exists (select 1 from adjudications d where d.item_id = i.id)) as open,
           (select backbone from model_versions where project_id = ${projectId} order by round desc limit 1) as backbone`;
  return {
    projectId,
    slices: counts.slices,
    reads: counts.reads,
    readsRequired: counts.required,
    versions: counts.versions,
    openAdjudications: counts.open,
    backbone: counts.backbone,
  };
}

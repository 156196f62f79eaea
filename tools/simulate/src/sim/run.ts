import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Sql, FileStore } from '@concord/db';
import { generatePhantom } from '@concord/phantom';
import type { Strategy } from '@concord/trainer/al/uncertainty';
import type { BackboneOptions } from '@concord/trainer/model/backbone';
import { ensureTestSet, splitPatients } from '@concord/trainer/eval/splits';
import { runTrainingRound } from '@concord/trainer/round';
import { observedAgreement, type ObservedAgreement } from './agreement.js';
import { adjudicateOpenItems, readDirected, readFromQueue, type ReadingRoom } from './labelling.js';
import { setUpProject } from './project.js';
import { STUDY_LIKE_ERRORS, type ReaderErrorModel } from './readers.js';
import { readSliceTruth, truthByStoredUid } from './truth.js';
import { pixelVectors, roundBaselines, type RoundBaselines } from './baselines.js';

export interface SimulationOptions {
  patients: number;
  /** Image rows = columns of the phantom (64–1024). */
  rows: number;
  /** The phantom's cohort-cue strength, 0..1 (PH13); default the generator's (mild). */
  cohortCues?: number;
  strategies: Strategy[];
  rounds: number;
  /** Slices labelled per round (and the project's al_batch_size). */
  batch: number;
  /** Seed slices labelled before round 1, chosen by the seed and each slice's SOP UID, so every strategy starts from the same set; default = batch. */
  initial?: number;
  seed: string;
  /** Where the phantom is written (kept: the simulation's input). */
  workDir: string;
  backbone: BackboneOptions;
  /** Pseudonym secret for ingest; the truth is mapped through the same secret. */
  secret: string;
  epochs?: number;
  mcSamples?: number;
  errors?: ReaderErrorModel;
  onEvent?: (e: SimulationEvent) => void;
}

export type SimulationEvent =
  | { type: 'phantom'; done: number; total: number }
  | { type: 'project'; strategy: Strategy; projectId: string; slices: number; testSlices: number }
  | {
      type: 'labelled';
      strategy: Strategy;
      stage: 'test' | 'seed' | 'round';
      round: number;
      reads: number;
      completed: number;
      prioritised: number;
      adjudicated: number;
    }
  | { type: 'round'; strategy: Strategy; point: CurvePoint };

/** One row of the learning curve (one model version). */
export interface CurvePoint {
  strategy: Strategy;
  round: number;
  modelVersionId: string;
  status: string;
  labelCount: number;
  auc: number | null;
  /** 95% interval of the test AUC (score-type, Hanley–McNeil variance; AG19). */
  aucLow: number | null;
  aucHigh: number | null;
  /** The slice threshold the version chose (validation) or kept (0.5). */
  threshold: number;
  accuracy: number | null;
  sensitivity: number | null;
  specificity: number | null;
  patientSensitivity: number | null;
  patientSpecificity: number | null;
  selected: number;
  seconds: number;
  /** SIM5: this model's test AUC within DCM patients only, and a raw-pixel logistic regression's test AUC. */
  baselines: RoundBaselines;
}

export interface StrategyRun {
  strategy: Strategy;
  projectId: string;
  points: CurvePoint[];
  agreement: ObservedAgreement;
  reads: number;
  prioritisedReads: number;
  adjudicated: number;
}

export interface SimulationResult {
  phantomDir: string;
  runs: StrategyRun[];
  seconds: number;
}

/**
 * The active-learning loop end to end on phantom data, through the product's own services:
 * ingest → simulated readers served by assignment → labels and adjudication → training round
 * (embed, train, evaluate on the frozen test set, score, select) → the selection served first
 * to the readers in the next round. Each strategy gets its own project on the same phantom.
 */
export async function runSimulation(sql: Sql, store: FileStore, o: SimulationOptions): Promise<SimulationResult> {
  const started = Date.now();
  const phantomDir = path.join(o.workDir, 'phantom');
  fs.rmSync(phantomDir, { recursive: true, force: true });
  await generatePhantom({
    patients: o.patients,
    outDir: phantomDir,
    seed: o.seed,
    rows: o.rows,
    cohortCues: o.cohortCues,
    onProgress: (done, total) => o.onEvent?.({ type: 'phantom', done, total }),
  });
  const truthByUid = truthByStoredUid(readSliceTruth(phantomDir), o.secret);
  const runs: StrategyRun[] = [];
  for (const strategy of o.strategies) {
    runs.push(await runStrategy(sql, store, o, strategy, phantomDir, truthByUid));
  }
  return { phantomDir, runs, seconds: (Date.now() - started) / 1000 };
}

async function runStrategy(
  sql: Sql,
  store: FileStore,
  o: SimulationOptions,
  strategy: Strategy,
  phantomDir: string,
  truthByUid: ReturnType<typeof truthByStoredUid>,
): Promise<StrategyRun> {
  const p = await setUpProject(sql, store, { label: o.seed, strategy, batch: o.batch, phantomDir, secret: o.secret, truthByUid });
  const room: ReadingRoom = {
    projectId: p.projectId,
    readerIds: p.readerIds,
    adjudicatorId: p.adjudicatorId,
    truth: p.truth,
    errors: o.errors ?? STUDY_LIKE_ERRORS,
    seed: o.seed,
  };
  const testPatients = new Set(await ensureTestSet(sql, p.projectId));
  const testSlices = [...p.patientOf]
    .filter(([, patient]) => testPatients.has(patient))
    .map(([slice]) => slice)
    .sort();
  o.onEvent?.({ type: 'project', strategy, projectId: p.projectId, slices: p.truth.size, testSlices: testSlices.length });
  let reads = 0,
    prioritisedReads = 0,
    adjudicated = 0;
  const label = async (stage: 'test' | 'seed' | 'round', round: number, work: () => ReturnType<typeof readFromQueue>) => {
    const t = await work();
    const adj = await adjudicateOpenItems(sql, room);
    reads += t.reads;
    prioritisedReads += t.prioritised;
    adjudicated += adj;
    o.onEvent?.({ type: 'labelled', strategy, stage, round, reads: t.reads, completed: t.completed, prioritised: t.prioritised, adjudicated: adj });
  };

  await label('test', 0, () => readDirected(sql, room, testSlices));
  // The seed set is the same slices for every strategy (chosen by a hash of the stored SOP UID,
  // which is the same in each strategy's project), so strategies are compared on paired starts.
  // Drawn per project instead, the seed set's luck moved round-1 AUC by up to 0.16 between
  // strategies before any active learning had happened (0.66–0.82 on one phantom).
  await label('seed', 0, () => readDirected(sql, room, seedSet(p.truth, testPatientsSlices(p, testPatients), o.initial ?? o.batch, o.seed)));
  // A small seed set can hold one class only; keep reading from the queue until the head can train.
  for (let extra = 0; extra < 20 && !(await hasBothClasses(sql, p.projectId)); extra++) {
    await label('seed', 0, () => readFromQueue(sql, room, Math.max(1, Math.ceil(o.batch / 2))));
  }

  const points: CurvePoint[] = [];
  const pixels = await pixelVectors(sql, store, p.projectId);
  for (let round = 1; round <= o.rounds; round++) {
    if (round > 1) await label('round', round - 1, () => readFromQueue(sql, room, o.batch));
    const t0 = Date.now();
    const res = await runTrainingRound(sql, { projectId: p.projectId, store, backbone: o.backbone, workers: 0, epochs: o.epochs, mcSamples: o.mcSamples });
    const m = res.metrics;
    const point: CurvePoint = {
      strategy,
      round: res.round,
      modelVersionId: res.id,
      status: res.status,
      labelCount: res.labelCount,
      auc: m.auc,
      aucLow: m.aucLow ?? null,
      aucHigh: m.aucHigh ?? null,
      threshold: m.threshold,
      accuracy: m.accuracy,
      sensitivity: m.sensitivity,
      specificity: m.specificity,
      patientSensitivity: m.screening?.row.sensitivity ?? null,
      patientSpecificity: m.screening?.row.specificity ?? null,
      selected: res.selected,
      seconds: (Date.now() - t0) / 1000,
      baselines: await roundBaselines(sql, p.projectId, res.id, pixels),
    };
    points.push(point);
    o.onEvent?.({ type: 'round', strategy, point });
  }
  return { strategy, projectId: p.projectId, points, agreement: await observedAgreement(sql, p.projectId, p.truth), reads, prioritisedReads, adjudicated };
}

function testPatientsSlices(p: { patientOf: Map<string, string> }, testPatients: Set<string>): Set<string> {
  return new Set([...p.patientOf].filter(([, patient]) => testPatients.has(patient)).map(([slice]) => slice));
}

/** `n` non-test slices in an order that depends only on the seed and each slice's stored SOP UID. */
function seedSet(truth: Map<string, { sopUid: string }>, testSlices: Set<string>, n: number, seed: string): string[] {
  const rank = (uid: string) => createHash('sha256').update(`${seed}:seed-set:${uid}`).digest('hex');
  return [...truth]
    .filter(([id]) => !testSlices.has(id))
    .map(([id, t]) => ({ id, r: rank(t.sopUid) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .slice(0, n)
    .map((x) => x.id);
}

/** Both classes among final labels of training patients (not test, not validation): what training needs (TR5, TR18). */
export async function hasBothClasses(sql: Sql, projectId: string): Promise<boolean> {
  const patients = await sql<{ id: string; pseudonym: string }[]>`
    select distinct pt.id, pt.pseudonym from patients pt join studies st on st.patient_id = pt.id
     where pt.project_id = ${projectId} and not pt.is_test`;
  const train = splitPatients(patients).train;
  const [r] = await sql<{ classes: number }[]>`
    select count(distinct fl.value)::int as classes from final_labels fl
      join slices s on s.id = fl.slice_id join series se on se.id = s.series_id
      join studies st on st.id = se.study_id
     where fl.project_id = ${projectId} and st.patient_id = any(${train}::uuid[])`;
  return r.classes === 2;
}

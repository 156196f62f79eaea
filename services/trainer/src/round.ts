import { createSessionClient, type Sql } from '../../../apps/api/src/db/sql.js';
import type { FileStore } from '../../../apps/api/src/files/file-store.js';
import { ConcordError, ErrorCode } from '../../../apps/api/src/errors/codes.js';
import type { TrainingStage } from '../../../apps/api/src/realtime/events.js';
import { selectBackend, type BackendPreference } from './backend.js';
import type { BackboneOptions } from './model/backbone.js';
import { computeEmbeddings, loadEmbeddings } from './data/embeddings.js';
import { buildHead, HEAD_MIN_EPOCHS, mcPredict, serializeHead, trainHead } from './model/head.js';
import type { Strategy } from './al/uncertainty.js';
import { scoreCandidates } from './al/candidate-pool.js';
import { decideWarmStart, fullRetrainEvery, WARM_EPOCHS, warmBatchSize } from './model/warm-start.js';
import { selectBatch, type Candidate } from './al/select.js';
import { batchAwareScores } from './al/batch-strategies.js';
import { ensureTestSet, splitPatients } from './eval/splits.js';
import { applyCalibration, fitCalibration } from './eval/calibration.js';
import { chooseOperatingPoint } from './eval/operating-point.js';
import { evaluate, type PatientOutcome } from './eval/metrics.js';
import { writeModelVersion, type WriteHook, type WrittenVersion } from './versions.js';
import type { HeldRun } from './jobs/liveness.js';
import { publish } from './events.js';
import { evaluationFor, evaluationSetView, rescoreVersions } from '../../../apps/api/src/evaluation/evaluation.service.js';
import { fineTuneStep, type FineTuneRequest } from './model/finetune-round.js';

export interface RoundOptions {
  projectId: string;
  store: FileStore;
  backbone: BackboneOptions;
  jobId?: string;
  workers?: number;
  backend?: BackendPreference;
  /** Defaults to projects.al_strategy. */
  strategy?: Strategy;
  /** MC-dropout passes for uncertainty. */
  mcSamples?: number;
  epochs?: number;
  /** Epochs run before early stopping may act (default 15; see head.ts trainHead). */
  minEpochs?: number;
  patience?: number;
  /** Rounds between from-scratch trainings of the head; the rounds between warm-start (RS1). Default CONCORD_FULL_RETRAIN_EVERY or 5. */
  fullRetrainEvery?: number;
  hook?: WriteHook;
  /** The queue run this round belongs to: the version is written only while the job is still this run. */
  lease?: HeldRun;
  /** End-to-end fine-tune of the backbone's top stage(s) (TR17); undefined follows CONCORD_FINETUNE. */
  fineTune?: FineTuneRequest;
  /** Every progress step, unthrottled (the CLI's progress bars); sockets get a throttled copy. */
  onProgress?: (stage: TrainingStage, done: number, total: number, extra: { epoch?: number; loss?: number; valLoss?: number }) => void;
}

export interface RoundResult extends WrittenVersion {
  metrics: Awaited<ReturnType<typeof evaluate>>;
  labelCount: number;
  selected: number;
  embedded: { computed: number; cached: number };
}

interface SliceRow {
  id: string;
  series_id: string;
  position: number;
  reads_done: number;
  reads_required: number;
  patient_id: string;
  pseudonym: string;
  is_test: boolean;
  cohort: 'CONTROL' | 'DCM' | null;
  label: 0 | 1 | null;
  /** Ever picked by uncertainty (selection_log mode ACTIVE): a biased sample, never validation. */
  active: boolean;
}

function trainingSummary(t: Awaited<ReturnType<typeof trainHead>>) {
  const { valProbabilities: _omitted, ...rest } = t;
  return rest;
}

interface ProjectRow { al_strategy: Strategy; al_batch_size: number; al_max_per_patient: number; al_min_gap: number; screening_k: number; al_audit_share: number; target_sensitivity: number }

/**
 * Per-project lock held for the whole round on a client of its own (TR13): two rounds of one
 * project never run at once, whether queued or started from the CLI. If that connection dies
 * mid-round the lock is gone with it; a queued run is still fenced at its write (versions.ts).
 */
async function withProjectLock<T>(sql: Sql, projectId: string, fn: () => Promise<T>): Promise<T> {
  const lock = createSessionClient(sql, 'concord-trainer-lock');
  try {
    const [{ ok }] = await lock<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtext('concord-trainer'), hashtext(${projectId})) as ok`;
    if (!ok) throw new ConcordError(ErrorCode.TRAINING_BUSY, 'A training round for this project is already running; wait for it to finish');
    return await fn();
  } finally {
    // Ending the session releases its lock, whether or not the connection survived the round.
    await lock.end({ timeout: 5 }).catch(() => {});
  }
}

/**
 * One active-learning round: embed what is missing, train the head on final labels of
 * non-test patients, evaluate on the frozen test set, score and select unlabelled slices,
 * and write the version with everything it produced in one transaction.
 */
export async function runTrainingRound(sql: Sql, opts: RoundOptions): Promise<RoundResult> {
  return withProjectLock(sql, opts.projectId, () => runUnlocked(sql, opts));
}

async function runUnlocked(sql: Sql, opts: RoundOptions): Promise<RoundResult> {
  const { projectId } = opts;
  const jobId = opts.jobId ?? 'direct';
  const started = Date.now();
  let lastSent = 0;
  const progress = async (stage: TrainingStage, done: number, total: number, extra: { epoch?: number; loss?: number; valLoss?: number } = {}, force = false) => {
    opts.onProgress?.(stage, done, total, extra);
    const now = Date.now();
    if (!force && now - lastSent < 1000 && done < total) return;
    lastSent = now;
    await publish(sql, { type: 'training:progress', projectId, jobId, stage, done, total, ...extra });
  };
  const [project] = await sql<ProjectRow[]>`select al_strategy, al_batch_size, al_max_per_patient, al_min_gap, screening_k, al_audit_share, target_sensitivity from projects where id = ${projectId}`;
  if (!project) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'The project does not exist; check the project id');
  const strategy = opts.strategy ?? project.al_strategy;
  const backend = await selectBackend(opts.backend);
  const testPatients = new Set(await ensureTestSet(sql, projectId));

  const emb = await computeEmbeddings(sql, {
    projectId, store: opts.store, backbone: opts.backbone, workers: opts.workers, backend: opts.backend,
    onProgress: (done, total) => { void progress('embedding', done, total); },
  });
  await progress('embedding', 1, 1, {}, true);
  // The id and hash computeEmbeddings derived (reading every weight byte): not derived again.
  const hash = emb.weightsHash;
  const vectors = await loadEmbeddings(sql, projectId, emb.backboneId, emb.engine);

  const slices = await sql<SliceRow[]>`
    select s.id, s.series_id, s.position, s.reads_done, s.reads_required, st.patient_id, p.pseudonym, p.is_test, p.cohort, fl.value as label,
           exists (select 1 from selection_log l where l.slice_id = s.id and l.mode = 'ACTIVE') as active
    from slices s
    join series se on se.id = s.series_id
    join studies st on st.id = se.study_id
    join patients p on p.id = st.patient_id
    left join final_labels fl on fl.slice_id = s.id
    where s.project_id = ${projectId}
    -- Content order (pseudonym and de-identified UIDs), not row ids: with the seeded splits,
    -- training order and dropout, the same labels give the same model in any project.
    order by p.pseudonym, se.series_uid, s.position, s.sop_uid`;
  const usable = slices.filter((s) => vectors.has(s.id));
  const labelled = usable.filter((s) => s.label !== null && !s.is_test);
  const positives = labelled.filter((s) => s.label === 1).length;
  if (positives === 0 || positives === labelled.length) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `Training needs final labels of both classes outside the test set (have ${labelled.length}, ${positives} positive); label more slices first`);
  }
  const [{ next }] = await sql<{ next: number }[]>`select coalesce(max(round), 0) + 1 as next from model_versions where project_id = ${projectId}`;
  // TR18: fixed validation patients in two roles; uncertainty-picked slices never validate (biased).
  const nonTest = new Map(usable.filter((s) => !s.is_test).map((s) => [s.patient_id, { id: s.patient_id, pseudonym: s.pseudonym }]));
  const split = splitPatients([...nonTest.values()]);
  const trainSet = new Set(split.train), epochSet = new Set(split.epoch), calibrationSet = new Set(split.calibration);
  const trainRows = labelled.filter((s) => trainSet.has(s.patient_id));
  const epochRows = labelled.filter((s) => epochSet.has(s.patient_id) && !s.active);
  const calibrationRows = labelled.filter((s) => calibrationSet.has(s.patient_id) && !s.active);
  if (!trainRows.some((s) => s.label === 1) || !trainRows.some((s) => s.label === 0)) {
    throw new ConcordError(ErrorCode.BAD_INPUT, `Training needs final labels of both classes on training patients (have ${trainRows.length} slices, ${trainRows.filter((s) => s.label === 1).length} positive; validation patients are held out); label more slices first`);
  }

  const dim = vectors.values().next().value!.length;
  // RS1: never continue a head that trained on a patient validating this round (either role).
  const warm = await decideWarmStart(sql, { projectId, round: next, backboneId: emb.backboneId, inputDim: dim, valPatients: [...split.epoch, ...split.calibration], fullEvery: opts.fullRetrainEvery ?? fullRetrainEvery() });
  const head = warm.head ?? buildHead(dim);
  const epochs = opts.epochs ?? (warm.head ? WARM_EPOCHS.epochs : 40);
  const minEpochs = opts.minEpochs ?? (warm.head ? WARM_EPOCHS.minEpochs : HEAD_MIN_EPOCHS);
  const patience = opts.patience ?? (warm.head ? WARM_EPOCHS.patience : undefined);
  let training: Awaited<ReturnType<typeof trainHead>>;
  try {
    training = await trainHead(
      head,
      { x: trainRows.map((s) => vectors.get(s.id)!), y: trainRows.map((s) => s.label as number) },
      epochRows.length ? { x: epochRows.map((s) => vectors.get(s.id)!), y: epochRows.map((s) => s.label as number) } : null,
      { epochs, patience, minEpochs, batchSize: warm.head ? warmBatchSize(trainRows.length) : undefined, seed: next, onEpoch: (epoch, loss, valLoss) => progress('training', epoch + 1, epochs, { epoch: epoch + 1, loss, valLoss }, true) },
    );

    // TR17: with fine-tuning, head and backbone top stage(s) train end to end from here, and this
    // round's scoring, evaluation and predictions use the fine-tuned features, not the cached ones.
    const fineTune = await fineTuneStep(sql, opts.fineTune, {
      projectId, store: opts.store, backbone: opts.backbone, backend, head, round: next,
      train: trainRows.map((s) => ({ sliceId: s.id, label: s.label as 0 | 1 })),
      slices: usable.map((s) => ({ id: s.id })),
      onProgress: (stage, done, total, extra) => progress(stage === 'fine-tuning' ? 'fine-tuning' : 're-embedding', done, total, extra ?? {}, stage === 'fine-tuning'),
    });
    for (const [id, v] of fineTune.result?.vectors ?? []) vectors.set(id, v);

    await progress('scoring', 0, usable.length, {}, true);
    const x = usable.map((s) => vectors.get(s.id)!);
    const [deterministic] = mcPredict(head, x, 0);
    const candidatesIdx = usable.map((s, i) => ({ s, i })).filter(({ s }) => s.label === null && s.reads_done < s.reads_required && !s.is_test);
    const candidateX = candidatesIdx.map(({ i }) => x[i]);
    const candidateP = candidatesIdx.map(({ i }) => deterministic[i]);
    const perSlice = scoreCandidates(head, candidateX, candidateP, {
      strategy, samples: opts.mcSamples ?? 20, mcSeed: next, rngSeed: `${projectId}:${next}`,
    });
    const mcScored = perSlice.mcScored;
    // TR24, TR25: batch-aware strategies re-rank the whole candidate list for the ACTIVE picks.
    const activeBatch = project.al_batch_size - Math.round(project.al_batch_size * Math.min(1, Math.max(0, project.al_audit_share)));
    const validationPatients = new Set([...split.epoch, ...split.calibration]);
    const scores = batchAwareScores(strategy, {
      scores: perSlice.scores, probability: candidateP, vectors: candidateX, activeBatch, seed: `${projectId}:${next}`,
      eligible: (j) => !validationPatients.has(candidatesIdx[j].s.patient_id),
    });

    await progress('evaluating', 0, 1, {}, true);
    // TR19: calibration on the calibration patients only; stored predictions are calibrated.
    const indexOf = new Map(usable.map((s, i) => [s.id, i]));
    const trainPrevalence = trainRows.filter((s) => s.label === 1).length / trainRows.length;
    const calibration = fitCalibration(calibrationRows.map((s) => deterministic[indexOf.get(s.id)!]), calibrationRows.map((s) => s.label as number), trainPrevalence);
    const probability = usable.map((_, i) => applyCalibration(calibration, deterministic[i]));
    // TR20: the threshold for the lead's target patient sensitivity, on calibration patients.
    const caseSlices = new Map<string, number[]>();
    usable.forEach((s, i) => {
      if (calibrationSet.has(s.patient_id) && s.cohort === 'DCM') caseSlices.set(s.patient_id, [...(caseSlices.get(s.patient_id) ?? []), probability[i]]);
    });
    const operatingPoint = chooseOperatingPoint(
      [...caseSlices.values()].map((probabilities) => ({ probabilities })),
      calibrationRows.map((s) => ({ probability: probability[indexOf.get(s.id)!], label: s.label as 0 | 1 })),
      project.screening_k, project.target_sensitivity,
    );
    const threshold = operatingPoint.threshold;
    const chosenOn = operatingPoint.rule === 'default' ? 'default' : 'validation';
    // Legacy ModelMetrics on the test slices labelled so far: shown, never decided on (EV3, TR11).
    const testSlices = usable.map((s, i) => ({ s, p: probability[i] })).filter(({ s }) => s.is_test);
    const perPatient = new Map<string, PatientOutcome>();
    for (const { s, p } of testSlices) {
      if (!s.cohort) continue;
      const o = perPatient.get(s.patient_id) ?? { patientId: s.patient_id, cohort: s.cohort, predictedPositiveSlices: 0 };
      if (p >= threshold) o.predictedPositiveSlices += 1;
      perPatient.set(s.patient_id, o);
    }
    const metrics = evaluate(
      testSlices.filter(({ s }) => s.label !== null).map(({ s, p }) => ({ probability: p, label: s.label as 0 | 1 })),
      [...perPatient.values()],
      project.screening_k,
      threshold,
    );

    await progress('selecting', 0, 1, {}, true);
    const candidates: Candidate[] = candidatesIdx.map(({ s }, j) => ({ sliceId: s.id, patientId: s.patient_id, seriesId: s.series_id, position: s.position, score: scores[j] }));
    const selected = selectBatch(candidates, {
      batchSize: project.al_batch_size, maxPerPatient: project.al_max_per_patient, minGap: project.al_min_gap,
      auditShare: project.al_audit_share, seed: `${projectId}:${next}`,
      activeAllowed: (c) => !validationPatients.has(c.patientId),
    });

    const written = await writeModelVersion(sql, {
      projectId, backbone: fineTune.result?.backboneId ?? emb.backboneId, weightsHash: hash, backend: backend.name, strategy,
      labelCount: labelled.length,
      split: { test: [...testPatients].sort(), train: split.train, val: [...validationPatients].sort() },
      metrics: { ...metrics, thresholdChosenOn: chosenOn, operatingPoint, calibration, training: { ...trainingSummary(training), seconds: (Date.now() - started) / 1000, trainSlices: trainRows.length, valSlices: epochRows.length + calibrationRows.length, epochSlices: epochRows.length, calibrationSlices: calibrationRows.length, validationRoles: { epoch: split.epoch, calibration: split.calibration }, mcSamples: opts.mcSamples ?? 20, mcScored, warmStart: { from: warm.from, reason: warm.reason }, fullRetrainRound: warm.fullRetrainRound, fineTune: fineTune.record } },
      head: serializeHead(head),
      predictions: usable.map((s, i) => ({ sliceId: s.id, probability: probability[i] })),
      validation: calibrationRows.map((s) => ({ sliceId: s.id, label: s.label as 0 | 1, probability: probability[indexOf.get(s.id)!] })),
      scores: candidates.map((c) => ({ sliceId: c.sliceId, score: c.score })),
      selected,
    }, opts.hook, opts.lease);
    // EV3: the version's figures on the whole evaluation set; once the set is complete, every
    // earlier version is re-scored on it too, so the learning curve compares like with like.
    if ((await evaluationSetView(sql, projectId)).complete) await rescoreVersions(sql, projectId);
    else await evaluationFor(sql, written.id);
    await progress('done', 1, 1, {}, true);
    return { ...written, metrics, labelCount: labelled.length, selected: selected.length, embedded: { computed: emb.computed, cached: emb.cached } };
  } finally {
    head.dispose();
  }
}

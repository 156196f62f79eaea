import type { BatchPick, Candidate } from '../al/select.js';
import type { Strategy } from '../al/uncertainty.js';
import type { FineTuneRecord } from '../model/finetune-round.js';
import type { SerializedHead, TrainResult } from '../model/head.js';
import type { NewModelVersion } from '../versions.js';
import type { RoundEvaluation } from './evaluate-step.js';
import type { RoundPartition } from './partition.js';
import { trainingSummary, type WarmStart } from './train-step.js';

/**
 * The write step's pure half: everything a round produced, as the one record `writeModelVersion`
 * stores in a transaction. `metrics.training` is what the lead's training panel and the exports read.
 */
export function versionRecord(r: {
  projectId: string;
  backbone: string;
  weightsHash: string | null;
  backend: string;
  strategy: Strategy;
  testPatients: Set<string>;
  part: RoundPartition;
  evaluation: RoundEvaluation;
  training: TrainResult;
  seconds: number;
  mcSamples: number;
  mcScored: number;
  warm: WarmStart;
  fineTune: FineTuneRecord | undefined;
  head: SerializedHead;
  candidates: Candidate[];
  selected: BatchPick[];
}): NewModelVersion {
  const { part, evaluation } = r;
  const indexOf = new Map(part.usable.map((s, i) => [s.id, i]));
  return {
    projectId: r.projectId,
    backbone: r.backbone,
    weightsHash: r.weightsHash,
    backend: r.backend,
    strategy: r.strategy,
    labelCount: part.labelled.length,
    split: { test: [...r.testPatients].sort(), train: part.split.train, val: [...part.validationPatients].sort() },
    metrics: {
      ...evaluation.metrics,
      thresholdChosenOn: evaluation.thresholdChosenOn,
      operatingPoint: evaluation.operatingPoint,
      calibration: evaluation.calibration,
      training: {
        ...trainingSummary(r.training),
        seconds: r.seconds,
        trainSlices: part.trainRows.length,
        valSlices: part.epochRows.length + part.calibrationRows.length,
        epochSlices: part.epochRows.length,
        calibrationSlices: part.calibrationRows.length,
        validationRoles: { epoch: part.split.epoch, calibration: part.split.calibration },
        mcSamples: r.mcSamples,
        mcScored: r.mcScored,
        warmStart: { from: r.warm.from, reason: r.warm.reason },
        fullRetrainRound: r.warm.fullRetrainRound,
        fineTune: r.fineTune,
      },
    },
    head: r.head,
    predictions: part.usable.map((s, i) => ({ sliceId: s.id, probability: evaluation.probability[i] })),
    validation: part.calibrationRows.map((s) => ({ sliceId: s.id, label: s.label as 0 | 1, probability: evaluation.probability[indexOf.get(s.id)!] })),
    scores: r.candidates.map((c) => ({ sliceId: c.sliceId, score: c.score })),
    selected: r.selected,
  };
}

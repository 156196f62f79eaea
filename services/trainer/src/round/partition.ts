import { ConcordError, ErrorCode } from '@concord/contracts';
import { splitPatients, type PatientSplit } from '../eval/splits.js';
import type { RoundSliceRow } from './round.queries.js';

/** A round's slices in the roles they play: what trains, what stops the epochs, what calibrates. */
export interface RoundPartition {
  /** Slices with an embedding, in content order: everything the round predicts. */
  usable: RoundSliceRow[];
  /** Final-labelled slices outside the test set (the count recorded as the version's label count). */
  labelled: RoundSliceRow[];
  split: PatientSplit;
  calibrationPatients: Set<string>;
  /** Epoch and calibration patients: never picked by uncertainty, never trained on this round. */
  validationPatients: Set<string>;
  trainRows: RoundSliceRow[];
  epochRows: RoundSliceRow[];
  calibrationRows: RoundSliceRow[];
}

/**
 * The load step's pure half (TR18): fixed validation patients in two roles, and slices picked
 * by uncertainty never validate (a biased sample). Throws BAD_INPUT when either class is missing
 * from the labels outside the test set or from the training patients.
 */
export function partitionRound(slices: RoundSliceRow[], hasVector: (sliceId: string) => boolean): RoundPartition {
  const usable = slices.filter((s) => hasVector(s.id));
  const labelled = usable.filter((s) => s.label !== null && !s.isTest);
  const positives = labelled.filter((s) => s.label === 1).length;
  if (positives === 0 || positives === labelled.length) {
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `Training needs final labels of both classes outside the test set (have ${labelled.length}, ${positives} positive); label more slices first`,
    );
  }
  const nonTest = new Map(usable.filter((s) => !s.isTest).map((s) => [s.patientId, { id: s.patientId, pseudonym: s.pseudonym }]));
  const split = splitPatients([...nonTest.values()]);
  const trainSet = new Set(split.train),
    epochSet = new Set(split.epoch),
    calibrationPatients = new Set(split.calibration);
  const trainRows = labelled.filter((s) => trainSet.has(s.patientId));
  const epochRows = labelled.filter((s) => epochSet.has(s.patientId) && !s.active);
  const calibrationRows = labelled.filter((s) => calibrationPatients.has(s.patientId) && !s.active);
  if (!trainRows.some((s) => s.label === 1) || !trainRows.some((s) => s.label === 0)) {
    throw new ConcordError(
      ErrorCode.BAD_INPUT,
      `Training needs final labels of both classes on training patients (have ${trainRows.length} slices, ${trainRows.filter((s) => s.label === 1).length} positive; validation patients are held out); label more slices first`,
    );
  }
  return {
    usable,
    labelled,
    split,
    calibrationPatients,
    validationPatients: new Set([...split.epoch, ...split.calibration]),
    trainRows,
    epochRows,
    calibrationRows,
  };
}

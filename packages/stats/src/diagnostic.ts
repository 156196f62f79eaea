import { assertCount } from './table.js';
import { wilson, type Proportion } from './wilson.js';

export interface Confusion {
  tp: number;
  fn: number;
  tn: number;
  fp: number;
}

export interface Diagnostic {
  /** TP / (TP + FN) with Wilson 95% CI; null without reference positives. */
  sensitivity: Proportion | null;
  /** TN / (TN + FP) with Wilson 95% CI; null without reference negatives. */
  specificity: Proportion | null;
}

/** Sensitivity and specificity with Wilson score intervals. [AG5] */
export function sensitivitySpecificity(c: Confusion): Diagnostic {
  assertCount(c.tp, 'tp');
  assertCount(c.fn, 'fn');
  assertCount(c.tn, 'tn');
  assertCount(c.fp, 'fp');
  return { sensitivity: wilson(c.tp, c.tp + c.fn), specificity: wilson(c.tn, c.tn + c.fp) };
}

import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import {
  cohenKappa,
  EMPTY_TABLE,
  gwetAc1,
  mcnemarExactP,
  negativeAgreement,
  pabak,
  percentAgreement,
  positiveAgreement,
  sensitivitySpecificity,
  tableMatrix,
  tableTotal,
  tally,
  type Table2x2,
} from '@concord/stats';
import {
  firstTwoReadsTable,
  intraReaderTables,
  projectExists,
  readerFinalTables,
  readerPairTables,
  selectionModeTables,
  type CellRow,
  type SelectionCellRow,
} from './agreement.queries.js';

// The contract's own types (schema.graphql → codegen), so the service cannot drift from the schema.
import type { AgreementStats, IntraReaderAgreement, ReaderAccuracy, ReaderPairAgreement, SelectionAgreement } from '../graphql/generated.js';

export type { AgreementStats, IntraReaderAgreement, ReaderAccuracy, ReaderPairAgreement };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The project's agreement figures (SPEC.md AG13–AG17). Usernames appear in the result, so
 * callers must restrict this to leads and admins. Reads a consistent snapshot: the four
 * queries run in one repeatable-read transaction so a read landing mid-way cannot make
 * the overall table and the per-reader tables disagree.
 */
export async function agreementFor(sql: Sql, projectId: string): Promise<AgreementStats> {
  if (!UUID.test(projectId)) throw projectNotFound();
  const rows = await sql.begin('isolation level repeatable read read only', async (tx) => {
    if (!(await projectExists(tx, projectId))) return null;
    return {
      overall: await firstTwoReadsTable(tx, projectId),
      pairs: await readerPairTables(tx, projectId),
      readers: await readerFinalTables(tx, projectId),
      intra: await intraReaderTables(tx, projectId),
      bySelection: await selectionModeTables(tx, projectId),
    };
  });
  if (!rows) throw projectNotFound();

  const overall = toTable(rows.overall);
  const kappa = cohenKappa(overall);
  return {
    pairs: tableTotal(overall),
    percentAgreement: percentAgreement(overall) ?? 0,
    positiveAgreement: positiveAgreement(overall) ?? 0,
    negativeAgreement: negativeAgreement(overall) ?? 0,
    kappa: kappa?.kappa ?? 0,
    kappaLow: kappa?.low ?? 0,
    kappaHigh: kappa?.high ?? 0,
    pabak: pabak(overall) ?? 0,
    gwetAc1: gwetAc1(overall) ?? 0,
    table: tableMatrix(overall),
    readerPairs: readerPairs(rows.pairs),
    readers: readerAccuracy(rows.readers),
    intraReader: intraReader(rows.intra),
    bySelection: bySelection(rows.bySelection),
  };
}

/** The modes a lead compares [AG20], always listed (0 pairs: null figures) so a missing mode is visible. */
const SELECTION_MODES = ['RANDOM', 'SERIES', 'ACTIVE', 'AUDIT', 'TEST'] as const;

function bySelection(rows: readonly SelectionCellRow[]): SelectionAgreement[] {
  return SELECTION_MODES.map((mode) => {
    const table = toTable(rows.filter((r) => r.mode === mode));
    const kappa = cohenKappa(table);
    return {
      mode,
      pairs: tableTotal(table),
      percentAgreement: percentAgreement(table),
      kappa: kappa?.kappa ?? null,
      kappaLow: kappa?.low ?? null,
      kappaHigh: kappa?.high ?? null,
      positiveAgreement: positiveAgreement(table),
      negativeAgreement: negativeAgreement(table),
    };
  });
}

function projectNotFound(): ConcordError {
  return new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'That project does not exist; pick one from your project list.');
}

function toTable(cells: readonly CellRow[]): Table2x2 {
  return cells.reduce((t, c) => tally(t, c.a, c.b, c.n), EMPTY_TABLE as Table2x2);
}

/** Groups long-form rows by a key, keeping keys in code-point order so output is stable. */
function groupSorted<T>(rows: readonly T[], key: (r: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

function readerPairs(rows: Awaited<ReturnType<typeof readerPairTables>>): ReaderPairAgreement[] {
  return groupSorted(rows, (r) => `${r.readerA}\u0000${r.readerB}`).map(([, cells]) => {
    const t = toTable(cells);
    const k = cohenKappa(t);
    return {
      readerA: cells[0].readerA,
      readerB: cells[0].readerB,
      pairs: tableTotal(t),
      percentAgreement: percentAgreement(t) ?? 0,
      kappa: k?.kappa ?? 0,
      kappaLow: k?.low ?? 0,
      kappaHigh: k?.high ?? 0,
    };
  });
}

function readerAccuracy(rows: Awaited<ReturnType<typeof readerFinalTables>>): ReaderAccuracy[] {
  return groupSorted(rows, (r) => r.reader).map(([reader, cells]) => {
    let reads = 0;
    let positives = 0;
    // a = final label, b = this reader: n01 = reader over-calls, n10 = reader misses.
    let vsFinal: Table2x2 = EMPTY_TABLE;
    for (const c of cells) {
      reads += c.n;
      if (c.value === 1) positives += c.n;
      if (c.finalValue !== null) vsFinal = tally(vsFinal, c.finalValue, c.value, c.n);
    }
    const { sensitivity, specificity } = sensitivitySpecificity({ tp: vsFinal.n11, fn: vsFinal.n10, tn: vsFinal.n00, fp: vsFinal.n01 });
    return {
      reader,
      reads,
      sensitivity: sensitivity?.estimate ?? null,
      specificity: specificity?.estimate ?? null,
      mcnemarP: tableTotal(vsFinal) === 0 ? null : mcnemarExactP(vsFinal.n01, vsFinal.n10),
      positiveRate: reads === 0 ? 0 : positives / reads,
    };
  });
}

function intraReader(rows: Awaited<ReturnType<typeof intraReaderTables>>): IntraReaderAgreement[] {
  return groupSorted(rows, (r) => r.reader).map(([reader, cells]) => {
    const t = toTable(cells);
    return {
      reader,
      pairs: tableTotal(t),
      percentAgreement: percentAgreement(t) ?? 0,
      kappa: cohenKappa(t)?.kappa ?? null,
    };
  });
}

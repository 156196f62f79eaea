import type { Sql } from '@concord/db';
import type { SliceTruth } from './truth.js';

export interface ClassAgreement {
  pairs: number;
  agreed: number;
  rate: number | null;
}
export interface ObservedAgreement {
  negative: ClassAgreement;
  positive: ClassAgreement;
  /** Final labels that match the ground truth. */
  finalCorrect: number;
  finalTotal: number;
}

/** Agreement between the two independent reads of each slice, split by the true class. */
export async function observedAgreement(sql: Sql, projectId: string, truth: Map<string, SliceTruth>): Promise<ObservedAgreement> {
  const pairs = await sql<{ sliceId: string; a: number; b: number }[]>`
    select slice_id, min(value)::int as a, max(value)::int as b from reads
     where project_id = ${projectId} and not is_repeat group by slice_id having count(*) = 2`;
  const tally = { negative: { pairs: 0, agreed: 0 }, positive: { pairs: 0, agreed: 0 } };
  for (const p of pairs) {
    const c = truth.get(p.sliceId)!.label === 1 ? tally.positive : tally.negative;
    c.pairs++;
    if (p.a === p.b) c.agreed++;
  }
  const finals = await sql<{ sliceId: string; value: number }[]>`select slice_id, value from final_labels where project_id = ${projectId}`;
  const rate = (c: { pairs: number; agreed: number }): ClassAgreement => ({ ...c, rate: c.pairs ? c.agreed / c.pairs : null });
  return {
    negative: rate(tally.negative),
    positive: rate(tally.positive),
    finalCorrect: finals.filter((f) => truth.get(f.sliceId)!.label === f.value).length,
    finalTotal: finals.length,
  };
}

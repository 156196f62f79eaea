import type { Sql } from '@concord/db';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { isUuid } from '../auth/guard.js';
import { insertFinalLabel } from '../labels/labels.queries.js';

export interface AdjudicationRow {
  id: number;
  itemId: string;
  userId: string;
  value: number;
  reasonCode: string;
  note: string | null;
  createdAt: Date;
  projectId: string;
}

/** [AJ4]–[AJ6] */
export async function adjudicate(
  sql: Sql,
  input: { itemId: string; userId: string; value: number; reason: string; note: string | null },
): Promise<AdjudicationRow> {
  if (input.value !== 0 && input.value !== 1) throw new ConcordError(ErrorCode.BAD_INPUT, 'A decision is 0 (no compression) or 1 (compression).');
  if (input.note && input.note.length > 2000) throw new ConcordError(ErrorCode.BAD_INPUT, 'Notes are at most 2000 characters.');
  const notFound = new ConcordError(ErrorCode.NOT_FOUND, 'No such adjudication item in your projects.');
  if (!isUuid(input.itemId)) throw notFound;
  return sql.begin(async (tx) => {
    const [item] = await tx<{ id: string; projectId: string; sliceId: string; reasonCodes: string[]; mayHaveRead: boolean }[]>`
      select i.id, i.project_id, i.slice_id, p.reason_codes, p.adjudicator_may_have_read as may_have_read
        from adjudication_items i join projects p on p.id = i.project_id
       where i.id = ${input.itemId} for update of i`;
    if (!item) throw notFound;
    const [member] = await tx`
      select 1 from project_members where project_id = ${item.projectId} and user_id = ${input.userId}
      union all select 1 from user_roles where user_id = ${input.userId} and role = 'ADMIN'`;
    if (!member) throw notFound;
    if (!item.reasonCodes.includes(input.reason)) {
      throw new ConcordError(ErrorCode.BAD_INPUT, `Reason must be one of the project's codes: ${item.reasonCodes.join(', ')}.`);
    }
    const [done] = await tx`select 1 from adjudications where item_id = ${item.id}`;
    if (done) throw new ConcordError(ErrorCode.ALREADY_ADJUDICATED, 'This item has already been decided.');
    if (!item.mayHaveRead) {
      const [own] = await tx`select 1 from reads where slice_id = ${item.sliceId} and user_id = ${input.userId}`;
      if (own) throw new ConcordError(ErrorCode.CONFLICT_OF_INTEREST, 'You read this slice yourself, so another adjudicator must decide it.');
    }
    const [row] = await tx<AdjudicationRow[]>`
      insert into adjudications (item_id, user_id, value, reason_code, note)
      values (${item.id}, ${input.userId}, ${input.value}, ${input.reason}, ${input.note})
      returning *`;
    await insertFinalLabel(tx, item.projectId, item.sliceId, input.value, 'ADJUDICATION');
    return { ...row, projectId: item.projectId };
  });
}

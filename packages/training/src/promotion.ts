import type { Sql, TxSql } from '@concord/db';
import { ConcordError, ErrorCode } from '@concord/contracts';
import { publish } from './notify.js';

export type ModelStatus = 'CANDIDATE' | 'CURRENT' | 'RETIRED';

export interface PromotionRecord {
  basis: 'VALIDATION' | 'MANUAL';
  decidedBy: string | null;
  note: string | null;
}

/** Makes `id` the project's CURRENT version inside the caller's transaction (TR11, TR12). */
export async function promoteInTx(tx: TxSql, projectId: string, id: string, record: PromotionRecord): Promise<void> {
  await tx`update model_versions set status = 'RETIRED' where project_id = ${projectId} and status = 'CURRENT' and id <> ${id}`;
  await tx`update model_versions set status = 'CURRENT', promoted_at = now(), promotion_basis = ${record.basis},
             promotion_decided_at = now(), promotion_decided_by = ${record.decidedBy}, promotion_note = ${record.note}
           where id = ${id}`;
  await tx`update projects set current_model_version_id = ${id} where id = ${projectId}`;
  // Assignment reads the current version's ranks: labelers' queues have changed.
  await publish(tx, { type: 'queue:reprioritised', projectId });
}

/**
 * Makes a version CURRENT whatever its metrics (a lead's decision, or a rollback to a RETIRED
 * one); the previous current version becomes RETIRED.
 */
export async function promote(
  sql: Sql,
  modelVersionId: string,
  audit?: { actorId: string | null; via: 'graphql' | 'cli'; note?: string | null },
): Promise<{ id: string; projectId: string; status: ModelStatus }> {
  return sql.begin(async (tx) => {
    const [mv] = await tx<{ projectId: string }[]>`select project_id from model_versions where id = ${modelVersionId}`;
    if (!mv) throw new ConcordError(ErrorCode.NOT_FOUND, 'No such model version; refresh the list of model versions');
    const [project] = await tx<{ currentModelVersionId: string | null }[]>`select current_model_version_id from projects where id = ${mv.projectId} for update`;
    await promoteInTx(tx, mv.projectId, modelVersionId, { basis: 'MANUAL', decidedBy: audit?.actorId ?? null, note: audit?.note ?? null });
    // In the same transaction: a promotion or rollback is never committed unaudited.
    if (audit) {
      await tx`insert into audit_log (project_id, actor_id, action, entity_id, payload)
               values (${mv.projectId}, ${audit.actorId}, 'PROMOTE_MODEL', ${modelVersionId},
                       ${tx.json({ previous: project.currentModelVersionId, via: audit.via, ...(audit.note ? { note: audit.note } : {}) })})`;
    }
    return { id: modelVersionId, projectId: mv.projectId, status: 'CURRENT' as const };
  });
}

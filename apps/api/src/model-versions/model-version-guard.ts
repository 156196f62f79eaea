import type { Sql } from '@concord/db';
import type { AuthUser } from '../auth/sessions.queries.js';
import { requireLeadOfRow } from '../auth/guard.js';
import { modelVersionById } from './model-versions.queries.js';

/** A model version the caller leads; unknown ids and other projects' versions look the same. */
export function requireLeadOfModelVersion(sql: Sql, user: AuthUser | null, id: string) {
  return requireLeadOfRow(sql, user, id, modelVersionById, 'No such model version in your projects.');
}

import type { Sql } from '@concord/db';
import type { AuthUser } from '../auth/sessions.queries.js';

/** The slice's file key when this user may view it, else undefined. */
export async function canViewSlice(sql: Sql, user: AuthUser, sliceId: string): Promise<string | undefined> {
  const isAdmin = user.roles.includes('ADMIN');
  const isReviewer = user.roles.includes('LEAD') || user.roles.includes('ADJUDICATOR');
  const isLabeler = user.roles.includes('LABELER');
  const [row] = await sql<{ fileKey: string }[]>`
    select s.file_key from slices s
     where s.id = ${sliceId}
       and (
         ${isAdmin}
         or (${isReviewer} and exists (select 1 from project_members m where m.project_id = s.project_id and m.user_id = ${user.id}))
         or (${isLabeler} and exists (
               select 1 from assignments a join slices t on t.id = a.slice_id
                where a.user_id = ${user.id} and t.series_id = s.series_id))
       )`;
  return row?.fileKey;
}

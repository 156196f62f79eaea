/** A user's roles in Concord; the schema's `enum Role` is generated from the same four names. */
export const ROLES = ['ADMIN', 'LEAD', 'ADJUDICATOR', 'LABELER'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}

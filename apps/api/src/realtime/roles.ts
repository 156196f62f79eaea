export const ROLES = ['ADMIN', 'LEAD', 'ADJUDICATOR', 'LABELER'] as const;
export type Role = (typeof ROLES)[number];
export function isRole(x: string): x is Role {
  return (ROLES as readonly string[]).includes(x);
}

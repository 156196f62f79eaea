import type { Role } from '@concord/contracts';

/** Pages and the roles that may open them. The server enforces roles; this only hides links. */
export const PAGES = [
  { href: '/label', title: 'Label', roles: ['LABELER'] },
  { href: '/adjudicate', title: 'Adjudicate', roles: ['ADJUDICATOR'] },
  { href: '/lead', title: 'Dashboard', roles: ['LEAD', 'ADMIN'] },
  { href: '/admin', title: 'Admin', roles: ['ADMIN'] },
] as const satisfies readonly { href: string; title: string; roles: readonly Role[] }[];

export type PageHref = (typeof PAGES)[number]['href'];

export function mayOpen(roles: readonly Role[], href: PageHref): boolean {
  const page = PAGES.find((p) => p.href === href);
  return !!page && page.roles.some((r) => roles.includes(r));
}

export function homeFor(roles: readonly Role[]): PageHref | null {
  return PAGES.find((p) => p.roles.some((r) => roles.includes(r)))?.href ?? null;
}

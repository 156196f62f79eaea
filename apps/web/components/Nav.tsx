'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useSession } from '../lib/session';
import { PAGES } from '../lib/roles';

/** Shows only the pages the user's roles allow. */
export function Nav() {
  const { me, projectId, setProjectId, logout } = useSession();
  const pathname = usePathname();
  const router = useRouter();
  if (!me || pathname === '/login') return null;
  const pages = PAGES.filter((p) => p.roles.some((r) => me.roles.includes(r)));
  return (
    <header className="nav">
      <span className="brand">Concord</span>
      <nav aria-label="Main">
        {pages.map((p) => (
          <Link key={p.href} href={p.href} className={pathname === p.href ? 'active' : undefined} aria-current={pathname === p.href ? 'page' : undefined}>
            {p.title}
          </Link>
        ))}
      </nav>
      <span className="spacer" />
      {me.projects.length > 0 && (
        <label className="project-pick">
          Project{' '}
          <select value={projectId ?? ''} onChange={(e) => setProjectId(e.target.value)}>
            {me.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <span className="who" data-testid="who">
        {me.username} · {me.roles.join(', ').toLowerCase()}
      </span>
      <button
        type="button"
        onClick={async () => {
          await logout();
          router.replace('/login');
        }}
      >
        Sign out
      </button>
    </header>
  );
}

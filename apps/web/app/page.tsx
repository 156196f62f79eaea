'use client';
import { useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { useRequireSession } from '../lib/session';
import { homeFor } from '../lib/roles';

export default function Home() {
  const { me, error } = useRequireSession();
  const router = useRouter();
  useEffect(() => {
    if (me) {
      const home = homeFor(me.roles);
      if (home) router.replace(home);
    }
  }, [me, router]);
  if (error)
    return (
      <div className="notice error" role="alert">
        {error}
      </div>
    );
  if (me && !homeFor(me.roles)) return <div className="empty">Your account has no role yet. Ask an admin to give you one.</div>;
  return <div className="empty">Loading…</div>;
}

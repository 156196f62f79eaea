'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, describeError, gql } from './graphql';
import type { MeQuery } from './gql/graphql';
import { LOGOUT, ME } from './queries';

export type Me = MeQuery['me'];

type Session = {
  me: Me | null;
  loading: boolean;
  error: string | null;
  projectId: string | null;
  setProjectId: (id: string) => void;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);
const PROJECT_KEY = 'concord.projectId';
/** Kept for the Socket.io handshake (`auth.token`) when the API lives on another host. */
export const TOKEN_KEY = 'concord.token';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [projectId, setProjectIdState] = useState<string | null>(null);
  // The query cache holds what one user was shown: another user starts from an empty one.
  const queryClient = useQueryClient();
  const userRef = useRef<string | null>(null);

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const data = await gql(ME);
      if (userRef.current !== data.me.id) queryClient.clear();
      userRef.current = data.me.id;
      setMe(data.me);
      setError(null);
      const saved = window.localStorage.getItem(PROJECT_KEY);
      const pick = data.me.projects.find((p) => p.id === saved) ?? data.me.projects[0];
      setProjectIdState(pick?.id ?? null);
    } catch (e) {
      setMe(null);
      if (!(e instanceof ApiError && e.code === 'UNAUTHENTICATED')) setError(describeError(e).message);
    } finally {
      setLoading(false);
    }
  }, [queryClient]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const setProjectId = useCallback((id: string) => {
    window.localStorage.setItem(PROJECT_KEY, id);
    setProjectIdState(id);
  }, []);

  const logout = useCallback(async () => {
    try {
      await gql(LOGOUT);
    } finally {
      window.sessionStorage.removeItem(TOKEN_KEY);
      userRef.current = null;
      queryClient.clear();
      setMe(null);
    }
  }, [queryClient]);

  const value = useMemo(
    () => ({ me, loading, error, projectId, setProjectId, refresh, logout }),
    [me, loading, error, projectId, setProjectId, refresh, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** For pages that need a signed-in user: sends everyone else to the login page. */
export function useRequireSession(): Session {
  const s = useSession();
  const router = useRouter();
  useEffect(() => {
    if (!s.loading && !s.me && !s.error) router.replace('/login');
  }, [s.loading, s.me, s.error, router]);
  return s;
}

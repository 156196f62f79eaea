'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

/**
 * The app's one query cache. Server state changes are announced by socket events, which
 * invalidate the keys they affect (lib/invalidations.ts); so no refetch on focus or reconnect and
 * no retries that would hold an error back from the page.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, refetchOnReconnect: false, retry: false } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

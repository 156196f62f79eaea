'use client';
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { useQueryClient } from '@tanstack/react-query';
import { SOCKET_HEADER, type ServerEvent } from '@concord/contracts';
import { TOKEN_KEY } from './session';
import { invalidatedBy } from './invalidations';

export type { ServerEvent };

type RuntimeConfig = { socket: { url: string | null; port: string } };

let configPromise: Promise<RuntimeConfig> | null = null;
function runtimeConfig(): Promise<RuntimeConfig> {
  configPromise ??= fetch('/concord-config').then((r) => r.json() as Promise<RuntimeConfig>);
  return configPromise;
}

function socketUrl(cfg: RuntimeConfig): string {
  if (cfg.socket.url) return cfg.socket.url;
  // Same host name as the page, so the session cookie set on it is sent to the API port too.
  return `${window.location.protocol}//${window.location.hostname}:${cfg.socket.port}`;
}

export type ConnectionState = 'connecting' | 'live' | 'offline';

/** This tab's connected socket per project: a request names it so its answer is not repeated as an event (API rule RT5). */
const connectedSockets = new Map<string, Socket>();

/** The header naming this tab's live socket for the project, or none while it is not connected. */
export function ownSocketHeader(projectId: string): Record<string, string> {
  const id = connectedSockets.get(projectId)?.id;
  return id ? { [SOCKET_HEADER]: id } : {};
}

/**
 * Joins a project's event stream and hands every event to `onEvent`, if given. The server decides which
 * event types this user may receive; the handler switches on `e.type`. Each event then marks the
 * cached queries it affects stale (lib/invalidations.ts), and those in use refetch.
 */
export function useProjectEvents(projectId: string | null, onEvent?: (e: ServerEvent) => void): ConnectionState {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<ConnectionState>('connecting');
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!projectId) return;
    let socket: Socket | null = null;
    let cancelled = false;
    void runtimeConfig().then((cfg) => {
      if (cancelled) return;
      const token = window.sessionStorage.getItem(TOKEN_KEY);
      socket = io(socketUrl(cfg), {
        path: '/socket.io',
        withCredentials: true,
        auth: token ? { token } : {},
        transports: ['websocket', 'polling'],
      });
      socket.on('connect', () => {
        setState('live');
        if (socket) connectedSockets.set(projectId, socket);
        socket?.emit('join', { projectId });
      });
      socket.on('disconnect', () => setState('offline'));
      socket.on('connect_error', () => setState('offline'));
      socket.on('event', (e: ServerEvent) => {
        if (e.projectId !== projectId) return;
        handler.current?.(e);
        for (const queryKey of invalidatedBy(e)) void queryClient.invalidateQueries({ queryKey });
      });
    });
    return () => {
      cancelled = true;
      if (socket && connectedSockets.get(projectId) === socket) connectedSockets.delete(projectId);
      socket?.disconnect();
    };
  }, [projectId, queryClient]);

  return state;
}

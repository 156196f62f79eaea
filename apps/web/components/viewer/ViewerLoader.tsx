'use client';
import dynamic from 'next/dynamic';

/** Cornerstone touches WebGL and workers at import, so the viewer is never rendered on the server. */
export const Viewer = dynamic(() => import('./StackViewer').then((m) => m.StackViewer), {
  ssr: false,
  loading: () => <div className="viewer loading">Loading viewer…</div>,
});

'use client';
import type { RefObject } from 'react';
import type { ViewerHandle } from './viewer/StackViewer';

/**
 * Window presets relative to the file's own window: MR intensities have no fixed units, so
 * CT-style absolute presets would mean nothing here.
 */
const PRESETS = [
  { name: 'Default', scale: 1, shift: 0 },
  { name: 'Narrow (cord/CSF)', scale: 0.5, shift: 0 },
  { name: 'Wide', scale: 2, shift: 0 },
  { name: 'Bright', scale: 1, shift: -0.25 },
] as const;

export function ViewerTools({ viewer }: { viewer: RefObject<ViewerHandle | null> }) {
  return (
    <div className="tools" role="toolbar" aria-label="Viewer tools">
      {PRESETS.map((p) => (
        <button
          key={p.name}
          type="button"
          onClick={() => {
            const base = viewer.current?.defaultWindow();
            if (base) viewer.current?.setWindow(base.center + p.shift * base.width, base.width * p.scale);
          }}
        >
          {p.name}
        </button>
      ))}
      <button type="button" onClick={() => viewer.current?.zoom(1.25)} title="Zoom in (+)">
        Zoom +
      </button>
      <button type="button" onClick={() => viewer.current?.zoom(0.8)} title="Zoom out (−)">
        Zoom −
      </button>
      <button type="button" onClick={() => viewer.current?.invert()} title="Invert (I)">
        Invert
      </button>
      <button type="button" onClick={() => viewer.current?.reset()} title="Reset (Space)">
        Reset
      </button>
    </div>
  );
}

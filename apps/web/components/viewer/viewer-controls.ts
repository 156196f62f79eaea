/**
 * The viewer's imperative controls (keyboard shortcuts and tool buttons drive them), acting on the
 * live viewport. Each is a no-op before the viewport exists.
 */
import type { StackViewport } from '@cornerstonejs/core';
import type { Voi } from './use-stack-viewport';

export type ViewerHandle = {
  /** Back to the target slice, default window, no zoom or pan, not inverted. */
  reset(): void;
  scroll(delta: number): void;
  invert(): void;
  zoom(factor: number): void;
  setWindow(center: number, width: number): void;
  /** The window from the file's header (or the image's range when absent). */
  defaultWindow(): { center: number; width: number } | null;
};

type Live = {
  viewport: () => StackViewport | null;
  targetIndex: () => number;
  stackLength: () => number;
  defaultVoi: () => Voi | null;
  setInverted: (inverted: boolean) => void;
};

export function viewerControls(live: Live): ViewerHandle {
  return {
    reset() {
      const vp = live.viewport();
      if (!vp) return;
      void vp.setImageIdIndex(live.targetIndex()).then(() => {
        vp.resetCamera();
        vp.resetProperties();
        vp.setProperties({ invert: false });
        live.setInverted(false);
        vp.render();
      });
    },
    scroll(delta: number) {
      const vp = live.viewport();
      if (!vp) return;
      const next = Math.min(Math.max(vp.getCurrentImageIdIndex() + delta, 0), live.stackLength() - 1);
      void vp.setImageIdIndex(next);
    },
    invert() {
      const vp = live.viewport();
      if (!vp) return;
      const next = !vp.getProperties().invert;
      vp.setProperties({ invert: next });
      live.setInverted(next);
      vp.render();
    },
    zoom(factor: number) {
      const vp = live.viewport();
      if (!vp) return;
      vp.setZoom(vp.getZoom() * factor);
      vp.render();
    },
    setWindow(center: number, width: number) {
      const vp = live.viewport();
      if (!vp) return;
      vp.setProperties({ voiRange: { lower: center - width / 2, upper: center + width / 2 } });
      vp.render();
    },
    defaultWindow() {
      return live.defaultVoi();
    },
  };
}

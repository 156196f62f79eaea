'use client';
/**
 * The Cornerstone3D side of the stack viewer: one rendering engine, viewport and tool group per
 * mounted viewer, and the viewport's events turned into React state (current slice, window).
 */
import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import { Enums, RenderingEngine, type StackViewport, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { ensureCornerstone } from './cornerstone-setup';

export type Voi = { center: number; width: number };

export function voiOf(range: Types.VOIRange | undefined): Voi | null {
  return range ? { center: (range.upper + range.lower) / 2, width: range.upper - range.lower } : null;
}

let counter = 0;

export function useStackViewport(startIndex: number, onTargetRendered: MutableRefObject<((imageId: string) => void) | undefined>) {
  const elementRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<StackViewport | null>(null);
  // The image the viewer is moving to; its first draw is reported once.
  const pendingTarget = useRef<string | null>(null);
  const [ready, setReady] = useState(false);
  const [index, setIndex] = useState(startIndex);
  const [voi, setVoi] = useState<Voi | null>(null);

  useEffect(() => {
    let disposed = false;
    const element = elementRef.current;
    if (!element) return;
    const n = ++counter;
    const ids = { engine: `concord-engine-${n}`, viewport: `concord-stack-${n}`, toolGroup: `concord-tools-${n}` };
    let engine: RenderingEngine | null = null;

    const onRendered = () => {
      const current = viewportRef.current?.getCurrentImageId();
      if (current && pendingTarget.current && current === pendingTarget.current) {
        pendingTarget.current = null;
        onTargetRendered.current?.(current);
      }
    };
    const onNewImage = () => {
      const vp = viewportRef.current;
      if (vp) setIndex(vp.getCurrentImageIdIndex());
    };
    const onVoi = (evt: Event) => {
      const range = (evt as CustomEvent<{ range: Types.VOIRange }>).detail?.range;
      if (range) setVoi(voiOf(range));
    };

    void ensureCornerstone().then(() => {
      if (disposed) return;
      engine = new RenderingEngine(ids.engine);
      engine.enableElement({
        viewportId: ids.viewport,
        type: Enums.ViewportType.STACK,
        element,
        defaultOptions: { background: [0, 0, 0] as Types.Point3 },
      });
      viewportRef.current = engine.getViewport(ids.viewport) as StackViewport;
      const group = ToolGroupManager.createToolGroup(ids.toolGroup);
      if (group) {
        for (const t of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) group.addTool(t.toolName);
        group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
        group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
        group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
        group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
        group.addViewport(ids.viewport, ids.engine);
      }
      element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      element.addEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      element.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
      setReady(true);
    });

    return () => {
      disposed = true;
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      element.removeEventListener(Enums.Events.VOI_MODIFIED, onVoi);
      ToolGroupManager.destroyToolGroup(ids.toolGroup);
      engine?.destroy();
      viewportRef.current = null;
    };
  }, [onTargetRendered]);

  return { elementRef, viewportRef, pendingTarget, ready, index, setIndex, voi, setVoi };
}

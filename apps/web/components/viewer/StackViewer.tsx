'use client';
/**
 * A Cornerstone3D stack viewport over one series, opened on the target slice. Neighbouring
 * slices are one wheel step or arrow key away; the target is always marked so a reader knows
 * which slice the label applies to. Loaded only in the browser (see ViewerLoader).
 */
import { useEffect, useImperativeHandle, useRef, useState, type RefObject } from 'react';
import { Enums, RenderingEngine, imageLoader, type StackViewport, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { ensureCornerstone } from './cornerstone-setup';

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

export type ViewerProps = {
  imageIds: string[];
  targetIndex: number;
  /** Fired after the target image of a new stack is first drawn. */
  onTargetRendered?: (imageId: string) => void;
  onError?: (message: string) => void;
  /** Image ids to decode in the background (next likely stack). */
  prefetch?: string[];
  /** Filled with the viewer's controls (a plain prop, so it survives next/dynamic). */
  controls?: RefObject<ViewerHandle | null>;
};

let counter = 0;

export function StackViewer(props: ViewerProps) {
  const elementRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<StackViewport | null>(null);
  const ids = useRef({ engine: '', viewport: '', toolGroup: '' });
  const propsRef = useRef(props);
  propsRef.current = props;
  const pendingTarget = useRef<string | null>(null);
  const [ready, setReady] = useState(false);
  const [index, setIndex] = useState(props.targetIndex);
  const [voi, setVoi] = useState<{ center: number; width: number } | null>(null);
  const [inverted, setInverted] = useState(false);
  const defaultVoi = useRef<{ center: number; width: number } | null>(null);

  useEffect(() => {
    let disposed = false;
    const element = elementRef.current;
    if (!element) return;
    const n = ++counter;
    ids.current = { engine: `concord-engine-${n}`, viewport: `concord-stack-${n}`, toolGroup: `concord-tools-${n}` };
    let engine: RenderingEngine | null = null;

    const onRendered = () => {
      const vp = viewportRef.current;
      if (!vp) return;
      const current = vp.getCurrentImageId();
      if (pendingTarget.current && current === pendingTarget.current) {
        pendingTarget.current = null;
        propsRef.current.onTargetRendered?.(current);
      }
    };
    const onNewImage = () => {
      const vp = viewportRef.current;
      if (vp) setIndex(vp.getCurrentImageIdIndex());
    };
    const onVoi = (evt: Event) => {
      const range = (evt as CustomEvent<{ range: Types.VOIRange }>).detail?.range;
      if (range) setVoi({ center: (range.upper + range.lower) / 2, width: range.upper - range.lower });
    };

    void ensureCornerstone().then(() => {
      if (disposed) return;
      engine = new RenderingEngine(ids.current.engine);
      engine.enableElement({
        viewportId: ids.current.viewport,
        type: Enums.ViewportType.STACK,
        element,
        defaultOptions: { background: [0, 0, 0] as Types.Point3 },
      });
      viewportRef.current = engine.getViewport(ids.current.viewport) as StackViewport;
      const group = ToolGroupManager.createToolGroup(ids.current.toolGroup);
      if (group) {
        for (const t of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) group.addTool(t.toolName);
        group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
        group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
        group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
        group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
        group.addViewport(ids.current.viewport, ids.current.engine);
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
      ToolGroupManager.destroyToolGroup(ids.current.toolGroup);
      engine?.destroy();
      viewportRef.current = null;
    };
  }, []);

  const stackKey = props.imageIds.join('|') + '#' + props.targetIndex;
  useEffect(() => {
    const vp = viewportRef.current;
    if (!ready || !vp || props.imageIds.length === 0) return;
    const target = props.imageIds[props.targetIndex];
    pendingTarget.current = target;
    const current = vp.getImageIds();
    if (current.length === props.imageIds.length && current.every((id, i) => id === props.imageIds[i])) {
      // Next assignment in the same series: its pixels are cached, so only move (the fast path).
      vp.setImageIdIndex(props.targetIndex)
        .then(() => {
          setIndex(props.targetIndex);
          vp.render();
        })
        .catch((e: unknown) => propsRef.current.onError?.(e instanceof Error ? e.message : 'The image could not be shown.'));
      return;
    }
    setInverted(false);
    vp.setStack(props.imageIds, props.targetIndex)
      .then(() => {
        const props0 = vp.getProperties();
        const range = props0.voiRange;
        defaultVoi.current = range ? { center: (range.upper + range.lower) / 2, width: range.upper - range.lower } : null;
        setVoi(defaultVoi.current);
        setIndex(props.targetIndex);
        vp.render();
        // Neighbours in the background, so scrolling never waits on the network.
        void Promise.allSettled(props.imageIds.map((id) => imageLoader.loadAndCacheImage(id)));
      })
      .catch((e: unknown) => propsRef.current.onError?.(e instanceof Error ? e.message : 'The image could not be shown.'));
    // stackKey captures imageIds and targetIndex.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, stackKey]);

  const prefetchKey = (props.prefetch ?? []).join('|');
  useEffect(() => {
    if (!ready) return;
    for (const id of props.prefetch ?? []) void imageLoader.loadAndCacheImage(id).catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, prefetchKey]);

  useImperativeHandle(
    props.controls,
    () => ({
      reset() {
        const vp = viewportRef.current;
        if (!vp) return;
        void vp.setImageIdIndex(propsRef.current.targetIndex).then(() => {
          vp.resetCamera();
          vp.resetProperties();
          vp.setProperties({ invert: false });
          setInverted(false);
          vp.render();
        });
      },
      scroll(delta: number) {
        const vp = viewportRef.current;
        if (!vp) return;
        const next = Math.min(Math.max(vp.getCurrentImageIdIndex() + delta, 0), propsRef.current.imageIds.length - 1);
        void vp.setImageIdIndex(next);
      },
      invert() {
        const vp = viewportRef.current;
        if (!vp) return;
        const next = !vp.getProperties().invert;
        vp.setProperties({ invert: next });
        setInverted(next);
        vp.render();
      },
      zoom(factor: number) {
        const vp = viewportRef.current;
        if (!vp) return;
        vp.setZoom(vp.getZoom() * factor);
        vp.render();
      },
      setWindow(center: number, width: number) {
        const vp = viewportRef.current;
        if (!vp) return;
        vp.setProperties({ voiRange: { lower: center - width / 2, upper: center + width / 2 } });
        vp.render();
      },
      defaultWindow() {
        return defaultVoi.current;
      },
    }),
    [],
  );

  const total = props.imageIds.length;
  const onTarget = index === props.targetIndex;
  return (
    <div className="viewer">
      <div
        ref={elementRef}
        className="viewport"
        data-testid="viewport"
        // An interactive image: the viewer takes the mouse and wheel itself (window/level, zoom, pan, scroll).
        role="application"
        onContextMenu={(e) => e.preventDefault()}
        aria-label="Image viewer: drag to change window/level, right-drag to zoom, middle-drag to pan, wheel to scroll"
      />
      <div className="overlay top-left" data-testid="slice-indicator">
        <div>
          Slice {index + 1} / {total}
        </div>
        {onTarget ? (
          <div className="target-mark" data-testid="on-target">
            ● Target slice
          </div>
        ) : (
          <div className="context-mark" data-testid="off-target">
            Context slice — target is {props.targetIndex + 1} (Space returns)
          </div>
        )}
      </div>
      <div className="overlay top-right">
        {voi && (
          <div data-testid="voi">
            W {Math.round(voi.width)} L {Math.round(voi.center)}
          </div>
        )}
        {inverted && <div>Inverted</div>}
      </div>
      <div className="slice-strip" aria-hidden="true">
        {props.imageIds.map((id, i) => (
          <span key={id} className={`tick${i === props.targetIndex ? ' target' : ''}${i === index ? ' current' : ''}`} />
        ))}
      </div>
    </div>
  );
}

'use client';
/**
 * A Cornerstone3D stack viewport over one series, opened on the target slice. Neighbouring
 * slices are one wheel step or arrow key away; the target is always marked so a reader knows
 * which slice the label applies to. Loaded only in the browser (see ViewerLoader).
 */
import { useEffect, useImperativeHandle, useRef, useState, type RefObject } from 'react';
import { imageLoader } from '@cornerstonejs/core';
import { useStackViewport, voiOf, type Voi } from './use-stack-viewport';
import { viewerControls, type ViewerHandle } from './viewer-controls';
import { ViewerOverlay } from './ViewerOverlay';

export type { ViewerHandle };

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

const failed = (e: unknown) => (e instanceof Error ? e.message : 'The image could not be shown.');

export function StackViewer(props: ViewerProps) {
  const propsRef = useRef(props);
  propsRef.current = props;
  const onTargetRendered = useRef(props.onTargetRendered);
  onTargetRendered.current = props.onTargetRendered;
  const { elementRef, viewportRef, pendingTarget, ready, index, setIndex, voi, setVoi } = useStackViewport(props.targetIndex, onTargetRendered);
  const [inverted, setInverted] = useState(false);
  const defaultVoi = useRef<Voi | null>(null);

  const stackKey = `${props.imageIds.join('|')}#${props.targetIndex}`;
  useEffect(() => {
    const vp = viewportRef.current;
    const { imageIds, targetIndex } = propsRef.current;
    if (!ready || !vp || imageIds.length === 0) return;
    pendingTarget.current = imageIds[targetIndex];
    const current = vp.getImageIds();
    if (current.length === imageIds.length && current.every((id, i) => id === imageIds[i])) {
      // Next assignment in the same series: its pixels are cached, so only move (the fast path).
      vp.setImageIdIndex(targetIndex)
        .then(() => {
          setIndex(targetIndex);
          vp.render();
        })
        .catch((e: unknown) => propsRef.current.onError?.(failed(e)));
      return;
    }
    setInverted(false);
    vp.setStack(imageIds, targetIndex)
      .then(() => {
        defaultVoi.current = voiOf(vp.getProperties().voiRange);
        setVoi(defaultVoi.current);
        setIndex(targetIndex);
        vp.render();
        // Neighbours in the background, so scrolling never waits on the network.
        void Promise.allSettled(imageIds.map((id) => imageLoader.loadAndCacheImage(id)));
      })
      .catch((e: unknown) => propsRef.current.onError?.(failed(e)));
    // stackKey captures imageIds and targetIndex; the rest are refs and state setters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, stackKey]);

  const prefetchKey = (props.prefetch ?? []).join('|');
  useEffect(() => {
    if (!ready) return;
    for (const id of propsRef.current.prefetch ?? []) void imageLoader.loadAndCacheImage(id).catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, prefetchKey]);

  useImperativeHandle(
    props.controls,
    () =>
      viewerControls({
        viewport: () => viewportRef.current,
        targetIndex: () => propsRef.current.targetIndex,
        stackLength: () => propsRef.current.imageIds.length,
        defaultVoi: () => defaultVoi.current,
        setInverted,
      }),
    [viewportRef],
  );

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
      <ViewerOverlay index={index} targetIndex={props.targetIndex} imageIds={props.imageIds} voi={voi} inverted={inverted} />
    </div>
  );
}

/**
 * Browser-side timings, exposed as `window.__concordMetrics` for tests and the curious.
 * labelToNextImageMs: from the label key press to the next assignment's image on screen.
 */
export type ConcordMetrics = { labelToNextImageMs: number[] };

declare global {
  interface Window {
    __concordMetrics?: ConcordMetrics;
  }
}

function metrics(): ConcordMetrics {
  window.__concordMetrics ??= { labelToNextImageMs: [] };
  return window.__concordMetrics;
}

export function markLabel(): void {
  performance.clearMarks('concord:label');
  performance.mark('concord:label');
}

export function markNextImageShown(): void {
  if (performance.getEntriesByName('concord:label', 'mark').length === 0) return;
  performance.mark('concord:next-image');
  const m = performance.measure('concord:label-to-next-image', 'concord:label', 'concord:next-image');
  metrics().labelToNextImageMs.push(Math.round(m.duration * 10) / 10);
  performance.clearMarks('concord:label');
}

import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * This process's event-loop delay since the last reset, as [p99, max] in ms: how late a timer
 * or an I/O callback ran (GC pauses, long tasks, a loop saturated with work).
 */
export function loopDelay(): { reset(): void; read(): [number, number] } {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return {
    reset: () => h.reset(),
    read: () => [h.percentile(99) / 1e6, h.max / 1e6],
  };
}

/**
 * Merges calls per key inside a window into one trailing run, so a burst of labels costs one
 * computation per window and the run always sees the latest state. A failure never rejects
 * (a missed run is repaired by the next one and must never take the process down); it goes to
 * `onError`, so a broken run is seen in the log rather than lost.
 */
export class Coalescer {
  private readonly pending = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly windowMs: number,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  run(key: string, fn: () => Promise<unknown>): Promise<void> {
    const waiting = this.pending.get(key);
    if (waiting) return waiting;
    const p = new Promise<void>((resolve) => setTimeout(resolve, this.windowMs))
      .then(async () => {
        this.pending.delete(key);
        if (!this.closed) await fn();
      })
      .catch((e: unknown) => {
        try {
          this.onError(e);
        } catch {
          /* a logger must not break the queue */
        }
      });
    this.pending.set(key, p);
    return p;
  }

  close(): void {
    this.closed = true;
  }
}

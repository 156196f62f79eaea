import fs from 'node:fs';
import path from 'node:path';
import { percentile } from './bench-db.js';

/**
 * The disk's own flush latency while a phase runs: 8 KB written and fdatasync'd in `dir` every
 * `everyMs`, as PostgreSQL does for each WAL flush a commit waits on. Printed beside the labels'
 * latency from the same seconds: a label tail that the bare disk shows too is the disk's, not
 * the API's or PostgreSQL's.
 */
export function diskProbe(dir: string, everyMs = 20): { stop(): Promise<{ n: number; p99: number; max: number }> } {
  const file = path.join(dir, `.concord-disk-probe-${process.pid}`);
  const page = Buffer.alloc(8192, 1);
  const ms: number[] = [];
  let running = true;
  const loop = (async () => {
    const fh = await fs.promises.open(file, 'w');
    try {
      while (running) {
        const t = performance.now();
        await fh.write(page, 0, page.length, 0);
        await fh.datasync();
        ms.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, everyMs));
      }
    } finally {
      await fh.close();
      fs.rmSync(file, { force: true });
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = ms.sort((a, b) => a - b);
      return { n: sorted.length, p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
    },
  };
}

import { createRequire } from 'node:module';

// seedrandom ships no type declarations; we use only its Alea generator, typed here.
type AleaFactory = (seed: string) => () => number;
const alea: AleaFactory = createRequire(import.meta.url)('seedrandom').alea;

/**
 * A seeded random stream. Every random choice in the phantom comes from one of these, each keyed
 * by a path (seed, patient, slice, …) so that a value never depends on what was drawn before it
 * in another patient or slice.
 */
export class Prng {
  private readonly next: () => number;
  private spareNormal: number | undefined;

  constructor(readonly key: string) {
    this.next = alea(key);
  }

  /** A fresh, independent stream for a sub-part (a patient, a slice, a level). */
  fork(...parts: (string | number)[]): Prng {
    return new Prng([this.key, ...parts].join('/'));
  }

  unit(): number {
    return this.next();
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Standard normal (Box–Muller, both outputs used). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    let u = this.next();
    while (u <= Number.MIN_VALUE) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/** What a pixel mostly is, recorded while painting so tests can check geometry, not just numbers. */
export const Tissue = {
  AIR: 0,
  FAT: 1,
  MUSCLE: 2,
  BONE: 3,
  DISC: 4,
  CSF: 5,
  CORD: 6,
  BULGE: 7,
  VESSEL: 8,
  LIGAMENT: 9,
  FLUID: 10,
} as const;
export type Tissue = (typeof Tissue)[keyof typeof Tissue];

/**
 * A square image painted back to front with anti-aliased ellipses in millimetre coordinates.
 * Painting order is the anatomy: whatever is painted later covers what lies under it, which is
 * how a bulge dents the cord.
 */
export class EllipseCanvas {
  readonly value: Float32Array;
  readonly tissue: Uint8Array;

  /**
   * @param size pixels per side
   * @param spacingMm pixel size
   * @param originX mm coordinate of the image centre in the drawing frame
   * @param originY likewise for y (rows grow with y)
   */
  constructor(
    readonly size: number,
    readonly spacingMm: number,
    private readonly originX: number,
    private readonly originY: number,
  ) {
    this.value = new Float32Array(size * size);
    this.tissue = new Uint8Array(size * size);
  }

  /** Drawing-frame mm of the centre of column `col` / row `row`. */
  xOf(col: number): number {
    return (col + 0.5 - this.size / 2) * this.spacingMm + this.originX;
  }

  yOf(row: number): number {
    return (row + 0.5 - this.size / 2) * this.spacingMm + this.originY;
  }

  /**
   * @param minY / maxY paint only pixels whose y lies in this band (a dome from a wall).
   */
  ellipse(cx: number, cy: number, a: number, b: number, signal: number, tissue: Tissue, angleRad = 0, opacity = 1, minY = -Infinity, maxY = Infinity): void {
    if (a <= 0 || b <= 0 || opacity <= 0) return;
    const ps = this.spacingMm;
    const reach = Math.max(a, b) + ps;
    const c0 = Math.max(0, Math.floor((cx - reach - this.originX) / ps + this.size / 2 - 0.5));
    const c1 = Math.min(this.size - 1, Math.ceil((cx + reach - this.originX) / ps + this.size / 2 - 0.5));
    const r0 = Math.max(0, Math.floor((cy - reach - this.originY) / ps + this.size / 2 - 0.5));
    const r1 = Math.min(this.size - 1, Math.ceil((cy + reach - this.originY) / ps + this.size / 2 - 0.5));
    const cos = Math.cos(angleRad);
    const sin = Math.sin(angleRad);
    const ia2 = 1 / (a * a);
    const ib2 = 1 / (b * b);
    for (let row = r0; row <= r1; row++) {
      const y = this.yOf(row);
      if (y < minY || y > maxY) continue;
      const dy = y - cy;
      for (let col = c0; col <= c1; col++) {
        const dx = this.xOf(col) - cx;
        const u = dx * cos + dy * sin;
        const v = -dx * sin + dy * cos;
        const f = u * u * ia2 + v * v * ib2 - 1;
        // Signed distance to the outline, first-order: f / |∇f|.
        const grad = 2 * Math.sqrt(u * u * ia2 * ia2 + v * v * ib2 * ib2);
        const dist = grad > 1e-9 ? f / grad : -Infinity;
        let alpha = 0.5 - dist / ps;
        if (alpha <= 0) continue;
        if (alpha > 1) alpha = 1;
        alpha *= opacity;
        const i = row * this.size + col;
        this.value[i] += (signal - this.value[i]) * alpha;
        if (alpha >= 0.5) this.tissue[i] = tissue;
      }
    }
  }

  /** An ellipse with a dark cortical shell and marrow inside, as bone looks on T2. */
  bone(cx: number, cy: number, a: number, b: number, cortex: number, marrow: number, angleRad = 0, opacity = 1, shellMm = 1.1): void {
    this.ellipse(cx, cy, a, b, cortex, Tissue.BONE, angleRad, opacity);
    this.ellipse(cx, cy, a - shellMm, b - shellMm, marrow, Tissue.BONE, angleRad, opacity);
  }
}

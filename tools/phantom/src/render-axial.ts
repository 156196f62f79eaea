import { geometryAt, type PatientAnatomy } from './anatomy.js';
import { EllipseCanvas, Tissue } from './canvas.js';
import { cordIndent, type Bulge } from './compression.js';
import { applyScanner } from './scanner.js';
import { Prng } from './prng.js';

/** Everything needed to draw one axial T2 slice; the same params always give the same pixels. */
export interface AxialSliceParams {
  anatomy: PatientAnatomy;
  /** Rows = columns. */
  rows: number;
  zMm: number;
  bulge: Bulge;
  /** Seeds this slice's noise and small patient motion. */
  noiseKey: string;
  /** False draws the noise-free, bias-free anatomy (for geometry checks). */
  noise?: boolean;
  /** CSF pulsation artefacts on this slice (PH15); none when absent. */
  flow?: FlowArtefact;
}

/**
 * Pulsatile CSF on a T2 TSE slice (PH15): dark flow voids in the CSF beside the cord, and ghosts
 * of the bright CSF repeated along the phase-encoding direction (antero-posterior here).
 */
export interface FlowArtefact {
  /** Each void: side of the cord (−1 right, 1 left), where across the CSF (0 cord edge, 1 canal wall), size, darkness 0..1. */
  voids: { side: -1 | 1; across: number; dyMm: number; radiusMm: number; depth: number }[];
  /** Ghost copies' offset in mm along y and their strength relative to the CSF signal (0 none). */
  ghostShiftMm: number;
  ghostStrength: number;
}

export interface RenderedSlice {
  pixels: Uint16Array;
  /** Tissue code per pixel (see Tissue), for tests and overlays. */
  tissue: Uint8Array;
  pixelSpacingMm: number;
}

export function pixelSpacingFor(anatomy: PatientAnatomy, rows: number): number {
  return Math.round((anatomy.fovMm / rows) * 1e4) / 1e4;
}

/** Draws one axial slice: anterior at the top, patient's right on the image left. */
export function renderSliceWithTissue(p: AxialSliceParams): RenderedSlice {
  const a = p.anatomy;
  const s = a.signal;
  const g = geometryAt(a, p.zMm);
  const rng = new Prng(p.noiseKey);
  const motionX = p.noise === false ? 0 : 0.3 * rng.normal();
  const motionY = p.noise === false ? 0 : 0.3 * rng.normal();
  const ps = pixelSpacingFor(a, p.rows);
  const cv = new EllipseCanvas(p.rows, ps, -(a.canalOffsetX + motionX), -(a.canalOffsetY + g.shiftY + motionY));
  const bone = 1 - g.discFraction;
  const disc = g.discFraction;

  // Neck: skin and subcutaneous fat, then the muscle compartment.
  cv.ellipse(0, a.neckCentreY, a.neckA, a.neckB, s.fat, Tissue.FAT);
  cv.ellipse(0, a.neckCentreY, a.neckA - a.subcutaneousMm, a.neckB - a.subcutaneousMm, s.muscle, Tissue.MUSCLE);

  // Posterior neck muscles with fat planes between them; sized to the room behind the canal.
  const room = a.neckCentreY + a.neckB - a.subcutaneousMm - g.canalB;
  for (const side of [-1, 1]) {
    const semY = g.canalB + 0.55 * room;
    cv.ellipse(side * 9, semY, 9.2, 0.3 * room + 1.2, s.fat, Tissue.FAT);
    cv.ellipse(side * 9, semY, 8, 0.3 * room, s.muscle * 0.93, Tissue.MUSCLE);
    const splX = side * (a.neckA * 0.38);
    cv.ellipse(splX, g.canalB + 0.5 * room, 10.5, 0.33 * room + 1.2, s.fat, Tissue.FAT, side * 0.45);
    cv.ellipse(splX, g.canalB + 0.5 * room, 9.3, 0.33 * room, s.muscle * 1.05, Tissue.MUSCLE, side * 0.45);
  }
  cv.ellipse(0, g.canalB + 0.6 * room, 1.1, 0.35 * room, s.fat, Tissue.FAT);

  // Sternocleidomastoids, anterolateral.
  const scmX = a.neckA - a.subcutaneousMm - 9;
  const scmY = a.neckCentreY - a.neckB * 0.35;
  for (const side of [-1, 1]) {
    cv.ellipse(side * scmX, scmY, 8.5, 15.5, s.fat, Tissue.FAT, -side * 0.5);
    cv.ellipse(side * scmX, scmY, 7.2, 14.2, s.muscle * 0.97, Tissue.MUSCLE, -side * 0.5);
  }

  const bodyCy = -(g.canalB + 1.2 + a.bodyB);
  // Prevertebral muscles, airway, vessels.
  for (const side of [-1, 1]) cv.ellipse(side * 6.5, bodyCy - a.bodyB - 1.2, 4.8, 3.2, s.muscle * 1.05, Tissue.MUSCLE);
  const airY = bodyCy - a.bodyB - 4.8 - 6.5;
  cv.ellipse(0, airY, 10.5, 8, s.mucosa, Tissue.MUSCLE);
  cv.ellipse(0, airY, 9, 6.5, s.flowVoid * 0.3, Tissue.AIR);
  for (const side of [-1, 1]) {
    cv.ellipse(side * (a.bodyA + 9), bodyCy - 4, 3.3, 3.3, s.flowVoid, Tissue.VESSEL);
    cv.ellipse(side * (a.bodyA + 16), bodyCy - 2, 5.5, 4, s.jugular, Tissue.VESSEL);
  }

  // Transverse processes with the vertebral arteries (body level); foramina with roots (disc level).
  for (const side of [-1, 1]) {
    cv.bone(side * (a.bodyA + 5.5), bodyCy + 1, 5.2, 3.6, s.cortex, s.marrow, 0, bone);
    cv.ellipse(side * (a.bodyA + 5.5), bodyCy + 1, 1.8, 1.8, s.flowVoid, Tissue.VESSEL, 0, bone);
    cv.bone(side * (g.canalA + 1.6), -g.canalB * 0.55, 2.6, 5, s.cortex, s.marrow, side * 0.35, bone, 0.9);
    cv.ellipse(side * (g.canalA + 2.8), -g.canalB * 0.4, 3.6, 3, s.fat * 0.9, Tissue.FAT, 0, disc);
    cv.ellipse(side * (g.canalA + 2.2), -g.canalB * 0.35, 1.3, 1.1, s.cord * 0.9, Tissue.MUSCLE, 0, disc);
  }

  // Posterior arch: lateral masses (facet joints at disc level), laminae, spinous process.
  const massX = g.canalA + 6;
  for (const side of [-1, 1]) {
    cv.bone(side * massX, 1.5, 6.5, 7.5, s.cortex, s.marrow);
    cv.ellipse(side * massX, 1.5, 6, 0.5, s.facetFluid, Tissue.FLUID, side * 0.25, disc);
    const x0 = side * (g.canalA + 4.5);
    const y0 = 2.5;
    const x1 = side * 1.5;
    const y1 = g.canalB + 6.5;
    const len = Math.hypot(x1 - x0, y1 - y0);
    cv.bone((x0 + x1) / 2, (y0 + y1) / 2, len / 2 + 1, 2.2, s.cortex, s.marrow, Math.atan2(y1 - y0, x1 - x0), 1, 1.0);
  }
  const spinousLen = 9 + 0.25 * room;
  cv.bone(0, g.canalB + 5.5 + spinousLen / 2, 2.7, spinousLen / 2, s.cortex, s.marrow, 0, 0.6 + 0.4 * bone, 1.0);

  // Vertebral body or disc (blended through the endplate by partial volume).
  cv.bone(0, bodyCy, a.bodyA, a.bodyB, s.cortex, s.marrow, 0, bone, 1.3);
  cv.ellipse(0, bodyCy + a.bodyB - 2.6, 1.6, 1.0, s.fat * 0.8, Tissue.FAT, 0, bone);
  cv.ellipse(0, bodyCy, a.bodyA + 0.3, a.bodyB + 0.3, s.annulus, Tissue.DISC, 0, disc);
  cv.ellipse(0, bodyCy - 0.5, a.bodyA * 0.55, a.bodyB * 0.5, s.nucleus, Tissue.DISC, 0, disc);

  // Canal: dark dura and ligaments, posterior epidural fat, bright CSF.
  cv.ellipse(0, 0, g.canalA + 1.0, g.canalB + 0.9, s.ligament, Tissue.LIGAMENT);
  cv.ellipse(0, g.canalB + 0.3, g.canalA * 0.4, 1.0, s.fat * 0.8, Tissue.FAT);
  cv.ellipse(0, 0, g.canalA, g.canalB, s.csf, Tissue.CSF);
  // Flow voids sit in the CSF lateral to the cord; the cord is painted over them (PH15).
  for (const v of p.flow?.voids ?? []) {
    const x = g.cordDx + v.side * (g.cordA + v.across * Math.max(0, g.canalA - g.cordA));
    cv.ellipse(x, g.cordDy + v.dyMm, v.radiusMm, v.radiusMm * 1.3, s.csf * (1 - v.depth), Tissue.CSF);
  }

  // Cord, a faint grey-matter H; a dented cord also flattens and widens a little.
  const indent = cordIndent(g, p.bulge);
  const widen = 1 + (0.22 * (indent.anteriorMm + indent.posteriorMm)) / (2 * g.cordB);
  const cordA = g.cordA * widen;
  cv.ellipse(g.cordDx, g.cordDy, cordA, g.cordB, s.cord, Tissue.CORD);
  for (const side of [-1, 1]) cv.ellipse(g.cordDx + side * cordA * 0.32, g.cordDy, cordA * 0.2, g.cordB * 0.62, s.greyMatter, Tissue.CORD);
  cv.ellipse(g.cordDx, g.cordDy, cordA * 0.3, g.cordB * 0.15, s.greyMatter, Tissue.CORD);
  if (p.bulge.myelopathy) {
    const y = g.cordDy + 0.3 * (indent.anteriorMm - indent.posteriorMm);
    cv.ellipse(g.cordDx, y, cordA * 0.25, g.cordB * 0.3, s.csf * 0.85, Tissue.CORD);
  }

  // Disc / osteophyte from the front, buckled ligamentum flavum from behind (PH5).
  // Domes clipped at the canal's dark rim, so they read as tissue pushing in, not a blob.
  const b = p.bulge;
  if (b.anteriorReachMm > 0.05) {
    cv.ellipse(g.cordDx, -g.canalB - 0.8, b.anteriorHalfWidthMm, b.anteriorReachMm + 0.8, s.ligament, Tissue.BULGE, 0, 1, -g.canalB - 0.9);
  }
  if (b.posteriorReachMm > 0.05) {
    cv.ellipse(g.cordDx, g.canalB + 0.8, b.posteriorHalfWidthMm, b.posteriorReachMm + 0.8, s.ligament, Tissue.BULGE, 0, 1, -Infinity, g.canalB + 0.9);
  }

  if (p.flow && p.flow.ghostStrength > 0) ghostCsf(cv, s.csf * p.flow.ghostStrength, p.flow.ghostShiftMm);
  const pixels = applyScanner(cv, a, rng, p.noise !== false);
  return { pixels, tissue: cv.tissue, pixelSpacingMm: ps };
}

/** The pixels of one axial T2 slice (16-bit, 12 bits used, MONOCHROME2). */
export function renderSlice(p: AxialSliceParams): Uint16Array {
  return renderSliceWithTissue(p).pixels;
}

/**
 * Adds faint copies of the CSF, shifted up and down along y (phase encoding), on top of whatever
 * lies there: the tissue map keeps the anatomy, only the signal carries the ghost (PH15).
 */
function ghostCsf(cv: EllipseCanvas, amount: number, shiftMm: number): void {
  const n = cv.size;
  const shift = Math.max(1, Math.round(shiftMm / cv.spacingMm));
  const csf = new Uint8Array(n * n);
  for (let i = 0; i < n * n; i++) csf[i] = cv.tissue[i] === Tissue.CSF ? 1 : 0;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const up = row + shift < n ? csf[(row + shift) * n + col] : 0;
      const down = row - shift >= 0 ? csf[(row - shift) * n + col] : 0;
      if (up + down > 0) cv.value[row * n + col] += amount * (up + down);
    }
  }
}

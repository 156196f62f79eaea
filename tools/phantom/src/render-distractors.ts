import { geometryAt, type PatientAnatomy } from './anatomy.js';
import { Prng } from './prng.js';
import { applyScanner, type SignalImage } from './scanner.js';

/**
 * Non-axial series that a real study carries beside the axial T2 (PH9). They only need to look
 * like a spine to a human and to be unmistakably not axial T2 to a parser; anatomy is coarse.
 */

/** T1 signal: fat and marrow bright, CSF dark, cord intermediate. */
const T1 = { fat: 1500, marrow: 950, cortex: 150, disc: 480, csf: 260, cord: 680, muscle: 520, air: 5 };

export type ReformatPlane = 'SAGITTAL' | 'CORONAL';

export interface ReformatParams {
  anatomy: PatientAnatomy;
  rows: number;
  plane: ReformatPlane;
  /** Off-midline position of the plane: x for sagittal, y (from canal centre) for coronal, mm. */
  offsetMm: number;
  /** z at the image centre. */
  centreZMm: number;
  noiseKey: string;
  /** Signal multiplier: localizers are flat and dim. */
  contrast?: number;
}

/** What lies at one point of the patient (canal-centred frame), with T1 contrast. */
function t1SignalAt(a: PatientAnatomy, x: number, y: number, z: number): number {
  const g = geometryAt(a, z);
  const yc = y - g.shiftY;
  const neckHalfY = a.neckB * Math.sqrt(Math.max(0, 1 - (x / a.neckA) ** 2));
  const fromEdge = neckHalfY - Math.abs(yc - a.neckCentreY);
  if (fromEdge < 0) return T1.air;
  if (fromEdge < a.subcutaneousMm) return T1.fat;
  const bodyFront = -(g.canalB + 1.2 + 2 * a.bodyB);
  const bodyBack = -(g.canalB + 1.2);
  if (Math.abs(x) < a.bodyA && yc > bodyFront && yc < bodyBack) {
    if (g.discFraction > 0.5) return T1.disc;
    const toEndplate = Math.abs(g.discOffsetMm) - a.discHeightMm / 2;
    const toEdge = Math.min(yc - bodyFront, bodyBack - yc, a.bodyA - Math.abs(x), toEndplate);
    return toEdge < 1.2 ? T1.cortex : T1.marrow;
  }
  if (Math.abs(x) < g.canalA && Math.abs(yc) < g.canalB) {
    const inCord = ((x - g.cordDx) / g.cordA) ** 2 + ((yc - g.cordDy) / g.cordB) ** 2 < 1;
    return inCord ? T1.cord : T1.csf;
  }
  const airY = bodyFront - 4.8 - 6.5;
  if (Math.abs(x) < 9 && Math.abs(yc - airY) < 6.5) return T1.air;
  const spinousEnd = g.canalB + 8 + 0.25 * (a.neckCentreY + a.neckB - a.subcutaneousMm - g.canalB);
  if (Math.abs(x) < 2.7 && yc > g.canalB + 1 && yc < spinousEnd && g.discFraction < 0.3) return T1.marrow;
  return T1.muscle;
}

export function renderReformat(p: ReformatParams): Uint16Array {
  const a = p.anatomy;
  const n = p.rows;
  const spacingMm = a.fovMm / n;
  const image: SignalImage = { size: n, spacingMm, value: new Float32Array(n * n) };
  const contrast = p.contrast ?? 1;
  for (let row = 0; row < n; row++) {
    // Rows run from head to feet.
    const z = p.centreZMm - (row + 0.5 - n / 2) * spacingMm;
    for (let col = 0; col < n; col++) {
      const along = (col + 0.5 - n / 2) * spacingMm;
      const v = p.plane === 'SAGITTAL' ? t1SignalAt(a, p.offsetMm, along + a.neckCentreY, z) : t1SignalAt(a, along, p.offsetMm, z);
      image.value[row * n + col] = v * contrast;
    }
  }
  return applyScanner(image, a, new Prng(p.noiseKey), true);
}

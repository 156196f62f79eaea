import type { LevelGeometry, PatientAnatomy } from './anatomy.js';
import type { Prng } from './prng.js';

/** 0 none, 1 CSF effacement only (cord contour intact), 2 cord deformity. See SPEC.md PH5–PH7. */
export type Severity = 0 | 1 | 2;

/** The smallest indentation of the cord contour that we call a deformity: about 1.5 px at 256². */
export const MIN_CORD_INDENT_MM = 1.0;
/** A bulge that fills at least this fraction of the CSF gap counts as CSF effacement. */
export const CSF_EFFACEMENT_FRACTION = 0.5;
/**
 * A bulge that would dent the cord by less than MIN_CORD_INDENT_MM stops this far short of it
 * instead, so no slice sits in a sub-pixel grey zone between label 0 and 1.
 */
export const CONTACT_CLEARANCE_MM = 0.15;

/** Disc or ligament tissue pushing into the canal at one slice. Reach is from the canal wall. */
export interface Bulge {
  anteriorReachMm: number;
  posteriorReachMm: number;
  anteriorHalfWidthMm: number;
  posteriorHalfWidthMm: number;
  /** T2 bright spot inside a compressed cord (oedema / myelomalacia). */
  myelopathy: boolean;
}

export const NO_BULGE: Bulge = {
  anteriorReachMm: 0,
  posteriorReachMm: 0,
  anteriorHalfWidthMm: 6,
  posteriorHalfWidthMm: 6,
  myelopathy: false,
};

/**
 * How far one side of a level pushes at its peak: a fixed dent into the cord, a share of the CSF
 * gap, or all of the gap but a sliver (touching the cord without changing its contour, PH14).
 */
export type SidePeak = { indentMm: number } | { gapRatio: number } | { clearanceMm: number } | null;

/** The shallowest dent a borderline level draws (PH14): sub-pixel at 192², seen only through partial volume. */
export const BORDERLINE_MIN_INDENT_MM = 0.3;

export interface CompressionLevel {
  discZMm: number;
  /** `focus`: no bulge, only a T2 bright cord focus (a compression mimic, PH14). */
  kind: 'cord' | 'csf' | 'minor' | 'focus';
  anterior: SidePeak;
  posterior: SidePeak;
  /** Half-length of the stretch around the disc centre where the bulge is at its peak, mm. */
  plateauMm: number;
  /** Distance over which the bulge fades out beyond the plateau, mm. */
  taperMm: number;
  anteriorHalfWidthMm: number;
  posteriorHalfWidthMm: number;
  myelopathy: boolean;
  /**
   * Where the bright cord spot shows: `peak` (the original phantom) only on dented slices at the
   * level's plateau, so it never appears without compression; `level` wherever the level reaches,
   * dented or not, as oedema extends beyond the compressed segment (PH14).
   */
  spot?: 'peak' | 'level';
  /** Dents shallower than this stop short of the cord instead; MIN_CORD_INDENT_MM unless borderline (PH6, PH14). */
  minIndentMm?: number;
}

export interface CordIndent {
  anteriorMm: number;
  posteriorMm: number;
}

export function cordIndent(g: LevelGeometry, b: Bulge): CordIndent {
  return {
    anteriorMm: Math.max(0, b.anteriorReachMm - g.anteriorGapMm),
    posteriorMm: Math.max(0, b.posteriorReachMm - g.posteriorGapMm),
  };
}

export function severityOf(g: LevelGeometry, b: Bulge): Severity {
  const indent = cordIndent(g, b);
  if (indent.anteriorMm > 0 || indent.posteriorMm > 0) return 2;
  const effaced = b.anteriorReachMm >= CSF_EFFACEMENT_FRACTION * g.anteriorGapMm || b.posteriorReachMm >= CSF_EFFACEMENT_FRACTION * g.posteriorGapMm;
  return effaced ? 1 : 0;
}

/** The study's label: 1 iff the cord contour is deformed (LABELING.md default guide). */
export function labelOf(severity: Severity): 0 | 1 {
  return severity === 2 ? 1 : 0;
}

/** Weight of a level at distance dz from its disc centre: a plateau, then a cos² fade. */
function levelWeight(dzMm: number, plateauMm: number, taperMm: number): number {
  const d = Math.abs(dzMm);
  if (d <= plateauMm) return 1;
  if (d >= plateauMm + taperMm) return 0;
  const c = Math.cos((Math.PI / 2) * ((d - plateauMm) / taperMm));
  return c * c;
}

function sideReach(peak: SidePeak, gapMm: number, weight: number): number {
  if (peak === null || weight === 0) return 0;
  if ('indentMm' in peak) return weight * (gapMm + peak.indentMm);
  if ('clearanceMm' in peak) return weight * Math.max(0, gapMm - peak.clearanceMm);
  return weight * gapMm * peak.gapRatio;
}

/** Keeps the dent either at least `minIndentMm` deep or absent (PH6). */
function settleReach(reach: number, gapMm: number, minIndentMm: number): number {
  const indent = reach - gapMm;
  if (indent > 0 && indent < minIndentMm) return gapMm - CONTACT_CLEARANCE_MM;
  return reach;
}

export function bulgeAt(_a: PatientAnatomy, levels: readonly CompressionLevel[], g: LevelGeometry, zMm: number): Bulge {
  const out: Bulge = { ...NO_BULGE };
  let bestA = 0;
  let bestP = 0;
  let minA = MIN_CORD_INDENT_MM;
  let minP = MIN_CORD_INDENT_MM;
  let peakSpot = false;
  let levelSpot = false;
  for (const level of levels) {
    const w = levelWeight(zMm - level.discZMm, level.plateauMm, level.taperMm);
    if (w === 0) continue;
    const ra = sideReach(level.anterior, g.anteriorGapMm, w);
    const rp = sideReach(level.posterior, g.posteriorGapMm, w);
    if (ra > bestA) {
      bestA = ra;
      minA = level.minIndentMm ?? MIN_CORD_INDENT_MM;
      out.anteriorHalfWidthMm = level.anteriorHalfWidthMm;
    }
    if (rp > bestP) {
      bestP = rp;
      minP = level.minIndentMm ?? MIN_CORD_INDENT_MM;
      out.posteriorHalfWidthMm = level.posteriorHalfWidthMm;
    }
    if (level.myelopathy && level.spot === 'level') levelSpot = true;
    else if (level.myelopathy && w === 1) peakSpot = true;
  }
  out.anteriorReachMm = settleReach(bestA, g.anteriorGapMm, minA);
  out.posteriorReachMm = settleReach(bestP, g.posteriorGapMm, minP);
  const dented = cordIndent(g, out).anteriorMm > 0 || cordIndent(g, out).posteriorMm > 0;
  out.myelopathy = levelSpot || (peakSpot && dented);
  return out;
}

function cordLevel(rng: Prng, a: PatientAnatomy, discZMm: number): CompressionLevel {
  const maxIndent = Math.min(2.6, 1.3 * a.cordB);
  const indent = (): SidePeak => ({ indentMm: rng.uniform(MIN_CORD_INDENT_MM + 0.1, maxIndent) });
  const side = rng.unit();
  let anterior: SidePeak;
  let posterior: SidePeak;
  if (side < 0.6) {
    anterior = indent();
    posterior = rng.chance(0.5) ? { gapRatio: rng.uniform(0.1, 0.45) } : null;
  } else if (side < 0.7) {
    anterior = rng.chance(0.5) ? { gapRatio: rng.uniform(0.1, 0.45) } : null;
    posterior = indent();
  } else {
    // Circumferential: a disc in front and buckled ligamentum flavum behind.
    anterior = indent();
    posterior = rng.chance(0.5) ? { indentMm: rng.uniform(MIN_CORD_INDENT_MM + 0.1, 1.8) } : { gapRatio: rng.uniform(0.6, 0.97) };
  }
  return {
    discZMm,
    kind: 'cord',
    anterior,
    posterior,
    plateauMm: plateauFor(rng, a),
    taperMm: rng.uniform(2, 4),
    anteriorHalfWidthMm: a.canalA * rng.uniform(0.5, 0.85),
    posteriorHalfWidthMm: a.canalA * rng.uniform(0.45, 0.75),
    myelopathy: rng.chance(0.25),
  };
}

function gapLevel(rng: Prng, a: PatientAnatomy, discZMm: number, kind: 'csf' | 'minor'): CompressionLevel {
  const ratio = (): SidePeak => (kind === 'csf' ? { gapRatio: rng.uniform(0.6, 0.97) } : { gapRatio: rng.uniform(0.1, 0.45) });
  const side = rng.unit();
  return {
    discZMm,
    kind,
    anterior: side < 0.85 ? ratio() : null,
    posterior: side >= 0.7 ? ratio() : null,
    plateauMm: plateauFor(rng, a),
    taperMm: rng.uniform(2, 4),
    anteriorHalfWidthMm: a.canalA * rng.uniform(0.5, 0.85),
    posteriorHalfWidthMm: a.canalA * rng.uniform(0.45, 0.75),
    myelopathy: false,
  };
}

/** At least just over half a slice step, so the slice nearest each disc centre gets the peak. */
function plateauFor(rng: Prng, a: PatientAnatomy): number {
  return Math.max(a.sliceStepMm / 2 + 0.05, rng.uniform(1.5, 5));
}

/** Disc centres far enough inside the scanned range that a whole level is imaged. */
export function discCentresWithin(a: PatientAnatomy, zMinMm: number, zMaxMm: number): number[] {
  const margin = a.sliceStepMm;
  const first = Math.ceil((zMinMm + margin - a.discPhaseMm) / a.levelPeriodMm);
  const out: number[] = [];
  for (let k = first; a.discPhaseMm + k * a.levelPeriodMm <= zMaxMm - margin; k++) out.push(a.discPhaseMm + k * a.levelPeriodMm);
  return out;
}

/**
 * Which discs compress what. DCM: 1–3 levels dent the cord (PH4). Everyone: some discs bulge a
 * little, some efface CSF without touching the cord, so bulges alone do not give the label away.
 */
export function planLevels(rng: Prng, a: PatientAnatomy, zMinMm: number, zMaxMm: number): CompressionLevel[] {
  const discs = rng.shuffle(discCentresWithin(a, zMinMm, zMaxMm));
  const levels: CompressionLevel[] = [];
  let next = 0;
  if (a.cohort === 'DCM') {
    const nCord = Math.min(discs.length, rng.pick([1, 1, 1, 2, 2, 3]));
    for (; next < nCord; next++) levels.push(cordLevel(rng, a, discs[next]));
  } else if (discs.length > 0 && rng.chance(0.3)) {
    levels.push(gapLevel(rng, a, discs[next++], 'csf'));
  }
  for (; next < discs.length; next++) {
    if (a.cohort === 'DCM' && rng.chance(0.25)) levels.push(gapLevel(rng, a, discs[next], 'csf'));
    else if (rng.chance(0.5)) levels.push(gapLevel(rng, a, discs[next], 'minor'));
  }
  return levels.sort((x, y) => x.discZMm - y.discZMm);
}

/**
 * What makes the phantom honest rather than easy (PH14), added to planned levels from a stream of
 * its own so the anatomy and levels themselves stay as planned:
 * - borderline dents: a share of cord levels dent by 0.35–0.95 mm, kept down to
 *   BORDERLINE_MIN_INDENT_MM; the label rule is unchanged (any dent of the contour is 1);
 * - near misses: a share of CSF-effacement levels fill the gap to within 0.03–0.12 mm of the cord
 *   without denting it (label 0);
 * - the bright cord spot spreads over its whole level, onto undented slices near the compression,
 *   while most compressed levels still have none;
 * - a compression mimic: in either cohort, sometimes a bright cord focus with no bulge at all.
 */
export function addHardCases(rng: Prng, a: PatientAnatomy, levels: readonly CompressionLevel[], zMinMm: number, zMaxMm: number): CompressionLevel[] {
  const out = levels.map((level): CompressionLevel => {
    if (level.kind === 'cord') {
      const borderline = rng.chance(0.2);
      const shallow = (peak: SidePeak): SidePeak => (peak && 'indentMm' in peak ? { indentMm: rng.uniform(0.35, 0.95) } : peak);
      return {
        ...level,
        ...(borderline ? { anterior: shallow(level.anterior), posterior: shallow(level.posterior), minIndentMm: BORDERLINE_MIN_INDENT_MM } : {}),
        spot: 'level',
      };
    }
    if (level.kind === 'csf' && rng.chance(0.3)) {
      const touch = (peak: SidePeak): SidePeak => (peak && 'gapRatio' in peak ? { clearanceMm: rng.uniform(0.03, 0.12) } : peak);
      return { ...level, anterior: touch(level.anterior), posterior: touch(level.posterior) };
    }
    return level;
  });
  if (rng.chance(0.15)) {
    out.push({
      discZMm: rng.uniform(zMinMm, zMaxMm),
      kind: 'focus',
      anterior: null,
      posterior: null,
      plateauMm: rng.uniform(1.5, 4),
      taperMm: 2,
      anteriorHalfWidthMm: a.canalA * 0.6,
      posteriorHalfWidthMm: a.canalA * 0.6,
      myelopathy: true,
      spot: 'level',
    });
  }
  return out.sort((x, y) => x.discZMm - y.discZMm);
}

import type { Prng } from './prng.js';

export { COHORT_CUES, DEFAULT_COHORT_CUES, type CohortCuesName } from './cues.js';

export type Cohort = 'CONTROL' | 'DCM';

/** Nominal T2 TSE signal of each tissue before gain, bias field and noise (12-bit scale). */
export interface TissueSignal {
  csf: number;
  cord: number;
  greyMatter: number;
  fat: number;
  muscle: number;
  marrow: number;
  cortex: number;
  annulus: number;
  nucleus: number;
  ligament: number;
  jugular: number;
  flowVoid: number;
  mucosa: number;
  facetFluid: number;
}

/**
 * Everything that stays fixed for one patient: sizes in mm, signal levels, scanner settings.
 * Axial coordinates are patient LPS seen from the feet: x to the patient's left, y posterior,
 * origin at the centre of the spinal canal.
 */
export interface PatientAnatomy {
  cohort: Cohort;
  fovMm: number;
  /** Where the canal centre sits relative to the image centre, mm. */
  canalOffsetX: number;
  canalOffsetY: number;
  neckA: number;
  neckB: number;
  neckCentreY: number;
  subcutaneousMm: number;
  canalA: number;
  canalB: number;
  cordA: number;
  cordB: number;
  cordDx: number;
  cordDy: number;
  bodyA: number;
  bodyB: number;
  /** Cranio-caudal period of one motion segment (vertebra + disc) and disc height, mm. */
  levelPeriodMm: number;
  discHeightMm: number;
  /** z of one disc centre; the others are at multiples of the period from it. */
  discPhaseMm: number;
  /** Lordosis: the canal drifts antero-posteriorly along z. */
  lordosisMm: number;
  lordosisPeriodMm: number;
  signal: TissueSignal;
  /** Overall receiver gain; signal levels and window settings scale with it. */
  gain: number;
  noiseSigma: number;
  /** Smooth multiplicative bias field coefficients (normalised coordinates). */
  biasX: number;
  biasY: number;
  biasQuad: number;
  /** Posterior surface coil: signal rises towards the back of the neck. */
  coilGain: number;
  echoTimeMs: number;
  repetitionTimeMs: number;
  sliceThicknessMm: number;
  /** Centre-to-centre distance of consecutive axial slices (DICOM SpacingBetweenSlices). */
  sliceStepMm: number;
}

/** The canal, cord and disc state at one z. Shared by planning (severity) and rendering. */
export interface LevelGeometry {
  canalA: number;
  canalB: number;
  cordA: number;
  cordB: number;
  cordDx: number;
  cordDy: number;
  /** Canal-centre shift in the image plane from lordosis, mm. */
  shiftY: number;
  /** 1 inside a disc, 0 inside a vertebral body, in between at the endplates. */
  discFraction: number;
  /** Signed distance from the nearest disc centre, mm. */
  discOffsetMm: number;
  /** CSF thickness between cord and canal wall in front of and behind the cord, mm. */
  anteriorGapMm: number;
  posteriorGapMm: number;
}

function jitter(rng: Prng, value: number, fraction: number): number {
  return value * rng.uniform(1 - fraction, 1 + fraction);
}

/** a·(1−s) + b·s is exact at both ends (b·1 + a·0), so s = 1 reproduces the original ranges bit for bit. */
function lerp(a: number, b: number, s: number): number {
  return a * (1 - s) + b * s;
}

/**
 * One uniform draw from a cohort's range at cue strength s: the common range at s = 0, the
 * cohort's own at s = 1. Always exactly one draw, so every later draw keeps its place in the stream.
 */
function cohortUniform(rng: Prng, cohort: Cohort, s: number, common: [number, number], dcm: [number, number], control: [number, number]): number {
  const own = cohort === 'DCM' ? dcm : control;
  return rng.uniform(lerp(common[0], own[0], s), lerp(common[1], own[1], s));
}

export function samplePatientAnatomy(rng: Prng, cohort: Cohort, cohortCues: number): PatientAnatomy {
  // DCM patients tend to have narrower (developmentally stenotic) canals, but the ranges overlap;
  // how far apart the cohorts sit is the phantom's cue strength, not a fixed fact (PH13).
  const canalB = cohortUniform(rng, cohort, cohortCues, [5.9, 7.7], [5.6, 7.4], [6.2, 8.0]);
  const cordB = rng.uniform(3.2, 4.1);
  const canalA = rng.uniform(10.5, 13.0);
  const cordA = rng.uniform(5.0, 6.4);
  const maxShift = Math.max(0, canalB - cordB - 2.0);
  const cordDy = rng.uniform(-Math.min(0.6, maxShift), Math.min(0.4, maxShift));
  const stepGap = rng.pick([0, 0.3, 0.5, 0.6, 1.0]);
  const cordSignal = jitter(rng, 760, 0.1);
  return {
    cohort,
    fovMm: rng.uniform(160, 200),
    canalOffsetX: rng.uniform(-6, 6),
    canalOffsetY: rng.uniform(4, 16),
    neckA: rng.uniform(52, 68),
    neckB: rng.uniform(50, 60),
    neckCentreY: rng.uniform(-12, -6),
    subcutaneousMm: rng.uniform(4, 10),
    canalA,
    canalB,
    cordA,
    cordB,
    cordDx: rng.uniform(-0.4, 0.4),
    cordDy,
    bodyA: rng.uniform(8.5, 11),
    bodyB: rng.uniform(7.2, 8.8),
    levelPeriodMm: rng.uniform(16, 19),
    discHeightMm: rng.uniform(4, 6),
    discPhaseMm: rng.uniform(0, 19),
    lordosisMm: rng.uniform(1, 4),
    lordosisPeriodMm: rng.uniform(120, 220),
    signal: {
      csf: jitter(rng, 1800, 0.12),
      cord: cordSignal,
      greyMatter: cordSignal * 1.1,
      fat: jitter(rng, 1250, 0.15),
      muscle: jitter(rng, 430, 0.15),
      marrow: jitter(rng, 650, 0.25),
      cortex: jitter(rng, 130, 0.3),
      annulus: jitter(rng, 340, 0.2),
      // Darker (degenerate) disc nuclei in DCM, by the same cue strength.
      nucleus: cohortUniform(rng, cohort, cohortCues, [575, 1100], [450, 1000], [700, 1200]),
      ligament: jitter(rng, 260, 0.25),
      jugular: rng.uniform(150, 1100),
      flowVoid: jitter(rng, 60, 0.4),
      mucosa: jitter(rng, 600, 0.2),
      facetFluid: jitter(rng, 1500, 0.2),
    },
    gain: rng.uniform(0.7, 1.3),
    noiseSigma: rng.uniform(18, 50),
    biasX: rng.uniform(-0.12, 0.12),
    biasY: rng.uniform(-0.1, 0.1),
    biasQuad: rng.uniform(-0.15, 0.05),
    coilGain: rng.uniform(0.05, 0.35),
    echoTimeMs: Math.round(rng.uniform(90, 120)),
    repetitionTimeMs: Math.round(rng.uniform(3000, 5000)),
    sliceThicknessMm: 3,
    sliceStepMm: 3 + stepGap,
  };
}

export function geometryAt(a: PatientAnatomy, zMm: number): LevelGeometry {
  // Cervical enlargement and canal calibre change slowly along the spine.
  const slow = Math.sin((2 * Math.PI * zMm) / 140 + a.discPhaseMm);
  const cordA = a.cordA * (1 + 0.06 * slow);
  const cordB = a.cordB * (1 + 0.03 * slow);
  const canalA = a.canalA * (1 + 0.04 * Math.cos((2 * Math.PI * zMm) / 170));
  const canalB = a.canalB * (1 + 0.03 * Math.cos((2 * Math.PI * zMm) / 170));
  const period = a.levelPeriodMm;
  const rel = (((zMm - a.discPhaseMm) % period) + period) % period;
  const discOffsetMm = rel > period / 2 ? rel - period : rel;
  // Partial volume across a 3 mm slice blurs the disc–endplate boundary over about a millimetre.
  const discFraction = Math.min(1, Math.max(0, (a.discHeightMm / 2 - Math.abs(discOffsetMm)) / 1.2 + 0.5));
  return {
    canalA,
    canalB,
    cordA,
    cordB,
    cordDx: a.cordDx,
    cordDy: a.cordDy,
    shiftY: a.lordosisMm * Math.sin((2 * Math.PI * zMm) / a.lordosisPeriodMm),
    discFraction,
    discOffsetMm,
    anteriorGapMm: canalB + a.cordDy - cordB,
    posteriorGapMm: canalB - a.cordDy - cordB,
  };
}

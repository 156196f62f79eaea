import { COHORT_CUES, geometryAt, samplePatientAnatomy } from './anatomy.js';
import { CONTACT_CLEARANCE_MM, NO_BULGE, severityOf, type Bulge, type Severity } from './compression.js';
import { Prng } from './prng.js';
import { renderSliceWithTissue, type AxialSliceParams, type RenderedSlice } from './render-axial.js';

export interface FixtureSpec {
  severity: Severity;
  seed: string;
  rows?: number;
  /** False for noise-free anatomy. Default true. */
  noise?: boolean;
}

export interface PhantomFixture extends RenderedSlice {
  /** The parameters, spelled out: `axial-t2_sev2_seed-abc_256px` (PH10). */
  name: string;
  params: AxialSliceParams;
}

/** How far a fixture's bulge pushes at each severity: none, to just short of the cord, or 1.5 mm into it. */
function bulgeFor(severity: Severity, anteriorGapMm: number, canalA: number): Bulge {
  if (severity === 0) return { ...NO_BULGE };
  const reach = severity === 1 ? anteriorGapMm - CONTACT_CLEARANCE_MM : anteriorGapMm + 1.5;
  return { ...NO_BULGE, anteriorReachMm: reach, anteriorHalfWidthMm: canalA * 0.7 };
}

/**
 * One axial slice at a disc level of the patient that `seed` describes, with a chosen severity.
 * The same seed gives the same anatomy and noise at every severity, so fixtures differ only in the
 * bulge.
 */
export function phantomFixture(spec: FixtureSpec): PhantomFixture {
  const rows = spec.rows ?? 256;
  // A fixture is one slice of one patient, so cohort cues cannot show; `strong` keeps every
  // fixture's pixels as they were when fixtures were named (PH10).
  const anatomy = samplePatientAnatomy(new Prng(`fixture/${spec.seed}`), 'DCM', COHORT_CUES.strong);
  const zMm = anatomy.discPhaseMm;
  const g = geometryAt(anatomy, zMm);
  const bulge = bulgeFor(spec.severity, g.anteriorGapMm, g.canalA);
  if (severityOf(g, bulge) !== spec.severity) throw new Error(`fixture bulge does not give severity ${spec.severity}`);
  const params: AxialSliceParams = { anatomy, rows, zMm, bulge, noiseKey: `fixture/${spec.seed}/noise`, noise: spec.noise };
  const noiseTag = spec.noise === false ? '_clean' : '';
  return { name: `axial-t2_sev${spec.severity}_seed-${spec.seed}_${rows}px${noiseTag}`, params, ...renderSliceWithTissue(params) };
}

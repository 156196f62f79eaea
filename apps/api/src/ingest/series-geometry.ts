/**
 * Orders the slices of one series along its normal, or refuses the series. We never invent
 * geometry: differing orientation or matrix size, a missing position or two slices at one
 * location reject the whole series.
 */
import type { CandidateInfo } from './classify.js';
import { locationAlong } from './slice-normal.js';

const ORIENTATION_TOLERANCE = 1e-3;
const LOCATION_TOLERANCE_MM = 1e-3;

export type SeriesOrder = { ok: true; normal: number[]; order: { index: number; location: number }[] } | { ok: false; detail: string };

export function orderSeries(slices: Pick<CandidateInfo, 'orientation' | 'normal' | 'position' | 'rows' | 'cols'>[]): SeriesOrder {
  const ref = slices[0];
  for (const s of slices) {
    if (s.orientation.some((v, i) => Math.abs(v - ref.orientation[i]) > ORIENTATION_TOLERANCE)) {
      return { ok: false, detail: 'Images of this series have different orientations (e.g. several angled blocks); the series is not one stack.' };
    }
    if (s.rows !== ref.rows || s.cols !== ref.cols) return { ok: false, detail: 'Images of this series have different matrix sizes.' };
    if (!s.position) return { ok: false, detail: 'An image of this series has no Image Position (Patient), so slices cannot be ordered.' };
  }
  const located = slices.map((s, index) => ({ index, location: locationAlong(ref.normal, s.position!) }));
  located.sort((a, b) => a.location - b.location);
  for (let i = 1; i < located.length; i++) {
    if (located[i].location - located[i - 1].location < LOCATION_TOLERANCE_MM) {
      return { ok: false, detail: 'Two images of this series lie at the same position along the slice normal (repeated or multi-echo acquisition).' };
    }
  }
  return { ok: true, normal: [...ref.normal], order: located };
}

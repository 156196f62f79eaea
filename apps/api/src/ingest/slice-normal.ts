/** Unit slice normal (row × column direction cosines) from ImageOrientationPatient, or undefined if degenerate. */
export function sliceNormal(iop: number[] | undefined): [number, number, number] | undefined {
  if (iop?.length !== 6) return undefined;
  const [rx, ry, rz, cx, cy, cz] = iop;
  const n: [number, number, number] = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  const len = Math.hypot(...n);
  if (!(len > 0.5)) return undefined;
  return [n[0] / len, n[1] / len, n[2] / len];
}

/** Angle in degrees between the slice normal and the patient's z (feet–head) axis, sign ignored. */
export function angleFromAxialDeg(normal: [number, number, number]): number {
  return (Math.acos(Math.min(1, Math.abs(normal[2]))) * 180) / Math.PI;
}

/** Position of a slice along the normal in mm: projection of ImagePositionPatient. */
export function locationAlong(normal: [number, number, number], ipp: number[]): number {
  return normal[0] * ipp[0] + normal[1] * ipp[1] + normal[2] * ipp[2];
}

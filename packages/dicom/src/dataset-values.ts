import type { NaturalDataset } from './dcmjs-api.js';

/** A numeric attribute's first value, or undefined when it is absent, empty or not a number. */
export function num(ds: NaturalDataset, key: string): number | undefined {
  const v = ds[key];
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined || first === null || first === '') return undefined;
  const n = Number(first);
  return Number.isFinite(n) ? n : undefined;
}

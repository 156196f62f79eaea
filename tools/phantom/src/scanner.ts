import type { PatientAnatomy } from './anatomy.js';
import type { Prng } from './prng.js';

export const MAX_STORED_VALUE = 4095; // BitsStored 12

/**
 * Turns painted tissue signal into what a scanner stores: receiver gain, a smooth coil bias
 * field (brighter towards the posterior surface coil), Rician magnitude noise, 12-bit clamp.
 */
export interface SignalImage {
  size: number;
  spacingMm: number;
  value: Float32Array;
}

export function applyScanner(cv: SignalImage, a: PatientAnatomy, rng: Prng, noisy: boolean): Uint16Array {
  const n = cv.size;
  const out = new Uint16Array(n * n);
  const sliceGain = noisy ? 1 + 0.02 * rng.normal() : 1;
  const sigma = a.noiseSigma * a.gain;
  for (let row = 0; row < n; row++) {
    // Normalised position from the image centre, in units of 100 mm.
    const yn = ((row + 0.5 - n / 2) * cv.spacingMm) / 100;
    for (let col = 0; col < n; col++) {
      const i = row * n + col;
      let v = cv.value[i] * a.gain;
      if (noisy) {
        const xn = ((col + 0.5 - n / 2) * cv.spacingMm) / 100;
        const bias = (1 + a.biasX * xn + a.biasY * yn + a.biasQuad * (xn * xn + yn * yn)) * Math.exp(a.coilGain * yn);
        const re = v * bias * sliceGain + sigma * rng.normal();
        const im = sigma * rng.normal();
        v = Math.sqrt(re * re + im * im);
      }
      out[i] = Math.min(MAX_STORED_VALUE, Math.max(0, Math.round(v)));
    }
  }
  return out;
}

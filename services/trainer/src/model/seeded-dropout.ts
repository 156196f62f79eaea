import { tf } from '../backend.js';

/**
 * Dropout whose masks come from a seeded sequence, so training a head twice on the same data gives
 * the same weights. tfjs' own dropout layer is either unseeded (rounds differ run to run, which
 * blurred strategy comparisons by ±0.04 AUC) or, given a seed, draws the SAME mask at every step.
 * Here each training-mode call takes the next seed of the layer's own sequence: masks differ step
 * to step and repeat run to run. Inference (training off) is the identity, as for Dropout.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'ConcordSeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(args: { rate: number; seed: number; name?: string }) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate <= 0) return tf.clone(x);
    // A well-mixed 32-bit seed per call; tfjs seeds its uniform draw with it (alea).
    const step = this.calls++;
    let h = (Math.imul(this.seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(step + 1, 0xc2b2ae35)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
    return tf.dropout(x, this.rate, undefined, h);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

// β-VAE: the Gaussian VAE from core (composed, not inherited) trained on a β-weighted or
// capacity-controlled objective; adds latent traversals for looking at disentanglement.
import {
  type Batch, gaussianLatentTerms, type GaussianLatentModel, GaussianVae, klWeightAt, latentTraversal, type LossOutput, type ParamSet,
  type StepContext, tf, type TrainableModel,
} from '@vaelab/core';
import { type BetaVaeConfig, parseBetaVaeConfig } from './config.js';
import { betaVaeLoss, capacityAt } from './loss.js';

export class BetaVae implements TrainableModel, GaussianLatentModel {
  /** The underlying Gaussian VAE: encode, decode, sample, interpolate, reconstruct, anomalyScore. */
  readonly vae: GaussianVae;

  constructor(readonly config: BetaVaeConfig) {
    const { objective: _objective, ...vaeConfig } = config;
    this.vae = new GaussianVae(vaeConfig);
  }

  get params(): ParamSet {
    return this.vae.params;
  }

  get trainableVariables(): tf.Variable[] {
    return this.vae.trainableVariables;
  }

  get latentDim(): number {
    return this.vae.latentDim;
  }

  encodeBatch(batch: Batch): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D } {
    return this.vae.encodeBatch(batch);
  }

  reconstructionNll(z: tf.Tensor2D, batch: Batch): tf.Tensor1D {
    return this.vae.reconstructionNll(z, batch);
  }

  reconstructBatch(batch: Batch): tf.Tensor4D {
    return this.vae.reconstructBatch(batch);
  }

  /** One row per latent dimension, swept over [-limit, limit] around the posterior mean of `x`. */
  traversal(x: tf.Tensor4D, steps = 8, limit = 3): tf.Tensor4D {
    const base = tf.tidy(() => this.vae.encode(tf.slice(x, [0, 0, 0, 0], [1, ...this.config.inputShape])).zMean.dataSync());
    return latentTraversal((z) => this.vae.decode(z), base, steps, limit);
  }

  computeLoss(batch: Batch, ctx: StepContext): LossOutput {
    return tf.tidy(() => {
      const { reconstruction, kl, klObjective } = gaussianLatentTerms(this.vae, batch, ctx.noiseSeed, this.config.freeBits);
      return betaVaeLoss(reconstruction, kl, this.config.objective, ctx.step, klWeightAt(this.config.klSchedule, ctx.step), klObjective);
    });
  }

  scheduleValues(step: number): Record<string, number> {
    const o = this.config.objective;
    return o.kind === 'beta'
      ? { beta: o.beta * klWeightAt(this.config.klSchedule, step) }
      : { beta: o.gamma, capacity: capacityAt(o, step) };
  }

  dispose(): void {
    this.vae.dispose();
  }
}

export function createBetaVae(config: unknown = {}): BetaVae {
  return new BetaVae(parseBetaVaeConfig(config));
}

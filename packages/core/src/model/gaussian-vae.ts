// The plain VAE (Kingma & Welling 2014): Gaussian encoder, N(0, I) prior, Bernoulli or
// Gaussian decoder, trained on the negative ELBO with an optional KL weight schedule.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import { buildDecoder, buildEncoder } from '../layers/networks.js';
import type { Layer } from '../layers/layers.js';
import { ParamSet } from '../layers/params.js';
import { type LossOutput, vaeLoss } from '../losses/vae-loss.js';
import { klWeightAt } from '../train/kl-schedule.js';
import type { GaussianLatentModel } from './gaussian-latent.js';
import { gaussianLatentLoss, negativeElboPerExample } from './gaussian-latent-loss.js';
import { outputMean, reconstructionNll } from './likelihood.js';
import type { StepContext, TrainableModel } from './types.js';
import { deriveSeed, SAMPLE_STREAM } from '../util/random.js';
import { defaultVaeConfig, parseVaeConfig, type VaeConfig, vaeConfigSchema } from './vae-config.js';

export class GaussianVae implements TrainableModel, GaussianLatentModel {
  readonly params: ParamSet;
  readonly latentDim: number;
  private readonly encoder: Layer;
  private readonly decoder: Layer;

  constructor(readonly config: VaeConfig) {
    this.params = new ParamSet(config.seed);
    this.latentDim = config.latentDim;
    this.encoder = buildEncoder(this.params, config.architecture, config.inputShape, 2 * config.latentDim);
    this.decoder = buildDecoder(this.params, config.architecture, config.inputShape, config.latentDim);
  }

  get trainableVariables(): tf.Variable[] {
    return this.params.variables;
  }

  encode(x: tf.Tensor): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const [zMean, zLogVar] = tf.split(this.encoder(x), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { zMean, zLogVar };
    });
  }

  encodeBatch(batch: Batch): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D } {
    return this.encode(batch.x);
  }

  /** Raw decoder output: logits (Bernoulli) or means (Gaussian), shape [B,H,W,C]. */
  decodeOutput(z: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => this.decoder(z) as tf.Tensor4D);
  }

  /** Mean image for each latent, in [0, 1] for Bernoulli. */
  decode(z: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => outputMean(this.config.likelihood, this.decoder(z)) as tf.Tensor4D);
  }

  reconstructionNll(z: tf.Tensor2D, batch: Batch): tf.Tensor1D {
    return tf.tidy(() => reconstructionNll(this.config.likelihood, this.decoder(z), batch.x));
  }

  reconstruct(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.decode(this.encode(x).zMean));
  }

  reconstructBatch(batch: Batch): tf.Tensor4D {
    return this.reconstruct(batch.x);
  }

  sample(n: number, seed: number): tf.Tensor4D {
    return tf.tidy(() => this.decode(tf.randomNormal([n, this.latentDim], 0, 1, 'float32', deriveSeed(seed, SAMPLE_STREAM)) as tf.Tensor2D));
  }

  /** Decodes `steps` points on the line between the posterior means of images a and b. */
  interpolate(a: tf.Tensor, b: tf.Tensor, steps: number): tf.Tensor4D {
    return tf.tidy(() => {
      const za = this.encode(tf.reshape(a, [1, ...this.config.inputShape])).zMean;
      const zb = this.encode(tf.reshape(b, [1, ...this.config.inputShape])).zMean;
      const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1]);
      return this.decode(tf.add(za, tf.mul(t, tf.sub(zb, za))) as tf.Tensor2D);
    });
  }

  /** Anomaly score: per-example negative ELBO in nats (higher = less likely). */
  anomalyScore(x: tf.Tensor4D, seed: number): tf.Tensor1D {
    return negativeElboPerExample(this, { x }, seed);
  }

  computeLoss(batch: Batch, ctx: StepContext): LossOutput {
    return gaussianLatentLoss(this, this.config, batch, ctx);
  }

  scheduleValues(step: number): Record<string, number> {
    return { beta: klWeightAt(this.config.klSchedule, step) };
  }

  dispose(): void {
    this.params.dispose();
  }
}

export function createVae(config: unknown = {}): GaussianVae {
  return new GaussianVae(parseVaeConfig(config));
}

/** The plain VAE's entry for the experiments registry (the variant contract in DESIGN.md). */
export const vaeSpec = {
  name: 'vae',
  defaultConfig: defaultVaeConfig,
  configSchema: vaeConfigSchema,
  parseConfig: parseVaeConfig,
  create: (config: unknown): GaussianVae => createVae(config),
  loss: vaeLoss,
} as const;

// Conditional VAE (Sohn et al. 2015): q(z|x,y) and p(x|z,y) with a one-hot label y joined to
// the encoder input (extra features for an MLP, extra constant channels for a conv net) and
// to the decoder's latent input; prior N(0, I). Loss is the Gaussian VAE loss, unchanged.
import {
  type Batch, buildDecoder, deriveSeed, SAMPLE_STREAM, buildEncoder, gaussianLatentLoss, type GaussianLatentModel, klWeightAt, type Layer, type LossOutput,
  negativeElboPerExample, outputMean, ParamSet, reconstructionNll, type StepContext, tf, type TrainableModel,
} from '@vaelab/core';
import { type CvaeConfig, parseCvaeConfig } from './config.js';
import { checkLabel } from './labels.js';

export class Cvae implements TrainableModel, GaussianLatentModel {
  readonly params: ParamSet;
  readonly latentDim: number;
  private readonly encoder: Layer;
  private readonly decoder: Layer;

  constructor(readonly config: CvaeConfig) {
    this.params = new ParamSet(config.seed);
    this.latentDim = config.latentDim;
    this.encoder = buildEncoder(this.params, config.architecture, config.inputShape, 2 * config.latentDim, config.numClasses);
    this.decoder = buildDecoder(this.params, config.architecture, config.inputShape, config.latentDim + config.numClasses);
  }

  get trainableVariables(): tf.Variable[] {
    return this.params.variables;
  }

  private oneHot(labels: tf.Tensor1D): tf.Tensor2D {
    return tf.oneHot(tf.cast(labels, 'int32'), this.config.numClasses) as tf.Tensor2D;
  }

  private encoderInput(x: tf.Tensor, y: tf.Tensor2D): tf.Tensor {
    if (this.config.architecture.kind === 'mlp') return tf.concat([tf.reshape(x, [x.shape[0], -1]), y], 1);
    const [n, h, w] = x.shape;
    const planes = tf.tile(tf.reshape(y, [n, 1, 1, this.config.numClasses]), [1, h, w, 1]);
    return tf.concat([x, planes], 3);
  }

  encode(x: tf.Tensor, labels: tf.Tensor1D): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const [zMean, zLogVar] = tf.split(this.encoder(this.encoderInput(x, this.oneHot(labels))), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { zMean, zLogVar };
    });
  }

  private decodeOutput(z: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor {
    return this.decoder(tf.concat([z, this.oneHot(labels)], 1));
  }

  /** Mean image for each (latent, label) pair. */
  decode(z: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor4D {
    return tf.tidy(() => outputMean(this.config.likelihood, this.decodeOutput(z, labels)) as tf.Tensor4D);
  }

  private requireLabels(batch: Batch): tf.Tensor1D {
    if (batch.labels == null) throw new Error('a CVAE needs labelled batches (batch.labels is missing)');
    return batch.labels;
  }

  encodeBatch(batch: Batch): { zMean: tf.Tensor2D; zLogVar: tf.Tensor2D } {
    return this.encode(batch.x, this.requireLabels(batch));
  }

  reconstructionNll(z: tf.Tensor2D, batch: Batch): tf.Tensor1D {
    return tf.tidy(() => reconstructionNll(this.config.likelihood, this.decodeOutput(z, this.requireLabels(batch)), batch.x));
  }

  /** Conditional reconstruction: encode and decode with the true labels. */
  reconstructBatch(batch: Batch): tf.Tensor4D {
    return this.transfer(batch.x, this.requireLabels(batch), this.requireLabels(batch));
  }

  /** Label-swap "style transfer": encode with the true labels, decode with the target labels. */
  transfer(x: tf.Tensor, trueLabels: tf.Tensor1D, targetLabels: tf.Tensor1D): tf.Tensor4D {
    return tf.tidy(() => this.decode(this.encode(x, trueLabels).zMean, targetLabels));
  }

  /** n samples of one class from the prior. */
  sample(n: number, label: number, seed: number): tf.Tensor4D {
    checkLabel('label', label, this.config.numClasses);
    return tf.tidy(() => this.decode(tf.randomNormal([n, this.latentDim], 0, 1, 'float32', deriveSeed(seed, SAMPLE_STREAM)) as tf.Tensor2D, tf.fill([n], label, 'int32') as tf.Tensor1D));
  }

  /** One row per class, `perClass` samples each; the same latents in every row, so columns share style. */
  classGrid(perClass: number, seed: number): tf.Tensor4D {
    return tf.tidy(() => {
      const k = this.config.numClasses;
      const z = tf.tile(tf.randomNormal([perClass, this.latentDim], 0, 1, 'float32', deriveSeed(seed, SAMPLE_STREAM)), [k, 1]) as tf.Tensor2D;
      const labels = tf.reshape(tf.tile(tf.reshape(tf.range(0, k, 1, 'int32'), [k, 1]), [1, perClass]), [k * perClass]) as tf.Tensor1D;
      return this.decode(z, labels);
    });
  }

  /** Anomaly score: per-example conditional negative ELBO in nats. */
  anomalyScore(batch: Batch, seed: number): tf.Tensor1D {
    return negativeElboPerExample(this, batch, seed);
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

export function createCvae(config: unknown = {}): Cvae {
  return new Cvae(parseCvaeConfig(config));
}

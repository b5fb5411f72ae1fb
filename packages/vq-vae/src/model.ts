// VQ-VAE (van den Oord et al. 2017): a conv encoder to a grid of vectors, each replaced by a
// discrete code (a codebook entry, a sum of residual stages' entries, or FSQ's rounded levels),
// and a conv decoder; quantisation takes the place of the Gaussian reparameterisation. The
// quantiser's own updates (EMA, k-means init, dead-code restarts) run in afterStep.
import {
  type Batch, buildGridDecoder, convDownLayer, defineModelSpec, type ModelSpec, convLayer, type Layer, type LossOutput, outputMean, ParamSet,
  reconstructionNll, sequential, type StepContext, tf, type TrainableModel,
} from '@vaelab/core';
import { CodebookQuantizer } from './codebook-quantizer.js';
import { defaultVqVaeConfig, type VqVaeConfig, vqVaeConfigSchema } from './config.js';
import { FsqQuantizer } from './fsq.js';
import type { LatentQuantizer } from './latent-quantizer.js';
import { vqVaeLoss } from './loss.js';
import type { CodePrior } from './prior.js';
import { ResidualQuantizer } from './residual-quantizer.js';

/** The quantiser the config names. */
function createQuantizer(params: ParamSet, config: VqVaeConfig): LatentQuantizer {
  const q = config.quantizer;
  if (q.kind === 'fsq') return new FsqQuantizer(q.levels);
  if (q.kind === 'residual') return new ResidualQuantizer(params, config, q);
  return new CodebookQuantizer(params, 'quantizer', config, q.gradient);
}

export class VqVae implements TrainableModel {
  readonly spec = vqVaeSpec;
  readonly params: ParamSet;
  readonly quantizer: LatentQuantizer;
  /** Height and width of the latent grid of encoder cells. */
  readonly latentShape: [number, number];
  private readonly encoder: Layer;
  private readonly decoder: Layer;
  private prior: CodePrior | null = null;
  /** Whether dispose() also disposes the attached prior. */
  private ownsPrior = false;

  constructor(readonly config: VqVaeConfig) {
    const { inputShape, filters, kernelSize } = config;
    const factor = 2 ** filters.length;
    if (inputShape[0] % factor !== 0 || inputShape[1] % factor !== 0) {
      throw new Error(`vq-vae config: filters has ${filters.length} stride-2 layers, so inputShape height and width must be divisible by ${factor}, got ${inputShape[0]}x${inputShape[1]}`);
    }
    this.latentShape = [inputShape[0] / factor, inputShape[1] / factor];
    this.params = new ParamSet(config.seed);
    // Built before the quantiser's variables, as before quantisers were a choice (same seeds, same weights).
    const d = config.quantizer.kind === 'fsq' ? config.quantizer.levels.length : config.embeddingDim;
    const channels = [inputShape[2], ...filters];
    this.encoder = sequential([
      ...filters.map((f, i) => convDownLayer(this.params, `encoder/conv${i}`, channels[i], f, kernelSize, 'relu')),
      convLayer(this.params, 'encoder/project', filters[filters.length - 1], d, 1, 1, 'linear'),
    ]);
    this.decoder = buildGridDecoder(this.params, filters, kernelSize, d, inputShape[2]);
    this.quantizer = createQuantizer(this.params, config);
  }

  get trainableVariables(): tf.Variable[] {
    return this.params.trainableVariables;
  }

  /** The codebook of a single-codebook quantiser (an error for FSQ or residual stacks: see `quantizer`). */
  get codebook(): tf.Variable {
    if (!(this.quantizer instanceof CodebookQuantizer)) throw new Error(`the ${this.config.quantizer.kind} quantiser has no single codebook`);
    return this.quantizer.codebook;
  }

  /** The grid of tokens a prior models: the latent grid, with residual stages side by side in each cell. */
  get gridShape(): [number, number] {
    return [this.latentShape[0], this.latentShape[1] * this.quantizer.tokensPerCell];
  }

  /** Distinct tokens (codes of the codebook, of FSQ's implicit codebook, or of one residual stage). */
  get numEmbeddings(): number {
    return this.quantizer.numTokens;
  }

  /** Encoder output z_e, [B, h, w, D]. */
  encode(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.encoder(x) as tf.Tensor4D);
  }

  /** z_e (or any point of that space) replaced by its quantised vector, same shape. */
  quantizeLatent(ze: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.quantizer.quantize(ze).quantized as tf.Tensor4D);
  }

  /** The token grid of each image, int32 [B, ...gridShape]. */
  encodeCodes(x: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => tf.reshape(this.quantizer.quantize(this.encoder(x)).tokens, [x.shape[0], ...this.gridShape]) as tf.Tensor3D);
  }

  /** Mean images from quantised vectors [B, h, w, D]. */
  decode(zq: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => outputMean(this.config.likelihood, this.decoder(zq)) as tf.Tensor4D);
  }

  /** Images from token grids, int32 [B, ...gridShape]. */
  decodeCodes(codes: tf.Tensor3D): tf.Tensor4D {
    return tf.tidy(() => {
      const vectors = this.quantizer.embedTokens(tf.reshape(codes, [-1]) as tf.Tensor1D);
      return this.decode(tf.reshape(vectors, [codes.shape[0], ...this.latentShape, this.quantizer.dim]) as tf.Tensor4D);
    });
  }

  reconstruct(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => this.decode(this.quantizeLatent(this.encoder(x))));
  }

  /** The reconstruction and the token grid it was decoded from, from one encoder pass. */
  reconstructWithCodes(x: tf.Tensor): { images: tf.Tensor4D; codes: tf.Tensor3D } {
    return tf.tidy(() => {
      const q = this.quantizer.quantize(this.encoder(x));
      return { images: this.decode(q.quantized as tf.Tensor4D), codes: tf.reshape(q.tokens, [x.shape[0], ...this.gridShape]) as tf.Tensor3D };
    });
  }

  reconstructBatch(batch: Batch): tf.Tensor4D {
    return this.reconstruct(batch.x);
  }

  /** Decodes the quantised points on the line between the encodings of images a and b. */
  interpolate(a: tf.Tensor, b: tf.Tensor, steps: number): tf.Tensor4D {
    return tf.tidy(() => {
      const shape = [1, ...this.config.inputShape];
      const za = this.encoder(tf.reshape(a, shape));
      const zb = this.encoder(tf.reshape(b, shape));
      const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1, 1, 1]);
      return this.decode(this.quantizeLatent(tf.add(za, tf.mul(t, tf.sub(zb, za)))));
    });
  }

  /** Anomaly score: per-example reconstruction MSE (higher = less typical); deterministic, so no seed. */
  anomalyScore(x: tf.Tensor4D, _options: { seed?: number } = {}): tf.Tensor1D {
    return tf.tidy(() => tf.mean(tf.squaredDifference(this.reconstruct(x), x), [1, 2, 3]) as tf.Tensor1D);
  }

  /**
   * Sets the prior over token grids that sample() draws from (see prior.ts). With `owned`, the
   * model disposes it when it is disposed or another prior replaces it.
   */
  attachPrior(prior: CodePrior, options: { owned?: boolean } = {}): void {
    const [h, w] = prior.gridShape;
    if (h !== this.gridShape[0] || w !== this.gridShape[1] || prior.numEmbeddings !== this.numEmbeddings) {
      throw new Error(`prior is over ${h}x${w} grids of ${prior.numEmbeddings} codes, the model has ${this.gridShape.join('x')} grids of ${this.numEmbeddings}`);
    }
    if (this.ownsPrior && this.prior !== prior) this.prior?.dispose();
    this.prior = prior;
    this.ownsPrior = options.owned === true;
  }

  /** Whether a prior is attached, so sample() can draw. */
  get hasPrior(): boolean {
    return this.prior != null;
  }

  /** n images decoded from token grids drawn from the attached prior (the same options as a Gaussian VAE's sample). */
  sample(n: number, options: { seed?: number } = {}): tf.Tensor4D {
    if (this.prior == null) throw new Error('VQ-VAE cannot sample without a prior over codes: fit one (UnigramPrior.fromCodes or AutoregressivePrior) and call attachPrior first');
    const codes = this.prior.sampleCodes(n, options.seed ?? 0);
    const images = this.decodeCodes(codes);
    codes.dispose();
    return images;
  }

  computeLoss(batch: Batch, ctx: StepContext): LossOutput {
    return tf.tidy(() => {
      const ze = this.encoder(batch.x);
      const q = this.quantizer.quantize(ze, ctx.training ? { step: ctx.step } : undefined);
      const pixels = this.config.inputShape.reduce((a, b) => a * b, 1);
      const nll = reconstructionNll(this.config.likelihood, this.decoder(q.quantized), batch.x);
      const reconstruction = tf.div(tf.mean(nll), pixels) as tf.Scalar;
      return vqVaeLoss(reconstruction, q.codebookLoss, q.commitmentLoss, this.config.commitmentCost, this.quantizer.codebookLossTrains);
    });
  }

  /** The quantiser's step: EMA update or k-means init, usage bookkeeping, restarts; returns usage metrics. */
  afterStep(ctx: StepContext): Record<string, tf.Scalar> {
    return this.quantizer.afterStep(ctx.step);
  }

  dispose(): void {
    this.quantizer.clearPending();
    if (this.ownsPrior) this.prior?.dispose();
    this.prior = null;
    this.params.dispose();
  }
}

export const vqVaeSpec: ModelSpec<VqVaeConfig, VqVae> = defineModelSpec({
  name: 'vq-vae',
  defaultConfig: defaultVqVaeConfig,
  configSchema: vqVaeConfigSchema,
  build: (config: VqVaeConfig): VqVae => new VqVae(config),
});

export function createVqVae(config: unknown = {}): VqVae {
  return vqVaeSpec.create(config);
}

// Priors over grids of code indices, so a trained VQ-VAE can generate: the empirical (unigram)
// prior that draws each cell independently from the training codes' frequencies, and a small
// autoregressive prior (a MADE-style masked MLP, Germain et al. 2015) over the raster-ordered
// grid, standing in for the PixelCNN of van den Oord et al. 2017.
import {
  type Batch, deriveSeed, type ImageDataset, type LossOutput, ParamSet, parseWith, type StepContext, tf, type TrainableModel,
} from '@vaelab/core';
import { z } from 'zod';
import { sampleCategorical } from './sampling.js';

export interface CodePrior {
  readonly gridShape: [number, number];
  readonly numEmbeddings: number;
  /** Code grids, int32 [n, h, w]. */
  sampleCodes(n: number, seed: number): tf.Tensor3D;
  dispose(): void;
}

/** Codes (as written by encodeDatasetCodes) wrapped as a dataset of [h, w, 1] "images", for the trainer. */
export function codesDataset(codes: Int32Array, gridShape: [number, number], name = 'codes'): ImageDataset {
  const count = codes.length / (gridShape[0] * gridShape[1]);
  return { name, images: Float32Array.from(codes), labels: new Int32Array(0), inputShape: [gridShape[0], gridShape[1], 1], count, numClasses: 0 };
}

export class UnigramPrior implements CodePrior {
  private readonly logits: tf.Tensor1D;

  constructor(readonly probabilities: Float64Array, readonly gridShape: [number, number]) {
    this.logits = tf.tidy(() => tf.log(tf.add(tf.tensor1d(Float32Array.from(probabilities)), 1e-10)) as tf.Tensor1D);
  }

  /** The code frequencies of encoded training data (add-one smoothing keeps every code possible). */
  static fromCodes(codes: Int32Array, numEmbeddings: number, gridShape: [number, number]): UnigramPrior {
    const counts = new Float64Array(numEmbeddings).fill(1);
    for (const c of codes) counts[c]++;
    const total = counts.reduce((a, b) => a + b, 0);
    return new UnigramPrior(counts.map((c) => c / total), gridShape);
  }

  get numEmbeddings(): number {
    return this.probabilities.length;
  }

  /** Mean negative log-likelihood per grid cell (nats) of codes under this prior. */
  nllPerCode(codes: Int32Array): number {
    let sum = 0;
    for (const c of codes) sum -= Math.log(this.probabilities[c]);
    return sum / codes.length;
  }

  sampleCodes(n: number, seed: number): tf.Tensor3D {
    return tf.tidy(() => {
      const cells = n * this.gridShape[0] * this.gridShape[1];
      const logits = tf.broadcastTo(tf.expandDims(this.logits, 0), [cells, this.numEmbeddings]) as tf.Tensor2D;
      return tf.reshape(sampleCategorical(logits, seed), [n, ...this.gridShape]) as tf.Tensor3D;
    });
  }

  dispose(): void {
    this.logits.dispose();
  }
}

/** One float row per grid cell of code grids stored in any numeric dtype ([B·cells, K]). */
function codesOneHot(codes: tf.Tensor, k: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.cast(tf.reshape(codes, [-1]), 'int32') as tf.Tensor1D, k, 1, 0, 'float32') as tf.Tensor2D);
}

export const autoregressivePriorConfigSchema = z.object({
  gridShape: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  numEmbeddings: z.number().int().min(2),
  /** Size of each cell's code embedding at the input. */
  embeddingDim: z.number().int().positive(),
  /** Hidden units per grid cell in each of the two masked layers. */
  hiddenUnits: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
}).strict();

export type AutoregressivePriorConfig = z.infer<typeof autoregressivePriorConfigSchema>;

/** 0/1 mask [inCells·inUnits, outCells·outUnits]: out cell j may see in cell i when i < j (strict) or i ≤ j. */
function cellMask(cells: number, inUnits: number, outUnits: number, strict: boolean): tf.Tensor2D {
  const mask = new Float32Array(cells * inUnits * cells * outUnits);
  const cols = cells * outUnits;
  for (let i = 0; i < cells; i++) {
    for (let j = strict ? i + 1 : i; j < cells; j++) {
      for (let a = 0; a < inUnits; a++) mask.fill(1, (i * inUnits + a) * cols + j * outUnits, (i * inUnits + a) * cols + (j + 1) * outUnits);
    }
  }
  return tf.tensor2d(mask, [cells * inUnits, cols]);
}

export class AutoregressivePrior implements CodePrior, TrainableModel {
  readonly spec = { name: 'ar-prior' } as const;
  readonly params: ParamSet;
  private readonly cells: number;
  private readonly masks: [tf.Tensor2D, tf.Tensor2D];

  constructor(readonly config: AutoregressivePriorConfig) {
    const { gridShape, numEmbeddings: k, embeddingDim: e, hiddenUnits: h, seed } = config;
    this.cells = gridShape[0] * gridShape[1];
    const l = this.cells;
    this.params = new ParamSet(seed);
    this.params.addNormal('prior/embedding', [k, e], 1);
    this.params.addFanInUniform('prior/masked0/kernel', [l * e, l * h], l * e);
    this.params.addFanInUniform('prior/masked0/bias', [l * h], l * e);
    this.params.addFanInUniform('prior/masked1/kernel', [l * h, l * h], l * h);
    this.params.addFanInUniform('prior/masked1/bias', [l * h], l * h);
    this.params.addFanInUniform('prior/head/kernel', [h, k], h);
    this.params.addZeros('prior/head/cellBias', [l, k]);
    // Hidden cell j sees input cells < j; the second layer's cell j sees hidden cells ≤ j.
    this.masks = [cellMask(l, e, h, true), cellMask(l, h, h, false)];
  }

  get gridShape(): [number, number] {
    return this.config.gridShape;
  }

  get numEmbeddings(): number {
    return this.config.numEmbeddings;
  }

  get trainableVariables(): tf.Variable[] {
    return this.params.trainableVariables;
  }

  /** Logits [B, cells, K] of each cell's code given the cells before it in raster order. */
  logits(codes: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const { numEmbeddings: k, embeddingDim: e, hiddenUnits: h } = this.config;
      const p = (name: string) => this.params.get(`prior/${name}`);
      const b = codes.shape[0];
      const onehot = codesOneHot(codes, k);
      const embedded = tf.reshape(tf.matMul(onehot, p('embedding')), [b, this.cells * e]);
      const h0 = tf.relu(tf.add(tf.matMul(embedded, tf.mul(p('masked0/kernel'), this.masks[0])), p('masked0/bias')));
      const h1 = tf.relu(tf.add(tf.matMul(h0, tf.mul(p('masked1/kernel'), this.masks[1])), p('masked1/bias')));
      const perCell = tf.matMul(tf.reshape(h1, [b * this.cells, h]), p('head/kernel'));
      return tf.add(tf.reshape(perCell, [b, this.cells, k]), p('head/cellBias')) as tf.Tensor3D;
    });
  }

  /** Mean negative log-likelihood per cell (nats) of code grids [B, h, w] (any numeric dtype). */
  nllPerCode(codes: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const labels = codesOneHot(codes, this.config.numEmbeddings);
      const logits = tf.reshape(this.logits(codes), [-1, this.config.numEmbeddings]);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    });
  }

  /** Cross-entropy of the batch's code grids (stored as float "images" by codesDataset). */
  computeLoss(batch: Batch, _ctx: StepContext): LossOutput {
    return tf.tidy(() => {
      const nll = this.nllPerCode(batch.x);
      return { total: nll, parts: { nll } };
    });
  }

  /** Draws cell by cell in raster order; the grid stays on the device (no reads, so any backend). */
  sampleCodes(n: number, seed: number): tf.Tensor3D {
    let codes: tf.Tensor2D = tf.zeros([n, this.cells], 'int32');
    for (let cell = 0; cell < this.cells; cell++) {
      const next = tf.tidy(() => {
        const logits = this.logits(codes);
        const row = tf.reshape(tf.slice(logits, [0, cell, 0], [n, 1, this.config.numEmbeddings]), [n, this.config.numEmbeddings]);
        const drawn = sampleCategorical(row as tf.Tensor2D, deriveSeed(seed, cell));
        // The cell is still 0: adding the draw in its column writes it.
        const column = tf.oneHot(tf.tensor1d([cell], 'int32'), this.cells, 1, 0, 'int32');
        return tf.add(codes, tf.mul(tf.reshape(drawn, [n, 1]), column)) as tf.Tensor2D;
      });
      codes.dispose();
      codes = next;
    }
    const grid = tf.reshape(codes, [n, ...this.gridShape]) as tf.Tensor3D;
    codes.dispose();
    return grid;
  }

  dispose(): void {
    this.params.dispose();
    tf.dispose(this.masks);
  }
}

export function createAutoregressivePrior(config: unknown): AutoregressivePrior {
  return new AutoregressivePrior(parseWith(autoregressivePriorConfigSchema, config, 'autoregressive prior config'));
}

// Test-set evaluation of Gaussian-latent models: negative ELBO (nats/image), the
// importance-weighted NLL bound of Burda et al. 2016 (eq. 8), reconstruction error,
// KL per latent dimension, and active units (Burda et al. 2016, §5.2: Cov_x E_q[z_u] > 0.01).
import * as tf from '@tensorflow/tfjs-core';
import { type Batch, disposeBatch, sequentialBatches } from '../data/batches.js';
import type { ImageDataset } from '../data/dataset.js';
import { klElementwise } from '../losses/kl.js';
import { squaredError } from '../losses/reconstruction.js';
import type { GaussianLatentModel } from '../model/gaussian-latent.js';
import { reparameterize } from '../model/reparameterize.js';
import { deriveSeed } from '../util/random.js';
import { yieldToEventLoop } from '../util/yield.js';

export interface EvalOptions {
  batchSize?: number;
  seed?: number;
  /** Importance samples for the IW-NLL bound; 0 skips it. */
  importanceSamples?: number;
}

export interface EvalReport {
  /** Single-sample negative ELBO, nats per image. */
  negativeElbo: number;
  reconstructionNll: number;
  kl: number;
  /** Squared error of the posterior-mean reconstruction, summed over pixels, per image. */
  reconstructionMse: number;
  klPerDimension: number[];
  activeUnits: number;
  /** Importance-weighted NLL estimate (nats per image), when requested. */
  iwNll?: number;
  examples: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

function tileBatch(batch: Batch, k: number): Batch {
  const x = tf.tile(batch.x, [k, 1, 1, 1]) as tf.Tensor4D;
  return batch.labels ? { x, labels: tf.tile(batch.labels, [k]) as tf.Tensor1D } : { x };
}

/** Decoded rows per chunk of importance samples, to bound memory (k·B rows otherwise). */
const MAX_IW_ROWS = 8192;

/** Per-example IW-NLL: -(logsumexp_k [log p(x|z_k) + log p(z_k) - log q(z_k|x)] - log k). */
export function importanceWeightedNll(model: GaussianLatentModel, batch: Batch, k: number, seed: number): tf.Tensor1D {
  return tf.tidy(() => {
    const { zMean, zLogVar } = model.encodeBatch(batch);
    const [b, d] = zMean.shape;
    const chunk = Math.max(1, Math.floor(MAX_IW_ROWS / b));
    const logWeights: tf.Tensor[] = [];
    for (let start = 0; start < k; start += chunk) {
      const kc = Math.min(chunk, k - start);
      logWeights.push(tf.tidy(() => {
        const eps = tf.randomNormal([kc, b, d], 0, 1, 'float32', deriveSeed(seed, start));
        const z = tf.add(zMean, tf.mul(tf.exp(tf.mul(zLogVar, 0.5)), eps));
        const nll = tf.reshape(model.reconstructionNll(tf.reshape(z, [kc * b, d]) as tf.Tensor2D, tileBatch(batch, kc)), [kc, b]);
        const logPz = tf.mul(-0.5, tf.sum(tf.add(tf.square(z), LOG_2PI), 2));
        const logQz = tf.mul(-0.5, tf.sum(tf.add(tf.add(tf.square(eps), LOG_2PI), zLogVar), 2));
        return tf.sub(tf.sub(logPz, nll), logQz);
      }));
    }
    return tf.neg(tf.sub(tf.logSumExp(tf.concat(logWeights), 0), Math.log(k))) as tf.Tensor1D;
  });
}

export async function evaluateGaussianModel(
  model: GaussianLatentModel, dataset: ImageDataset, options: EvalOptions = {},
): Promise<EvalReport> {
  const batchSize = options.batchSize ?? 500;
  const seed = options.seed ?? 0;
  const k = options.importanceSamples ?? 0;
  const d = model.latentDim;
  // Sums over examples: [rec, kl, mse, iw], KL per dim, E_q[z] and its square per dim.
  const totals = new Float64Array(4);
  const klDims = new Float64Array(d);
  const meanSum = new Float64Array(d);
  const meanSqSum = new Float64Array(d);
  let index = 0;
  for (const batch of sequentialBatches(dataset, batchSize)) {
    const batchSeed = deriveSeed(seed, index++);
    const row = tf.tidy(() => {
      const { zMean, zLogVar } = model.encodeBatch(batch);
      const z = reparameterize(zMean, zLogVar, batchSeed);
      const klEl = klElementwise(zMean, zLogVar);
      const scalars = tf.stack([
        tf.sum(model.reconstructionNll(z, batch)),
        tf.sum(klEl),
        tf.sum(squaredError(model.reconstructBatch(batch), batch.x)),
        k > 0 ? tf.sum(importanceWeightedNll(model, batch, k, deriveSeed(batchSeed, 1))) : tf.scalar(0),
      ]);
      return tf.concat([scalars, tf.sum(klEl, 0), tf.sum(zMean, 0), tf.sum(tf.square(zMean), 0)]);
    });
    disposeBatch(batch);
    const values = await row.data();
    row.dispose();
    await yieldToEventLoop();
    for (let i = 0; i < 4; i++) totals[i] += values[i];
    for (let j = 0; j < d; j++) {
      klDims[j] += values[4 + j];
      meanSum[j] += values[4 + d + j];
      meanSqSum[j] += values[4 + 2 * d + j];
    }
  }
  const n = dataset.count;
  let activeUnits = 0;
  for (let j = 0; j < d; j++) {
    const mean = meanSum[j] / n;
    if (meanSqSum[j] / n - mean * mean > 0.01) activeUnits++;
  }
  const report: EvalReport = {
    negativeElbo: (totals[0] + totals[1]) / n,
    reconstructionNll: totals[0] / n,
    kl: totals[1] / n,
    reconstructionMse: totals[2] / n,
    klPerDimension: Array.from(klDims, (v) => v / n),
    activeUnits,
    examples: n,
  };
  if (k > 0) report.iwNll = totals[3] / n;
  return report;
}

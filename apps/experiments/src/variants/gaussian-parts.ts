// Evaluation and pictures shared by the Gaussian-latent variants (VAE, β-VAE, CVAE): the test
// negative ELBO and its parts, per-pixel MSE, active units, the importance-weighted bound at the
// end, and reconstruction and sample grids.
import {
  disposeBatch, evaluateGaussianModel, type EvaluationTarget, type GaussianVae, gaussianTarget, type ImageDataset, makeBatch, tensorGridPng, tf,
} from '@vaelab/core';
import type { EvaluationContext, EvaluationSettings, LoggedImage, TrialData, TrialReport } from './runner-types.js';

export const gaussianEvalMetrics = ['test/negativeElbo', 'test/reconstruction', 'test/kl', 'test/activeUnits', 'test/mse', 'test/iwNll'] as const;

export async function evaluateGaussian(model: GaussianVae, test: ImageDataset, context: EvaluationContext): Promise<Record<string, number>> {
  // The suite's likelihood group computes the same bound (same model, test set, k and seed) and logs it as test/iwNll too.
  const k = context.final && !context.settings.metrics.includes('likelihood') ? context.settings.importanceSamples : 0;
  const ev = await evaluateGaussianModel(model, test, { seed: context.seed, importanceSamples: k });
  const pixels = test.inputShape[0] * test.inputShape[1] * test.inputShape[2];
  return {
    'test/negativeElbo': ev.negativeElbo, 'test/reconstruction': ev.reconstructionNll, 'test/kl': ev.kl, 'test/activeUnits': ev.activeUnits,
    // Per-pixel squared error of the posterior-mean reconstruction: the same measure as VQ-VAE's.
    'test/mse': ev.reconstructionMse / pixels,
    ...(ev.iwNll != null ? { 'test/iwNll': ev.iwNll } : {}),
  };
}

/** Top row: 16 test images; bottom row: their reconstructions (conditional models: with their labels). */
export async function reconstructionGrid(reconstruct: (batch: ReturnType<typeof makeBatch>) => tf.Tensor4D, test: ImageDataset): Promise<LoggedImage> {
  const batch = makeBatch(test, Array.from({ length: Math.min(16, test.count) }, (_, i) => i));
  const recon = reconstruct(batch);
  const both = tf.concat([batch.x, recon]) as tf.Tensor4D;
  const png = await tensorGridPng(both, { columns: batch.x.shape[0], scale: 2 });
  tf.dispose([recon, both]);
  disposeBatch(batch);
  return { key: 'reconstructions', png, caption: 'top: test images, bottom: reconstructions' };
}

export async function gridImage(key: string, images: tf.Tensor4D, columns: number, caption: string): Promise<LoggedImage> {
  const png = await tensorGridPng(images, { columns, scale: 2 });
  images.dispose();
  return { key, png, caption };
}

/** The Gaussian variants' shared report: metrics, reconstructions and prior samples. */
export async function gaussianReport(model: GaussianVae, test: ImageDataset, context: EvaluationContext, samples: () => Promise<LoggedImage>): Promise<TrialReport> {
  return {
    metrics: await evaluateGaussian(model, test, context),
    // Table rows are not pictures.
    images: test.columns ? [] : [await reconstructionGrid((b) => model.reconstructBatch(b), test), await samples()],
  };
}

/** A Gaussian variant as the common suite sees it (a conditional one explains anomalies by its trained classes). */
export function gaussianSuiteTarget<Model extends GaussianVae>(model: Model, data: TrialData, settings: EvaluationSettings): EvaluationTarget {
  return gaussianTarget(model, { importanceSamples: settings.importanceSamples, trainedClasses: [...new Set(data.train.labels)].sort((a, b) => a - b) });
}

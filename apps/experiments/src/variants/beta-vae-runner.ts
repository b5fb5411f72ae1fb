// Registry entry for β-VAE: Gaussian evaluation plus MIG when the dataset has known factors,
// and a latent traversal picture.
import { type ShapesDataset, tf } from '@vaelab/core';
import { type BetaVae, betaVaeSpec, modelMig } from '@vaelab/beta-vae';
import { evaluateGaussian, gaussianEvalMetrics, gridImage, reconstructionGrid } from './gaussian-runner-parts.js';
import type { VariantRunner } from './runner-types.js';

export const betaVaeRunner: VariantRunner = {
  spec: betaVaeSpec,
  evalMetrics: [...gaussianEvalMetrics, 'test/mig'],
  headlineMetric: 'test/negativeElbo',
  evaluate: async (model, data, seed) => {
    const beta = model as BetaVae;
    const metrics = await evaluateGaussian(beta, data.test, seed);
    if ('factors' in data.test) metrics['test/mig'] = (await modelMig(beta, data.test as ShapesDataset)).mig;
    const first = tf.tidy(() => tf.tensor4d(data.test.images.subarray(0, data.test.images.length / data.test.count), [1, ...data.test.inputShape]));
    const traversal = beta.traversal(first, 8);
    first.dispose();
    return {
      metrics,
      images: [
        await reconstructionGrid((b) => beta.reconstructBatch(b), data.test),
        await gridImage('samples', beta.vae.sample(32, seed), 16, 'decoded draws from the N(0, I) prior'),
        await gridImage('traversal', traversal, 8, 'row d: latent dimension d swept over [-3, 3] around the first test image'),
      ],
    };
  },
};

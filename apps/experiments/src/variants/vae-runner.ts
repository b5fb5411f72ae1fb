// Registry entry for the plain Gaussian VAE (core).
import { type GaussianVae, vaeSpec } from '@vaelab/core';
import { evaluateGaussian, gaussianEvalMetrics, gridImage, reconstructionGrid } from './gaussian-runner-parts.js';
import type { VariantRunner } from './runner-types.js';

export const vaeRunner: VariantRunner = {
  spec: vaeSpec,
  evalMetrics: gaussianEvalMetrics,
  headlineMetric: 'test/negativeElbo',
  evaluate: async (model, data, seed) => {
    const vae = model as GaussianVae;
    return {
      metrics: await evaluateGaussian(vae, data.test, seed),
      images: [
        await reconstructionGrid((b) => vae.reconstructBatch(b), data.test),
        await gridImage('samples', vae.sample(32, seed), 16, 'decoded draws from the N(0, I) prior'),
      ],
    };
  },
};

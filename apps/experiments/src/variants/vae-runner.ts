// Registry entry for the plain Gaussian VAE (core).
import { defaultVaeConfig, type GaussianVae, vaeConfigSchema, vaeSpec } from '@vaelab/core';
import { evaluateGaussian, gaussianEvalMetrics, gridImage, reconstructionGrid } from './gaussian-runner-parts.js';
import type { VariantRunner } from './runner-types.js';

export const vaeRunner: VariantRunner = {
  schema: vaeConfigSchema,
  defaultConfig: defaultVaeConfig,
  create: (config) => vaeSpec.create(config),
  evalMetrics: gaussianEvalMetrics,
  headlineMetric: 'test/negativeElbo',
  evaluate: (model, data, seed) => evaluateGaussian(model as GaussianVae, data.test, seed),
  images: async (model, data, seed) => {
    const vae = model as GaussianVae;
    return [
      await reconstructionGrid((b) => vae.reconstructBatch(b), data.test),
      await gridImage('samples', vae.sample(32, seed), 16, 'decoded draws from the N(0, I) prior'),
    ];
  },
};

// The plain Gaussian VAE (core) as an experiments variant.
import { vaeSpec } from '@vaelab/core';
import { gaussianEvalMetrics, gaussianReport, gaussianSuiteTarget, gridImage } from './gaussian-parts.js';
import { defineVariant } from './runner-types.js';

export const vaeVariant = defineVariant({
  spec: vaeSpec,
  packageName: '@vaelab/core',
  evalMetrics: gaussianEvalMetrics,
  headlineMetric: 'test/negativeElbo',
  target: gaussianSuiteTarget,
  evaluate: (model, data, context) => gaussianReport(model, data.test, context,
    () => gridImage('samples', model.sample(32, { seed: context.seed }), 16, 'decoded draws from the N(0, I) prior')),
});

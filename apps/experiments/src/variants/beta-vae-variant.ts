// β-VAE as an experiments variant: the Gaussian report plus MIG when the dataset has known
// factors, and a latent traversal picture.
import { hasFactors, tf } from '@vaelab/core';
import { betaVaeSpec, modelMig, traversal } from '@vaelab/beta-vae';
import { gaussianEvalMetrics, gaussianReport, gaussianSuiteTarget, gridImage } from './gaussian-parts.js';
import { defineVariant } from './runner-types.js';

export const betaVaeVariant = defineVariant({
  spec: betaVaeSpec,
  packageName: '@vaelab/beta-vae',
  evalMetrics: [...gaussianEvalMetrics, 'test/mig'],
  headlineMetric: 'test/negativeElbo',
  target: gaussianSuiteTarget,
  evaluate: async (model, data, context) => {
    const report = await gaussianReport(model, data.test, context,
      () => gridImage('samples', model.sample(32, { seed: context.seed }), 16, 'decoded draws from the N(0, I) prior'));
    if (hasFactors(data.test)) report.metrics['test/mig'] = (await modelMig(model, data.test)).mig;
    const first = tf.tensor4d(data.test.images.subarray(0, data.test.images.length / data.test.count), [1, ...data.test.inputShape]);
    const rows = await traversal(model, first, 8);
    first.dispose();
    report.images.push(await gridImage('traversal', rows, 8, 'row d: latent dimension d swept over [-3, 3] around the first test image'));
    return report;
  },
});

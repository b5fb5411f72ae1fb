// Registry entry for the CVAE: conditional negative ELBO and a class grid (row = requested label).
import { checkConditionalDataset, type Cvae, cvaeSpec } from '@vaelab/cvae';
import { evaluateGaussian, gaussianEvalMetrics, gridImage, reconstructionGrid } from './gaussian-runner-parts.js';
import type { VariantRunner } from './runner-types.js';

export const cvaeRunner: VariantRunner = {
  spec: cvaeSpec,
  evalMetrics: gaussianEvalMetrics,
  headlineMetric: 'test/negativeElbo',
  evaluate: async (model, data, seed) => {
    const cvae = model as Cvae;
    checkConditionalDataset(data.test, cvae.config.numClasses);
    return {
      metrics: await evaluateGaussian(cvae, data.test, seed),
      images: [
        await reconstructionGrid((b) => cvae.reconstructBatch(b), data.test),
        await gridImage('class-grid', cvae.classGrid(10, seed), 10, 'row k: samples conditioned on label k'),
      ],
    };
  },
};

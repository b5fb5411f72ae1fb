// The CVAE as an experiments variant: the conditional report, a class grid (row = requested
// label), and, when the sweep asks, the share of generated digits core's digit classifier assigns
// to the class they were asked to be.
import { checkConditionalDataset, classGrid, cvaeSpec, generatedSampleAccuracy } from '@vaelab/cvae';
import { sharedDigitClassifier } from '../runner/classifier-cache.js';
import { gaussianEvalMetrics, gaussianReport, gaussianSuiteTarget, gridImage } from './gaussian-parts.js';
import { defineVariant } from './runner-types.js';

export const cvaeVariant = defineVariant({
  spec: cvaeSpec,
  packageName: '@vaelab/cvae',
  evalMetrics: [...gaussianEvalMetrics, 'test/generatedAccuracy'],
  headlineMetric: 'test/negativeElbo',
  target: gaussianSuiteTarget,
  conditionsOnClasses: true,
  evaluate: async (model, data, context) => {
    checkConditionalDataset(data.test, model.config.numClasses);
    const report = await gaussianReport(model, data.test, context,
      async () => gridImage('class-grid', classGrid(model, 10, context.seed), 10, 'row k: samples conditioned on label k'));
    const perClass = context.settings.generatedPerClass;
    if (perClass > 0) {
      const classifier = await sharedDigitClassifier(data.train);
      report.metrics['test/generatedAccuracy'] = (await generatedSampleAccuracy(model, classifier, perClass, context.seed)).overall;
    }
    return report;
  },
});

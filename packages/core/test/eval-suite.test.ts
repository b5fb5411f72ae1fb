// The whole evaluation suite over a real (small) VAE: every group reports its metrics, a run
// leaves no tensors behind, the same seed gives the same numbers, and training moves them the
// way it must (reconstruction error falls).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createVae, EVALUATION_GROUPS, gaussianTarget, parseTrainConfig, runEvaluationSuite, type SuiteReport, trainDigitClassifier, Trainer, useBackend,
} from '@vaelab/core';
import { expectNoLeak, quickSuiteOptions, suiteFixture } from '@vaelab/core/testing';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('evaluation suite on a VAE', () => {
  it('reports every group, leaks nothing, repeats itself, and sees training lower the error', async () => {
    const data = suiteFixture();
    const classifier = await trainDigitClassifier(data.train, { steps: 10 });
    const model = createVae({ architecture: { kind: 'mlp', hiddenUnits: [32] }, latentDim: 4 });
    const target = gaussianTarget(model, { importanceSamples: 4 });
    const options = { ...quickSuiteOptions(EVALUATION_GROUPS), classifier };
    const reports: SuiteReport[] = [];
    await expectNoLeak(async () => void reports.push(await runEvaluationSuite(target, data, options)), 'evaluation suite');
    const [first, again] = reports;
    expect(again.metrics).toEqual(first.metrics);
    for (const key of ['eval/mse', 'eval/bernoulliNll', 'eval/iwNll', 'eval/activeUnits', 'eval/fcd', 'eval/auroc/negativeElbo', 'eval/auroc/pca', 'eval/probe60', 'eval/probe60Pixels']) {
      expect(Number.isFinite(first.metrics[key]), key).toBe(true);
    }
    expect(first.metrics['eval/augment60Gain']).toBeUndefined(); // augmentation is for conditional models
    expect(first.images.map((i) => i.key).sort()).toEqual(['interpolation-linear', 'interpolation-spherical']);

    await new Trainer(model, parseTrainConfig({ epochs: 8, batchSize: 32 })).fit(data.train);
    const trained = await runEvaluationSuite(target, data, { ...options, groups: ['reconstruction'] });
    expect(trained.metrics['eval/mse']).toBeLessThan(first.metrics['eval/mse'] * 0.8);
    model.dispose();
    classifier.dispose();
  }, 300_000);
});

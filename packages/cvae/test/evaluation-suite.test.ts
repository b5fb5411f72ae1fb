// The evaluation suite's conditional groups over a real (small) CVAE: samples are scored for the
// label they were asked for, augmentation is compared with real-only training, anomalies are
// scored by the best class, and a run leaves no tensors behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianTarget, runEvaluationSuite, type SuiteReport, trainDigitClassifier, useBackend } from '@vaelab/core';
import { expectNoLeak, quickSuiteOptions, suiteFixture } from '@vaelab/core/testing';
import { createCvae } from '@vaelab/cvae';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('evaluation suite on a CVAE', () => {
  it('reports the conditional groups and leaks nothing', async () => {
    const data = suiteFixture();
    const classifier = await trainDigitClassifier(data.train, { steps: 10 });
    const model = createCvae({ architecture: { kind: 'mlp', hiddenUnits: [32] }, latentDim: 4 });
    const target = gaussianTarget(model, { trainedClasses: [0, 1, 2, 3, 4, 5, 6, 7, 8] });
    const options = { ...quickSuiteOptions(['samples', 'anomaly', 'augmentation', 'probe']), classifier };
    const reports: SuiteReport[] = [];
    await expectNoLeak(async () => void reports.push(await runEvaluationSuite(target, data, options)), 'evaluation suite');
    const { metrics } = reports[0];
    expect(reports[1].metrics).toEqual(metrics);
    for (const key of ['eval/labelAccuracy', 'eval/fcd', 'eval/augment60Base', 'eval/augment60With', 'eval/augment60Gain', 'eval/auroc/negativeElbo']) {
      expect(Number.isFinite(metrics[key]), key).toBe(true);
    }
    expect(metrics['eval/augment60Gain']).toBeCloseTo(metrics['eval/augment60With'] - metrics['eval/augment60Base'], 10);
    expect(metrics['eval/probe60']).toBeUndefined(); // a conditional encoder's code is not a label-free feature
    model.dispose();
    classifier.dispose();
  }, 300_000);
});

// The evaluation suite over a real (small) VQ-VAE with its prior: every group that applies to a
// discrete code reports, and a run leaves no tensors behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { EVALUATION_GROUPS, runEvaluationSuite, type SuiteReport, trainDigitClassifier, useBackend } from '@vaelab/core';
import { expectNoLeak, quickSuiteOptions, suiteFixture } from '@vaelab/core/testing';
import { createVqVae, UnigramPrior, vqVaeTarget } from '@vaelab/vq-vae';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('evaluation suite on a VQ-VAE', () => {
  it('reports reconstruction, codebook use, anomalies, probes and interpolations, and leaks nothing', async () => {
    const data = suiteFixture();
    const classifier = await trainDigitClassifier(data.train, { steps: 10 });
    const model = createVqVae({ filters: [8, 16], numEmbeddings: 16, embeddingDim: 4 });
    model.attachPrior(new UnigramPrior(new Float64Array(16).fill(1 / 16), model.gridShape), { owned: true });
    const options = { ...quickSuiteOptions(EVALUATION_GROUPS), classifier };
    const reports: SuiteReport[] = [];
    await expectNoLeak(async () => void reports.push(await runEvaluationSuite(vqVaeTarget(model), data, options)), 'evaluation suite');
    const { metrics, images } = reports[0];
    expect(reports[1].metrics).toEqual(metrics);
    for (const key of ['eval/mse', 'eval/perplexity', 'eval/usedFraction', 'eval/fcd', 'eval/auroc/reconstruction', 'eval/auroc/pca', 'eval/probe60', 'eval/probe60Pixels']) {
      expect(Number.isFinite(metrics[key]), key).toBe(true);
    }
    expect(metrics['eval/perplexity']).toBeGreaterThanOrEqual(1);
    expect(metrics['eval/perplexity']).toBeLessThanOrEqual(16);
    expect(metrics['eval/iwNll']).toBeUndefined(); // a VQ-VAE has no bound on log p(x) to report
    expect(images.map((i) => i.key)).toEqual(['interpolation-linear']);
    model.dispose();
    classifier.dispose();
  }, 300_000);
});

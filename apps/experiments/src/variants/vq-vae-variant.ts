// Registry entry for the VQ-VAE: per-pixel MSE against the mean-image baseline, codebook usage
// (with a bar picture), and after training a unigram and an autoregressive prior to sample from.
import { imageGridPng, meanImageMse, parseTrainConfig, tf, Trainer } from '@vaelab/core';
import {
  codesDataset, createAutoregressivePrior, encodeDatasetCodes, evaluateVqVae, UnigramPrior, vqVaeSpec, vqVaeTarget,
} from '@vaelab/vq-vae';
import { gridImage, reconstructionGrid } from './gaussian-parts.js';
import { defineVariant, type LoggedImage, type TrialData } from './runner-types.js';

/** Code usage as bars: column k's height is code k's share relative to the most used code. */
function usagePicture(counts: number[]): LoggedImage {
  const height = 40;
  const max = Math.max(...counts, 1);
  const pixels = new Float32Array(height * counts.length);
  counts.forEach((c, k) => {
    const bar = Math.round((height * c) / max);
    for (let y = height - bar; y < height; y++) pixels[y * counts.length + k] = 1;
  });
  const png = imageGridPng(pixels, [height, counts.length, 1], { columns: 1, scale: counts.length > 256 ? 1 : 4 });
  return { key: 'codebook-usage', png, caption: `test-set usage of each of the ${counts.length} codes (tallest = most used)` };
}

/** The mean-image baseline depends only on the data, which a worker keeps for all its trials. */
const baselines = new WeakMap<TrialData, number>();

export const vqVaeVariant = defineVariant({
  spec: vqVaeSpec,
  packageName: '@vaelab/vq-vae',
  fitsPrior: true,
  needsImages: true,
  evalMetrics: ['test/mse', 'test/meanImageMse', 'test/perplexity', 'test/usedFraction', 'prior/unigramNll', 'prior/autoregressiveNll'],
  headlineMetric: 'test/mse',
  target: (vq) => vqVaeTarget(vq),
  evaluate: async (vq, data) => {
    const report = await evaluateVqVae(vq, data.test);
    if (!baselines.has(data)) baselines.set(data, meanImageMse(data.train, data.test));
    return {
      metrics: {
        'test/mse': report.mse, 'test/meanImageMse': baselines.get(data)!, 'test/perplexity': report.perplexity, 'test/usedFraction': report.usedFraction,
      },
      images: [await reconstructionGrid((b) => vq.reconstructBatch(b), data.test), usagePicture(report.codeCounts)],
    };
  },
  finish: async (vq, data, seed, options) => {
    const priorEpochs = Number(options.epochs ?? 2);
    const trainCodes = await encodeDatasetCodes(vq, data.train);
    const testCodes = await encodeDatasetCodes(vq, data.test);
    const unigram = UnigramPrior.fromCodes(trainCodes, vq.numEmbeddings, vq.gridShape);
    const prior = createAutoregressivePrior({
      gridShape: vq.gridShape, numEmbeddings: vq.numEmbeddings, embeddingDim: Number(options.embeddingDim ?? 16), hiddenUnits: Number(options.hiddenUnits ?? 32), seed,
    });
    const priorTrainer = new Trainer(prior, parseTrainConfig({ epochs: priorEpochs, batchSize: 128, seed }));
    await priorTrainer.fit(codesDataset(trainCodes, vq.gridShape)).finally(() => priorTrainer.dispose());
    const testGrid = tf.tensor3d(testCodes, [data.test.count, ...vq.gridShape], 'int32');
    const arNllTensor = prior.nllPerCode(testGrid);
    const arNll = (await arNllTensor.data())[0];
    tf.dispose([arNllTensor, testGrid]);
    vq.attachPrior(unigram);
    const unigramSamples = await gridImage('samples-unigram', vq.sample(32, { seed }), 16, 'codes drawn independently from their training frequencies');
    vq.attachPrior(prior, { owned: true }); // kept for the evaluation suite's samples; disposed with the model
    const arSamples = await gridImage('samples-autoregressive', vq.sample(32, { seed }), 16, `codes drawn from the autoregressive prior (${priorEpochs} epochs)`);
    const metrics = { 'prior/unigramNll': unigram.nllPerCode(testCodes), 'prior/autoregressiveNll': arNll };
    unigram.dispose();
    return { metrics, images: [unigramSamples, arSamples] };
  },
});

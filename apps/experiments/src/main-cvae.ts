// CVAE on MNIST (784-400-20 with a 10-way condition, Adam 1e-3, batch 128): per-epoch
// conditional test negative ELBO; generated-digit accuracy, scored by a separately trained conv
// classifier, after epoch 10 and at the end; a class grid and a label-swap grid as PNG.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type BackendChoice, classifierAccuracy, describeBackend, disposeBatch, evaluateGaussianModel, loadMnist, loadOrTrainDigitClassifier,
  makeBatch, parseTrainConfig, tensorGridPng, tf, Trainer, useBackend,
} from '@vaelab/core';
import { checkConditionalDataset, createCvae, generatedSampleAccuracy } from '@vaelab/cvae';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string', default: 'out/main-cvae' },
    seed: { type: 'string', default: '0' },
  },
});
console.log(describeBackend(await useBackend(values.backend as BackendChoice)));
const train = loadMnist('train');
const test = loadMnist('test');
const seed = Number(values.seed);
const outDir = resolve(values.out);
mkdirSync(outDir, { recursive: true });
const model = createCvae({ seed });
checkConditionalDataset(train, model.config.numClasses);
const trainConfig = parseTrainConfig({ epochs: Number(values.epochs), seed });
const trainer = new Trainer(model, trainConfig, 'cvae');
const classifier = await loadOrTrainDigitClassifier(join(outDir, 'digit-classifier.vaelab'), () => train);
console.log(`digit classifier test accuracy ${(100 * (await classifierAccuracy(classifier, test))).toFixed(2)}%`);
const reportAccuracy = async (label: string) => {
  const generated = await generatedSampleAccuracy(model, classifier, 100, seed);
  console.log(`${label}: generated digits classified as their requested label: ${(100 * generated.overall).toFixed(1)}% (per class ${generated.perClass.map((a) => (100 * a).toFixed(0)).join(' ')})`);
};
console.log('epoch  train loss  cond. test -ELBO  samples/s');
await trainer.fit(train, {
  checkpoint: join(outDir, 'cvae.vaelab'),
  onEpochEnd: async (s) => {
    const ev = await evaluateGaussianModel(model, test, { seed });
    console.log(`${String(s.epoch + 1).padStart(5)}  ${s.means.loss.toFixed(2).padStart(10)}  ${ev.negativeElbo.toFixed(2).padStart(16)}  ${s.samplesPerSec.toFixed(0).padStart(9)}`);
    if (s.epoch + 1 === 10) await reportAccuracy('after epoch 10');
  },
});
await reportAccuracy(`after epoch ${trainConfig.epochs}`);
const grid = model.classGrid(12, seed + 7);
writeFileSync(join(outDir, 'class-grid.png'), await tensorGridPng(grid, { columns: 12, scale: 2 }));
const originals = makeBatch(test, [0, 1, 2, 3, 4, 5, 6, 7]);
const swaps = tf.tidy(() => tf.concat([originals.x, ...[0, 3, 7].map((target) => model.transfer(originals.x, originals.labels!, tf.fill([8], target, 'int32') as tf.Tensor1D))]));
writeFileSync(join(outDir, 'label-swap.png'), await tensorGridPng(swaps as tf.Tensor4D, { columns: 8, scale: 2 }));
tf.dispose([grid, swaps]);
disposeBatch(originals);
console.log(`wrote ${join(outDir, 'class-grid.png')} (row = digit) and ${join(outDir, 'label-swap.png')} (row 1: test digits; rows 2-4: decoded as 0, 3, 7)`);

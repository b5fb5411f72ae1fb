// The GPU machine's checks in one go (bundled with tfjs by bench/gpu.sh; runs from the repo too):
// 1. every bench model's gradients on each GPU backend that loads against tfjs's stock CPU kernels;
// 2. training throughput per model on each GPU backend, beside WASM;
// 3. a 2-epoch MLP VAE trained on the GPU and on WASM: test −ELBO must agree within 0.5 nats.
// `node gpu-check.mjs [--tiny] [--mnist DIR] [--out FILE] [--torch FILE]` (--torch: reference.py's
// rows for the same GPU, for the ratio). --tiny: a budget SwiftShader can run
// (with VAELAB_WEBGPU_ALLOW_FALLBACK=1), to know the script works before a GPU machine runs it.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createVae, evaluateGaussianModel, loadMnist, makeBatch, parseTrainConfig, takeExamples, Trainer, useBackend,
} from '../packages/core/dist/index.js';
import { backendVsStockCpuGradientErrors } from '../packages/core/dist/testing/index.js';
import { benchTraining, formatRow, MODELS } from './training.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const tiny = args.includes('--tiny');
const mnistDir = option('--mnist', null);
if (mnistDir) process.env.VAELAB_MNIST_DIR = mnistDir;
const outFile = option('--out', null);
const torchFile = option('--torch', null);
const results = { tiny, backends: [], gradients: [], throughput: [], elbo: null, failures: [] };

const mnist = (split) => loadMnist(split);

const GPU_BACKENDS = ['tensorflow-gpu', 'webgpu'];
const gpus = [];
for (const backend of GPU_BACKENDS) {
  try {
    const report = await useBackend(backend);
    gpus.push(backend);
    results.backends.push({ backend, device: report.device ?? null });
    console.log(`${backend}: loads${report.device ? ` on ${report.device}` : ''}`);
  } catch (error) {
    results.backends.push({ backend, error: error.message });
    console.log(`${backend}: does not load (${error.message.split('. To use it')[0]})`);
  }
}
if (gpus.length === 0) results.failures.push('no GPU backend loads');

console.log('\n## gradients against stock cpu kernels (relative L2 error, worst variable)');
const data = takeExamples(mnist('train'), 128 * 8);
const gradBatch = tiny ? 4 : 32;
for (const backend of gpus) {
  for (const m of MODELS) {
    const model = m.create();
    const errors = await backendVsStockCpuGradientErrors(backend, model, () => makeBatch(data, Array.from({ length: gradBatch }, (_, i) => i)), { step: 0, noiseSeed: 7, training: true });
    const [worstName, worst] = [...errors].reduce((a, b) => (b[1] > a[1] ? b : a));
    const ok = errors.size === model.trainableVariables.length && worst < 1e-4;
    if (!ok) results.failures.push(`${backend} ${m.name}: gradient error ${worst.toExponential(2)} at ${worstName}`);
    results.gradients.push({ backend, model: m.name, variables: errors.size, worst, worstName, ok });
    console.log(`${m.name.padEnd(22)} ${backend.padEnd(14)} ${worst.toExponential(2)} (${worstName}) ${ok ? 'ok' : 'FAIL'}`);
    model.dispose();
  }
}

console.log('\n## training throughput, batch 128 (samples/s)');
const budget = tiny ? { steps: 1, repeats: 1, warmup: 1, skip: ['VQ-VAE 512x64'] } : {};
for (const backend of [...gpus, 'wasm']) {
  for (const row of await benchTraining(backend, backend === 'wasm' ? { ...budget, threads: 1 } : budget)) {
    results.throughput.push(row);
    console.log(formatRow(row));
  }
}

if (torchFile) {
  const torch = readFileSync(torchFile, 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  results.pytorch = torch;
  console.log(`\n## ours on the GPU vs PyTorch on ${torch[0]?.device ?? 'cuda'} (samples/s; the goal is ≥ 0.5×)`);
  console.log('| model | backend | ours | PyTorch | ratio |\n|---|---|---:|---:|---:|');
  for (const row of results.throughput.filter((r) => gpus.includes(r.backend))) {
    const ref = torch.find((t) => t.model === row.model);
    const cells = [row.model, row.backend, row.samplesPerSec.toFixed(0), ref ? ref.samplesPerSec.toFixed(0) : '–', ref ? (row.samplesPerSec / ref.samplesPerSec).toFixed(2) : '–'];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

console.log(`\n## MLP VAE, 2 epochs${tiny ? ' on 512 training images' : ''}: test negative ELBO on each backend`);
const train = tiny ? takeExamples(mnist('train'), 512) : mnist('train');
const test = tiny ? takeExamples(mnist('test'), 256) : mnist('test');
const elbo = {};
for (const backend of [...gpus, 'wasm']) {
  await useBackend(backend, { wasmThreads: 1 });
  const model = createVae({ seed: 5 });
  const trainer = new Trainer(model, parseTrainConfig({ epochs: 2, batchSize: 128, seed: 5 }));
  const started = performance.now();
  await trainer.fit(train);
  const seconds = (performance.now() - started) / 1000;
  elbo[backend] = { negativeElbo: (await evaluateGaussianModel(model, test, { seed: 5 })).negativeElbo, seconds };
  console.log(`${backend.padEnd(14)} −ELBO ${elbo[backend].negativeElbo.toFixed(2)} nats (trained in ${seconds.toFixed(1)} s)`);
  trainer.dispose();
  model.dispose();
}
for (const backend of gpus) {
  const gap = Math.abs(elbo[backend].negativeElbo - elbo.wasm.negativeElbo);
  if (!(gap <= 0.5)) results.failures.push(`${backend}: −ELBO differs from wasm by ${gap.toFixed(3)} nats (limit 0.5)`);
  console.log(`${backend} vs wasm: ${gap.toFixed(3)} nats apart ${gap <= 0.5 ? 'ok' : 'FAIL'}`);
}
results.elbo = elbo;

if (outFile) writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(results.failures.length === 0 ? '\nall GPU checks passed' : `\nFAILED:\n${results.failures.map((f) => `- ${f}`).join('\n')}`);
process.exit(results.failures.length === 0 ? 0 : 1);

// Training throughput: samples/s, ms/step and GFLOP/s (3 × forward FLOPs per sample, counted
// from the architecture) for each model at batch 128 on MNIST, median of 3 timed windows.
import { createVae, loadMnist, makeBatch, disposeBatch, parseTrainConfig, takeExamples, Trainer, useBackend } from '../packages/core/dist/index.js';
import { createCvae } from '../packages/cvae/dist/index.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function denseFlops(sizes) {
  return sizes.slice(1).reduce((f, out, i) => f + 2 * sizes[i] * out, 0);
}

/** Forward FLOPs per example of a conv VAE with stride-2 k×k layers on 28×28×1. */
function convVaeFlops({ filters, kernelSize: k }, latentDim) {
  let h = 28;
  let c = 1;
  let flops = 0;
  for (const f of filters) {
    h /= 2;
    flops += 2 * h * h * k * k * c * f;
    c = f;
  }
  const flat = h * h * c;
  flops += 2 * 2 * flat * 2 * latentDim; // encoder head, decoder input layer (approx.)
  return 2 * flops; // the decoder mirrors the encoder
}

export const MODELS = [
  { name: 'MLP VAE 784-400-20', create: () => createVae({}), flops: denseFlops([784, 400, 40]) + denseFlops([20, 400, 784]) },
  { name: 'CVAE 784-400-20', create: () => createCvae({}), flops: denseFlops([794, 400, 40]) + denseFlops([30, 400, 784]) },
  {
    name: 'conv VAE 32-64 z=16',
    create: () => createVae({ latentDim: 16, architecture: { kind: 'conv', filters: [32, 64], kernelSize: 4, denseUnits: 0 } }),
    flops: convVaeFlops({ filters: [32, 64], kernelSize: 4 }, 16),
  },
];

export async function benchTraining(backend, { steps = 20, repeats = 3 } = {}) {
  await useBackend(backend);
  const data = takeExamples(loadMnist('train'), 128 * 8);
  const rows = [];
  for (const m of MODELS) {
    const model = m.create();
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 128 }), 'bench');
    const batches = Array.from({ length: 8 }, (_, b) => makeBatch(data, Array.from({ length: 128 }, (_, i) => b * 128 + i)));
    const run = async (n, offset) => {
      const pending = [];
      for (let s = 0; s < n; s++) pending.push(trainer.trainStep(batches[(offset + s) % 8], offset + s));
      await pending[pending.length - 1].data();
      pending.forEach((t) => t.dispose());
    };
    await run(3, 0);
    const times = [];
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      await run(steps, 3 + r * steps);
      times.push((performance.now() - t) / steps);
    }
    const ms = median(times);
    rows.push({ model: m.name, backend, msPerStep: ms, samplesPerSec: (128 * 1000) / ms, gflops: (3 * m.flops * 128) / (ms * 1e6) });
    batches.forEach(disposeBatch);
    model.dispose();
  }
  return rows;
}

if (process.argv[1]?.endsWith('training.mjs')) {
  for (const r of await benchTraining(process.argv[2] ?? 'wasm')) {
    console.log(`${r.model.padEnd(22)} ${r.backend.padEnd(5)} ${r.samplesPerSec.toFixed(0).padStart(7)} samples/s ${r.msPerStep.toFixed(1).padStart(7)} ms/step ${r.gflops.toFixed(1).padStart(6)} GFLOP/s`);
  }
}

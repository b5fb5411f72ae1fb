// Training throughput: samples/s, ms/step and GFLOP/s (3 × forward FLOPs per sample, counted
// from the architecture) for each model at batch 128 on MNIST, median of 3 timed windows.
// The same models, data and timing as bench/reference.py (PyTorch).
import { createVae, loadMnist, makeBatch, disposeBatch, parseTrainConfig, takeExamples, Trainer, useBackend } from '../packages/core/dist/index.js';
import { createCvae } from '../packages/cvae/dist/index.js';
import { createVqVae } from '../packages/vq-vae/dist/index.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function denseFlops(sizes) {
  return sizes.slice(1).reduce((f, out, i) => f + 2 * sizes[i] * out, 0);
}

/** Multiply-adds ×2 of a k×k conv producing (or, transposed, consuming) an h×w grid. */
const conv = (h, k, cin, cout) => 2 * h * h * k * k * cin * cout;

/** Forward FLOPs per example: conv 32-64 k4 s2 on 28×28 (14×14, 7×7 grids), mirrored by the decoder. */
const CONV_TRUNK = 2 * (conv(14, 4, 1, 32) + conv(7, 4, 32, 64));

const vqFlops = (k, d) => CONV_TRUNK + conv(7, 1, 64, d) + 2 * 49 * k * d + conv(7, 3, d, 64);

export const MODELS = [
  { name: 'MLP VAE 784-400-20', create: () => createVae({}), flops: denseFlops([784, 400, 40]) + denseFlops([20, 400, 784]) },
  { name: 'CVAE 784-400-20', create: () => createCvae({}), flops: denseFlops([794, 400, 40]) + denseFlops([30, 400, 784]) },
  {
    name: 'conv VAE 32-64 z=16',
    create: () => createVae({ latentDim: 16, architecture: { kind: 'conv', filters: [32, 64], kernelSize: 4, denseUnits: 0 } }),
    flops: CONV_TRUNK + denseFlops([3136, 32]) + denseFlops([16, 3136]),
  },
  { name: 'VQ-VAE 64x16', create: () => createVqVae({ numEmbeddings: 64, embeddingDim: 16 }), flops: vqFlops(64, 16) },
  { name: 'VQ-VAE 512x64', create: () => createVqVae({ numEmbeddings: 512, embeddingDim: 64 }), flops: vqFlops(512, 64) },
];

export async function benchTraining(backend, { steps = 20, repeats = 3, warmup = 3, threads, skip = [] } = {}) {
  const report = await useBackend(backend, { wasmThreads: threads });
  const data = takeExamples(loadMnist('train'), 128 * 8);
  const rows = [];
  for (const m of MODELS.filter((x) => !skip.includes(x.name))) {
    const model = m.create();
    const trainer = new Trainer(model, parseTrainConfig({ batchSize: 128 }));
    const batches = Array.from({ length: 8 }, (_, b) => makeBatch(data, Array.from({ length: 128 }, (_, i) => b * 128 + i)));
    const run = async (n, offset) => {
      const pending = [];
      for (let s = 0; s < n; s++) pending.push(trainer.trainStep(batches[(offset + s) % 8], offset + s));
      await pending[pending.length - 1].data();
      pending.forEach((t) => t.dispose());
    };
    await run(warmup, 0);
    const times = [];
    for (let r = 0; r < repeats; r++) {
      const t = performance.now();
      await run(steps, warmup + r * steps);
      times.push((performance.now() - t) / steps);
    }
    const ms = median(times);
    rows.push({ model: m.name, backend, threads: report.threads, ...(report.device ? { device: report.device } : {}), msPerStep: ms, samplesPerSec: (128 * 1000) / ms, gflops: (3 * m.flops * 128) / (ms * 1e6) });
    batches.forEach(disposeBatch);
    model.dispose();
  }
  return rows;
}

/**
 * Every backend that loads here (tfjs-node ones only where installed; webgpu on a real GPU
 * adapter, or on SwiftShader with VAELAB_WEBGPU_ALLOW_FALLBACK=1).
 */
export async function availableBackends() {
  const found = [];
  for (const backend of ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']) {
    try {
      await useBackend(backend, { wasmThreads: 1 });
      found.push(backend);
    } catch (error) {
      found.skipped = [...(found.skipped ?? []), `${backend}: ${error.message.split('. To use it')[0]}`];
    }
  }
  return found;
}

/** The plain CPU backend is 20-100× slower than WASM (VQ-VAE 512x64: ~47 s a step): fewer steps, one model fewer. */
export const CPU_BUDGET = { steps: 2, repeats: 1, warmup: 1, skip: ['VQ-VAE 512x64'] };

export function formatRow(r) {
  const where = r.backend === 'wasm' ? `wasm×${r.threads}` : r.backend;
  const device = r.device ? `  on ${r.device}` : '';
  return `${r.model.padEnd(22)} ${where.padEnd(14)} ${r.samplesPerSec.toFixed(0).padStart(7)} samples/s ${r.msPerStep.toFixed(1).padStart(8)} ms/step ${r.gflops.toFixed(1).padStart(6)} GFLOP/s${device}`;
}

// `node bench/training.mjs <backend> [threads] [--json]`: one backend per process, since the
// WASM thread count is fixed once its backend starts.
if (process.argv[1]?.endsWith('training.mjs')) {
  const [backend = 'wasm', threads] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  // SwiftShader (a CPU posing as a GPU) runs WebGPU as slowly as the plain CPU backend.
  const slow = backend === 'cpu' || (backend === 'webgpu' && process.env.VAELAB_WEBGPU_ALLOW_FALLBACK === '1');
  const budget = slow ? CPU_BUDGET : {};
  const rows = await benchTraining(backend, { ...budget, threads: threads ? Number(threads) : undefined });
  for (const r of rows) console.log(process.argv.includes('--json') ? JSON.stringify(r) : formatRow(r));
}

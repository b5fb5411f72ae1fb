// Where a training step's time goes, kernel by kernel (tfjs's profiler), on WASM with one thread:
// `node bench/profile-step.mjs [model index…]`. For matmuls and convolutions it counts FLOPs from
// the kernel's shapes and prints GFLOP/s beside the WASM SIMD sgemm ceiling measured here, and
// the step time those would allow at the ceiling (against 0.5× PyTorch when pnpm bench passes it).
import { makeBatch, parseTrainConfig, takeExamples, tf, Trainer, useBackend, loadMnist } from '../packages/core/dist/index.js';
import { stockKernel } from '../packages/core/dist/testing/index.js';
import { MODELS } from './training.mjs';

const STEPS = 5;
/** `--shapes`: matmuls and convolutions by their input shapes, not only by kernel. */
const SHAPES = process.argv.includes('--shapes');
const size = (shape) => shape.reduce((a, b) => a * b, 1);

/** FLOPs of one kernel call from its shapes (null when it is not a matmul or convolution). */
function flopsOf(k) {
  const [a, b] = k.inputShapes;
  const out = k.outputShapes[0];
  if (!a || !out) return null;
  // a is [.., m, k] or [.., k, m] and out [.., m, n]: 2·m·k·n = 2·size(a)·n either way.
  if (/MatMul/.test(k.name)) return 2 * size(a) * out[out.length - 1];
  if (k.name === 'Conv2D' || k.name === 'FusedConv2D') return 2 * size(out) * b[0] * b[1] * b[2];
  if (k.name === 'Conv2DBackpropInput') return 2 * size(a) * b[0] * b[1] * b[2]; // dy [B,H,W,Cout]·filter → dx
  if (k.name === 'Conv2DBackpropFilter') return 2 * size(b) * out[0] * out[1] * out[2]; // x, dy → dW [kh,kw,Cin,Cout]
  return null;
}

export async function profileStep(index) {
  await useBackend('wasm', { wasmThreads: 1 });
  const m = MODELS[index];
  const model = m.create();
  const trainer = new Trainer(model, parseTrainConfig({ batchSize: 128 }));
  const data = takeExamples(loadMnist('train'), 128 * 4);
  const batches = Array.from({ length: 4 }, (_, b) => makeBatch(data, Array.from({ length: 128 }, (_, i) => b * 128 + i)));
  for (let s = 0; s < 3; s++) (await trainer.trainStep(batches[s % 4], s)).dispose();
  const byKernel = new Map();
  let wall = 0;
  for (let s = 3; s < 3 + STEPS; s++) {
    const started = performance.now();
    const info = await tf.profile(() => trainer.trainStep(batches[s % 4], s));
    wall += performance.now() - started;
    // Op scopes (fusedMatMul__op, a customGrad's "unnamed scope") hold kernels listed on their own: skip them, or time counts twice.
    for (const k of info.kernels.filter((x) => !x.name.endsWith('__op') && x.name !== 'unnamed scope')) {
      const key = SHAPES && /MatMul|Conv/.test(k.name) ? `${k.name} ${k.inputShapes.map((s) => s?.join('×') ?? '?').join(' · ')}` : k.name;
      const row = byKernel.get(key) ?? { ms: 0, calls: 0, flops: 0 };
      row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      row.calls += 1;
      row.flops += flopsOf(k) ?? 0;
      byKernel.set(key, row);
    }
    info.result.dispose();
  }
  const rows = [...byKernel].map(([name, r]) => ({ name, msPerStep: r.ms / STEPS, calls: r.calls / STEPS, gflops: r.flops ? r.flops / (r.ms * 1e6) : null }))
    .sort((a, b) => b.msPerStep - a.msPerStep);
  const kernelMs = rows.reduce((t, r) => t + r.msPerStep, 0);
  batches.forEach((b) => { b.x.dispose(); b.labels?.dispose(); });
  trainer.dispose();
  model.dispose();
  return { model: m.name, wallMsPerStep: wall / STEPS, kernelMsPerStep: kernelMs, rows };
}

/** Median GFLOP/s of a 512³ product on one thread with the same operands every call (5 × 10 calls). */
function sgemmRate(product) {
  const [a, b] = [tf.randomNormal([512, 512]), tf.randomNormal([512, 512])];
  const times = [];
  for (let r = 0; r < 6; r++) {
    const started = performance.now();
    for (let i = 0; i < 10; i++) tf.dispose(product(a, b));
    product(a, b).dataSync();
    if (r > 0) times.push((performance.now() - started) / 11);
  }
  tf.dispose([a, b]);
  const ms = [...times].sort((x, y) => x - y)[2];
  return (2 * 512 ** 3) / (ms * 1e6);
}

/**
 * The best case for this process: the faster of tfjs-wasm's own XNNPACK matmul (operands reused,
 * so nothing is repacked) and core's heap product (which packs nothing anyway), 512³, one thread.
 */
export async function sgemmCeiling() {
  await useBackend('wasm', { wasmThreads: 1 });
  const stock = stockKernel('BatchMatMul', 'wasm');
  const attrs = { transposeA: false, transposeB: false };
  const xnnpack = sgemmRate((a, b) => tf.tidy(() => tf.engine().makeTensorFromTensorInfo(stock({ inputs: { a: tf.reshape(a, [1, 512, 512]), b: tf.reshape(b, [1, 512, 512]) }, backend: tf.backend(), attrs }))));
  const ours = sgemmRate((a, b) => tf.matMul(a, b));
  return { xnnpack, ours, best: Math.max(xnnpack, ours) };
}

/**
 * How fast this step could be: every matmul and convolution at the sgemm ceiling, the other
 * kernels and the time outside kernels (tape, dispatch) as measured, or free.
 */
export function stepBound(p, ceiling) {
  const flopRows = p.rows.filter((r) => r.gflops != null);
  const flops = flopRows.reduce((t, r) => t + r.gflops * r.msPerStep * 1e6, 0);
  const flopMs = flopRows.reduce((t, r) => t + r.msPerStep, 0);
  const atCeiling = flops / (ceiling * 1e6);
  const rest = p.wallMsPerStep - flopMs;
  return { gflop: flops / 1e9, flopMs, rate: flops / (flopMs * 1e6), atCeiling, rest, best: atCeiling + rest };
}

export function printProfile(p, ceiling, torchMsPerStep) {
  console.log(`\n### ${p.model}: ${p.wallMsPerStep.toFixed(1)} ms/step profiled (kernels ${p.kernelMsPerStep.toFixed(1)} ms)`);
  console.log('| kernel | ms/step | share | calls/step | GFLOP/s |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of p.rows.filter((x) => x.msPerStep >= 0.01 * p.kernelMsPerStep)) {
    console.log(`| ${r.name} | ${r.msPerStep.toFixed(2)} | ${((100 * r.msPerStep) / p.kernelMsPerStep).toFixed(1)}% | ${r.calls.toFixed(0)} | ${r.gflops == null ? '' : r.gflops.toFixed(1)} |`);
  }
  const b = stepBound(p, ceiling);
  console.log(`Matmuls and convolutions: ${b.gflop.toFixed(2)} GFLOP in ${b.flopMs.toFixed(1)} ms (${b.rate.toFixed(1)} GFLOP/s); at the ${ceiling.toFixed(1)} GFLOP/s ceiling ${b.atCeiling.toFixed(1)} ms. Everything else (other kernels, tape, dispatch): ${b.rest.toFixed(1)} ms.`);
  console.log(`Best case, those at the ceiling and the rest as measured: ${b.best.toFixed(1)} ms/step; with the rest free too: ${b.atCeiling.toFixed(1)} ms/step.`);
  if (torchMsPerStep) {
    const target = 2 * torchMsPerStep;
    const share = (rate) => `${((100 * rate) / ceiling).toFixed(0)}% of the ceiling`;
    const now = share(b.rate);
    const verdict = b.atCeiling > target ? 'out of reach on this WASM build: the matmuls and convolutions alone take longer at the ceiling'
      : b.best > target ? `needs the matmuls and convolutions at the ceiling (they run at ${now}) and the rest cut by ${(b.best - target).toFixed(1)} ms`
        : `needs the matmuls and convolutions at ${share((b.gflop / (target - b.rest)) * 1e3)} with the rest as measured (they run at ${now})`;
    console.log(`0.5× PyTorch (${torchMsPerStep.toFixed(1)} ms/step, 1 thread) needs ≤ ${target.toFixed(1)} ms/step: ${verdict}.`);
  }
}

if (process.argv[1]?.endsWith('profile-step.mjs')) {
  const indices = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
  const rates = await sgemmCeiling();
  const ceiling = rates.best;
  // PyTorch's 1-thread ms/step by model name, when pnpm bench has measured it (VAELAB_TORCH_STEP_MS).
  const torch = JSON.parse(process.env.VAELAB_TORCH_STEP_MS ?? '{}');
  console.log(`WASM SIMD sgemm ceiling here (512³, one thread, the faster of the two): ${ceiling.toFixed(1)} GFLOP/s (XNNPACK with operands reused ${rates.xnnpack.toFixed(1)}, core's heap product ${rates.ours.toFixed(1)})`);
  for (const index of indices.length ? indices : MODELS.map((_, i) => i)) {
    const p = await profileStep(index);
    printProfile(p, ceiling, torch[p.model]);
  }
}

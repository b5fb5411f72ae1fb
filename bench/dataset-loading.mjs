// Dataset loading benchmark: a folder of 50k 28×28 grey PNGs (MNIST training digits, written
// once per run) decoded by loadImageFolder in a fresh process, 3 times: median load time and peak
// RSS beside the decoded size (the goal: RSS growth under 2× the Float32Array it fills).
// `node bench/dataset-loading.mjs --load <dir>` is the measured child.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COUNT = 50_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function loadChild(dir) {
  const { loadImageFolder } = await import('../packages/core/dist/index.js');
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const data = loadImageFolder(dir);
  const seconds = (performance.now() - started) / 1000;
  // VmHWM: this process's peak RSS since exec (getrusage's maxRSS would carry the parent's peak
  // across fork and exec); `before` is what the imports took.
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
  console.log(JSON.stringify({ seconds, count: data.count, decodedBytes: data.images.byteLength, baseRss: before, peakRss: hwm }));
}

async function writeFolder(dir, mnist) {
  const { pngBytes } = await import('../packages/core/dist/testing/index.js');
  for (let i = 0; i < COUNT; i++) {
    const folder = join(dir, String(mnist.labels[i]));
    mkdirSync(folder, { recursive: true });
    const pixel = (x, y) => Array(3).fill(Math.round(mnist.images[i * 784 + y * 28 + x] * 255));
    writeFileSync(join(folder, `${i}.png`), pngBytes(28, 28, pixel));
  }
}

export async function benchDatasetLoading(repeats = 3) {
  const { loadMnist } = await import('../packages/core/dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'vaelab-bench-images-'));
  try {
    await writeFolder(dir, loadMnist('train'));
    const runs = [];
    for (let r = 0; r < repeats; r++) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--load', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (child.status !== 0) throw new Error(`dataset loading bench failed (exit ${child.status})`);
      runs.push(JSON.parse(child.stdout.trim().split('\n').pop()));
    }
    const { count, decodedBytes } = runs[0];
    const growth = median(runs.map((r) => r.peakRss - r.baseRss));
    return { count, decodedMiB: decodedBytes / 2 ** 20, seconds: median(runs.map((r) => r.seconds)), growthMiB: growth / 2 ** 20, ratio: growth / decodedBytes, repeats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printDatasetLoading(r) {
  console.log(`| images | decoded | load time (median of ${r.repeats}) | peak RSS growth | growth / decoded |`);
  console.log('|---:|---:|---:|---:|---:|');
  console.log(`| ${r.count.toLocaleString('en')} PNG 28×28 grey | ${r.decodedMiB.toFixed(0)} MiB | ${r.seconds.toFixed(1)} s | ${r.growthMiB.toFixed(0)} MiB | ${r.ratio.toFixed(2)}× |`);
}

if (process.argv[2] === '--load') await loadChild(process.argv[3]);
else if (process.argv[1] === fileURLToPath(import.meta.url)) printDatasetLoading(await benchDatasetLoading());

// Runs bench/reference.py when a PyTorch is importable (Debian: apt install python3-torch
// libopenblas0-openmp); a comparison aid only, never a product dependency.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultMnistDir } from '../packages/core/dist/index.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'reference.py');

function python() {
  for (const candidate of [process.env.VAELAB_BENCH_PYTHON, '/usr/bin/python3', 'python3']) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { command: candidate, version: probe.stdout.trim() };
  }
  return null;
}

/** PyTorch rows per thread count, or the reason there are none. */
export function pytorchReference(threadCounts) {
  const py = python();
  if (py == null) return { rows: [], reason: 'no python3 with torch (apt install python3-torch libopenblas0-openmp)' };
  console.log(`\nPyTorch ${py.version} (${py.command}), same models:`);
  const rows = [];
  for (const threads of threadCounts) {
    const run = spawnSync(py.command, [script, defaultMnistDir(), String(threads)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    });
    if (run.status !== 0) return { rows, reason: `reference.py failed: ${run.stderr.trim().split('\n').pop()}` };
    for (const line of run.stdout.trim().split('\n')) {
      const row = JSON.parse(line);
      rows.push(row);
      console.log(`${row.model.padEnd(22)} torch${String(threads).padEnd(2)} ${row.samplesPerSec.toFixed(0).padStart(7)} samples/s ${row.msPerStep.toFixed(1).padStart(7)} ms/step`);
    }
  }
  return { rows, reason: '' };
}

/** One whole-epoch row per model (each in its own process, for its own peak RSS), or the reason there are none. */
export function pytorchEpochs(models, threads) {
  const py = python();
  if (py == null) return { rows: [], reason: 'no python3 with torch (apt install python3-torch libopenblas0-openmp)' };
  const rows = [];
  for (const model of models) {
    const run = spawnSync(py.command, [script, defaultMnistDir(), String(threads), model, '--epoch'], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: String(threads) },
    });
    if (run.status !== 0) return { rows, reason: `reference.py --epoch failed: ${run.stderr.trim().split('\n').pop()}` };
    rows.push(JSON.parse(run.stdout.trim().split('\n').pop()));
  }
  return { rows, reason: '' };
}

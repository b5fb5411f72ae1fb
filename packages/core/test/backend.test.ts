import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeBackend, tf, type TfjsNodePackage, tfjsNodeProblem, useBackend } from '@vaelab/core';

const loads = (name: TfjsNodePackage) => tfjsNodeProblem(name) === null;

describe('backend selection', () => {
  it('auto picks the first backend that loads and says why the others were skipped', async () => {
    const report = await useBackend('auto');
    expect(tf.getBackend()).toBe(report.engineName);
    if (!loads('@tensorflow/tfjs-node-gpu') && !loads('@tensorflow/tfjs-node')) {
      expect(report.backend).toBe('wasm');
      expect(report.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
      expect(describeBackend(report)).toMatch(/^backend: wasm \(\d+ threads?\) — skipped tensorflow-gpu \(.+\), tensorflow \(.+\)$/);
      // No VAELAB_WASM_THREADS in tests: WASM takes every core.
      expect(report.threads).toBe(process.env.VAELAB_WASM_THREADS ? Number(process.env.VAELAB_WASM_THREADS) : availableParallelism());
    }
  });

  it('a named backend that cannot load is an error saying what to install', async () => {
    if (loads('@tensorflow/tfjs-node')) return;
    await expect(useBackend('tensorflow')).rejects.toThrow(/^backend "tensorflow" cannot load: .+ To use it, install @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown backend name', async () => {
    await expect(useBackend('webgpu' as never)).rejects.toThrow('unknown backend "webgpu": expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu');
  });

  it('cpu and wasm can be chosen by name', async () => {
    expect((await useBackend('cpu')).backend).toBe('cpu');
    expect((await useBackend('wasm')).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});

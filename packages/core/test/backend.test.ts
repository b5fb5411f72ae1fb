import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeBackend, tf, type TfjsNodePackage, tfjsNodeProblem, useBackend, vulkanProblem } from '@vaelab/core';

const loads = (name: TfjsNodePackage) => tfjsNodeProblem(name) === null;

describe('backend selection', () => {
  it('auto picks the first backend that loads and says why the others were skipped', async () => {
    const report = await useBackend('auto');
    expect(tf.getBackend()).toBe(report.engineName);
    // Here (and in CI) no real GPU: webgpu is skipped too, for want of a driver or of a real adapter.
    if (!loads('@tensorflow/tfjs-node-gpu') && !loads('@tensorflow/tfjs-node') && report.backend !== 'webgpu') {
      expect(report.backend).toBe('wasm');
      expect(report.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow']);
      expect(report.skipped[1].reason).toMatch(/^(no Vulkan (loader|driver)|only a fallback adapter is available|the webgpu package is not installed)/);
      expect(describeBackend(report)).toMatch(/^backend: wasm \(\d+ threads?\) — skipped tensorflow-gpu \(.+\), webgpu \(.+\), tensorflow \(.+\)$/);
      // No VAELAB_WASM_THREADS in tests: WASM takes every core.
      expect(report.threads).toBe(process.env.VAELAB_WASM_THREADS ? Number(process.env.VAELAB_WASM_THREADS) : availableParallelism());
    }
  });

  it('a named backend that cannot load is an error saying what to install', async () => {
    if (loads('@tensorflow/tfjs-node')) return;
    await expect(useBackend('tensorflow')).rejects.toThrow(/^backend "tensorflow" cannot load: .+ To use it, install @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown backend name', async () => {
    await expect(useBackend('metal' as never)).rejects.toThrow('unknown backend "metal": expected one of auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu');
  });

  it('webgpu says which part of Vulkan is missing before it loads Dawn', () => {
    const icd = '/nonexistent/vk_icd.json';
    const loader = vulkanProblem({ LD_LIBRARY_PATH: '' });
    if (loader?.startsWith('no Vulkan loader')) expect(loader).toContain('apt-get install libvulkan1');
    else expect(vulkanProblem({ VK_ICD_FILENAMES: icd })).toBe(`no Vulkan driver (no ICD file in ${icd})`);
  });

  it('cpu and wasm can be chosen by name', async () => {
    expect((await useBackend('cpu')).backend).toBe('cpu');
    expect((await useBackend('wasm')).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});

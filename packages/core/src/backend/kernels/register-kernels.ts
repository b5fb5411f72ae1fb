// Installs VAE Lab's kernels on the wasm and cpu backends: the gradient kernels WASM lacks,
// faster compositions of stock ones (matmuls in the operand order that packs least), an Identity
// that shares instead of copying, a OneHot that honours its dtype, fused kernels for the
// Bernoulli NLL and the gradient norm, and SIMD loops on the WASM heap for those, Adam, the ReLU
// gradient, bias-gradient sums, transposes, and matmuls, convolutions and their gradients over
// gathered rows; on WebGPU, an AddN within the device's limits.
// Stock kernels stay reachable for reference checks.
import { getKernel, type KernelConfig, type KernelFunc, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { adamUpdateConfig } from './adam-update.js';
import { chunkedAddNConfig } from './add-n-chunked.js';
import { bernoulliNllConfigs, registerBernoulliNllGradients } from './bernoulli-nll.js';
import { fastBatchMatMulConfig } from './batch-matmul.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { gatheredConv2dConfig } from './conv2d.js';
import { fusedMatMulConfig } from './fused-matmul.js';
import { gatherConfig } from './gather.js';
import { sharedIdentityConfig } from './identity.js';
import { oneHotConfig } from './one-hot.js';
import { registerReluGradient, reluGradConfig } from './relu-grad.js';
import { registerSquaredNormGradient, squaredNormConfig } from './squared-norm.js';
import { sumLeadingAxesConfig } from './sum-leading.js';
import { transposeConfig } from './transpose.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

const stock = new Map<string, KernelFunc | null>();
const installedOn = new Set<string>();

function install(config: KernelConfig): void {
  const key = `${config.backendName}/${config.kernelName}`;
  const existing = getKernel(config.kernelName, config.backendName);
  if (!stock.has(key)) stock.set(key, existing?.kernelFunc ?? null);
  if (existing != null) unregisterKernel(config.kernelName, config.backendName);
  // Keep the stock setupFunc so a later backend re-initialisation still prepares the WASM call.
  registerKernel({ ...config, setupFunc: existing?.setupFunc });
}

/** The kernel as tfjs shipped it (null where the backend had none), for reference checks. */
export function stockKernel(kernelName: string, backendName: string): KernelFunc | null {
  const key = `${backendName}/${kernelName}`;
  if (stock.has(key)) return stock.get(key) ?? null;
  return getKernel(kernelName, backendName)?.kernelFunc ?? null;
}

export function registerVaeLabKernels(backendName: 'wasm' | 'cpu' | 'webgpu'): void {
  if (installedOn.has(backendName)) return;
  installedOn.add(backendName);
  if (backendName === 'webgpu') {
    install(chunkedAddNConfig(getKernel('AddN', backendName)!.kernelFunc));
    return;
  }
  const matmul = getKernel('BatchMatMul', backendName);
  if (matmul == null) throw new Error(`backend ${backendName} has no BatchMatMul kernel`);
  if (backendName === 'wasm') {
    install(fastBatchMatMulConfig(backendName, matmul.kernelFunc));
    install(fusedMatMulConfig(getKernel('_FusedMatMul', backendName)!.kernelFunc, matmul.kernelFunc));
    install(unsortedSegmentSumConfig(backendName));
    install(oneHotConfig(backendName));
    install(gatherConfig(backendName, getKernel('GatherV2', backendName)!.kernelFunc));
    install(adamUpdateConfig());
    install(sumLeadingAxesConfig(getKernel('Sum', backendName)!.kernelFunc));
    install(transposeConfig(getKernel('Transpose', backendName)!.kernelFunc));
    install(sharedIdentityConfig(getKernel('Identity', backendName)!.kernelFunc));
    install(gatheredConv2dConfig(getKernel('Conv2D', backendName)!.kernelFunc));
  }
  install(conv2dBackpropFilterConfig(backendName));
  install(conv2dBackpropInputConfig(backendName));
  install(reluGradConfig(backendName));
  for (const config of bernoulliNllConfigs(backendName)) install(config);
  install(squaredNormConfig(backendName));
  registerReluGradient();
  registerBernoulliNllGradients();
  registerSquaredNormGradient();
}

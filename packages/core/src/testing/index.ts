// @vaelab/core/testing: helpers for tests of models and kernels (leak checks, numeric gradients,
// every trainable variable's gradient on WASM against tfjs's stock CPU kernels).
export { expectNoLeak } from './leaks.js';
export { maxRelativeError, numericGradient } from './numeric-gradient.js';
export { backendVsStockCpuGradientErrors, relativeL2Error, wasmVsStockCpuGradientErrors } from './backend-gradients.js';
export { SWIFTSHADER_ICD, useSwiftShader } from './webgpu-environment.js';
export { registerVaeLabKernels, stockKernel } from '../backend/kernels/register-kernels.js';
export { swapIsCheaper } from '../backend/kernels/batch-matmul.js';
export { quickSuiteOptions, suiteFixture } from './suite-fixture.js';
export { idxBytes, jpegBytes, npyBytes, npzBytes, pngBytes, writeFile } from './dataset-files.js';

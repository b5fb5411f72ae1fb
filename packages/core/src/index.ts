// @vaelab/core: the public surface shared by every variant and the experiments app.
// tfjs-core's declarations use the global `Long` type without referencing it; this makes every
// user's type check find it (@types/long is a dependency for that reason).
/// <reference types="long" preserve="true" />
export * as tf from '@tensorflow/tfjs-core';
export * from './backend/select-backend.js';
export { registerVaeLabKernels, stockKernel } from './backend/kernels/register-kernels.js';
export * from './data/dataset.js';
export * from './data/idx.js';
export * from './data/mnist.js';
export * from './data/shapes.js';
export * from './data/batches.js';
export * from './eval/evaluate.js';
export * from './eval/baselines.js';
export * from './eval/digit-classifier.js';
export * from './eval/mig.js';
export * from './eval/traversal.js';
export * from './image/png-grid.js';
export * from './layers/params.js';
export * from './layers/layers.js';
export * from './layers/networks.js';
export * from './losses/kl.js';
export * from './losses/free-bits.js';
export * from './losses/reconstruction.js';
export * from './losses/vae-loss.js';
export * from './model/types.js';
export * from './model/gaussian-latent.js';
export * from './model/gaussian-latent-loss.js';
export * from './model/gaussian-vae.js';
export * from './model/likelihood.js';
export * from './model/reparameterize.js';
export * from './model/gradient-ops.js';
export * from './model/vae-config.js';
export * from './train/adam.js';
export * from './train/checkpoint.js';
export * from './train/clip.js';
export * from './train/kl-schedule.js';
export * from './train/progress.js';
export * from './train/train-config.js';
export * from './train/train-errors.js';
export * from './train/trainer.js';
export * from './util/random.js';
export * from './util/yield.js';
export * from './util/validate.js';
export * from './testing/backend-gradients.js';
export * from './testing/leaks.js';
export * from './testing/numeric-gradient.js';

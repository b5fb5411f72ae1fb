// @vaelab/vq-vae: VQ-VAE (van den Oord et al. 2017) with straight-through quantisation, EMA or
// loss-trained codebooks, k-means init, dead-code restarts, usage metrics, and priors over codes.

export * from './quantizer.js';
export * from './latent-quantizer.js';
export * from './codebook-quantizer.js';
export * from './residual-quantizer.js';
export * from './fsq.js';
export * from './rotation-trick.js';
export * from './codebook-ema.js';
export * from './dead-codes.js';
export * from './kmeans.js';
export * from './config.js';
export * from './loss.js';
export * from './model.js';
export * from './prior.js';
export * from './sampling.js';
export * from './evaluate.js';
export * from './evaluation-target.js';

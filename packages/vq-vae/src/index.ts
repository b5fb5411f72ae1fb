// @vaelab/vq-vae: vector quantisation with straight-through gradients, EMA codebooks,
// dead-code restarts and usage metrics (van den Oord et al. 2017). The model, prior and
// experiments spec are still to come.
export * from './quantizer.js';
export * from './codebook-ema.js';
export * from './dead-codes.js';

// The latent explorer's data: a Gaussian-latent run's decoder, from its latest checkpoint, as the
// network's shape (the config buildDecoder takes) and its raw float32 weights, so the page can
// rebuild the same decoder with tfjs and decode in the browser.
import { decodeCheckpoint, disposeCheckpoint } from '@vaelab/core';
import type { StoreReader } from '@vaelab/tracking';
import { BadRequest } from './query-params.js';

/** Variants whose latents are N(0, I) Gaussians the explorer can slide through (the page gets them from /api/meta). */
export const EXPLORABLE_VARIANTS = ['vae', 'beta-vae', 'cvae'];

interface GaussianConfig {
  latentDim: number;
  inputShape: [number, number, number];
  architecture: unknown;
  likelihood: { kind: string };
  seed: number;
  numClasses?: number;
}

export async function decoderExport(store: StoreReader, id: string) {
  const run = await store.getRun(id);
  const saved = await store.latestCheckpoint(run.id);
  if (saved == null) throw new BadRequest(`run "${run.name}" has no checkpoint yet: the explorer decodes with a saved model`);
  const checkpoint = decodeCheckpoint(saved.data, `checkpoint of ${run.name} (step ${saved.step})`);
  try {
    if (!EXPLORABLE_VARIANTS.includes(checkpoint.variant)) {
      throw new BadRequest(`run "${run.name}" is ${checkpoint.variant}: the latent explorer decodes Gaussian-latent runs (${EXPLORABLE_VARIANTS.join(', ')})`);
    }
    const config = checkpoint.modelConfig as GaussianConfig;
    const tensors = await Promise.all([...checkpoint.params].filter(([name]) => name.startsWith('decoder/')).map(async ([name, tensor]) => {
      const values = (await tensor.data()) as Float32Array;
      return { name, shape: tensor.shape, data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
    }));
    return {
      runId: run.id, variant: checkpoint.variant, step: saved.step,
      latentDim: config.latentDim, inputShape: config.inputShape, architecture: config.architecture, likelihood: config.likelihood.kind,
      /** Decoder inputs after the latent: the one-hot class of a CVAE (0 otherwise). */
      classes: checkpoint.variant === 'cvae' ? config.numClasses ?? 0 : 0,
      seed: config.seed, tensors,
    };
  } finally {
    disposeCheckpoint(checkpoint);
  }
}

// The VQ-VAE explorer's facts: the decoder's shape, each quantiser stage's token → vector table
// (codebook rows, FSQ's levels, residual stages' codebooks) and a few test images with their code
// grids, so the page can edit a grid cell by cell and decode it itself.
import { type ImageDataset, takeExamples, tf } from '@vaelab/core';
import type { VqVae } from '@vaelab/vq-vae';
import { EXAMPLES, exampleThumbnails, rawTensor } from './explorer-payload.js';

export async function vqExplorer(model: VqVae, images: ImageDataset | null) {
  const { config, quantizer } = model;
  const tables = quantizer.stageTables();
  const stageTables = await Promise.all(tables.map((t, i) => rawTensor(`stage${i}`, t)));
  tf.dispose(tables);
  const shown = images == null ? null : takeExamples(images, EXAMPLES);
  let codes: number[][][] = [];
  if (shown != null && shown.count > 0) {
    const grids = tf.tidy(() => model.encodeCodes(tf.tensor4d(shown.images, [shown.count, ...shown.inputShape])));
    codes = (await grids.array()) as number[][][];
    grids.dispose();
  }
  return {
    kind: 'vq' as const,
    inputShape: config.inputShape, filters: config.filters, kernelSize: config.kernelSize, likelihood: config.likelihood.kind, seed: config.seed,
    /** Height and width of the latent grid; each cell holds `tokensPerCell` tokens, stages side by side. */
    latentShape: model.latentShape, tokensPerCell: quantizer.tokensPerCell, numTokens: quantizer.numTokens, dim: quantizer.dim,
    quantizer: config.quantizer.kind,
    stageTables,
    examples: exampleThumbnails(shown, EXAMPLES).map((example, i) => ({ ...example, codes: codes[i] })),
  };
}

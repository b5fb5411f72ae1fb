// VQ-VAE config: conv encoder/decoder around a codebook of `numEmbeddings` vectors of size
// `embeddingDim`; the codebook is learned by its loss or by EMA (a discriminated union).
import { configParser, fixedLikelihoodSchema } from '@vaelab/core';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

export const codebookUpdateSchema = z.discriminatedUnion('kind', [
  /** Codebook loss ||sg[z_e] − e||² through the optimiser (van den Oord et al. 2017, eq. 3). */
  z.object({ kind: z.literal('loss') }).strict(),
  /** Exponential moving averages (appendix A.1): decay γ, Laplace smoothing ε. */
  z.object({ kind: z.literal('ema'), decay: z.number().gt(0).lt(1), epsilon: z.number().finite().positive() }).strict(),
]);

export const codebookInitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('uniform') }).strict(),
  /** Lloyd's k-means on the encoder outputs of the first training batch. */
  z.object({ kind: z.literal('kmeans'), iterations: positiveInt }).strict(),
]);

export const vqVaeConfigSchema = z.object({
  inputShape: z.tuple([positiveInt, positiveInt, positiveInt]),
  /** Stride-2 conv channels; the latent grid is the input size / 2^filters.length. */
  filters: z.array(positiveInt).min(1),
  kernelSize: positiveInt,
  numEmbeddings: z.number().int().min(2),
  embeddingDim: positiveInt,
  commitmentCost: z.number().finite().nonnegative(),
  /** Decoder likelihood; the reconstruction loss is its NLL averaged over pixels. */
  likelihood: fixedLikelihoodSchema,
  codebookUpdate: codebookUpdateSchema,
  codebookInit: codebookInitSchema,
  /** Restart codes unused for this many steps; 0 turns restarts off. */
  deadCodeSteps: z.number().int().nonnegative(),
  seed: z.number().int().nonnegative(),
}).strict();

export type VqVaeConfig = z.infer<typeof vqVaeConfigSchema>;
export type CodebookUpdate = z.infer<typeof codebookUpdateSchema>;

/** A small MNIST VQ-VAE: 28×28 → 7×7 grid of 64 codes of size 16, EMA, restarts. */
export const defaultVqVaeConfig: VqVaeConfig = {
  inputShape: [28, 28, 1],
  filters: [32, 64],
  kernelSize: 4,
  numEmbeddings: 64,
  embeddingDim: 16,
  commitmentCost: 0.25,
  likelihood: { kind: 'bernoulli' },
  codebookUpdate: { kind: 'ema', decay: 0.99, epsilon: 1e-5 },
  codebookInit: { kind: 'uniform' },
  deadCodeSteps: 100,
  seed: 0,
};

export const parseVqVaeConfig = configParser(vqVaeConfigSchema, defaultVqVaeConfig, 'vq-vae config');

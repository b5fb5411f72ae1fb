// VQ-VAE config: conv encoder/decoder around a quantiser: a codebook of `numEmbeddings` vectors
// of size `embeddingDim` (learned by its loss or by EMA), residual stages of them, or FSQ.
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

/** How gradients pass the nearest-code lookup to the encoder. */
export const codebookGradientSchema = z.discriminatedUnion('kind', [
  /** Copy the decoder's gradient to z_e (van den Oord et al. 2017). */
  z.object({ kind: z.literal('straight-through') }).strict(),
  /** Rotate and rescale it by the map taking z_e onto its code, held constant (Fifty et al. 2024). */
  z.object({ kind: z.literal('rotation') }).strict(),
], { error: 'expected gradient {kind: straight-through} or {kind: rotation}' });

const STRAIGHT_THROUGH = { kind: 'straight-through' } as const;

export const quantizerSchema = z.discriminatedUnion('kind', [
  /** One codebook of numEmbeddings × embeddingDim (codebookUpdate, codebookInit, deadCodeSteps apply). */
  z.object({ kind: z.literal('codebook'), gradient: codebookGradientSchema.default(STRAIGHT_THROUGH) }).strict(),
  /** Residual VQ (Zeghidour et al. 2021): each stage's codebook codes the previous stages' residual. */
  z.object({
    kind: z.literal('residual'),
    stages: z.number().int().min(1, 'stages must be at least 1'),
    /** Codes per stage (default numEmbeddings): stages × log2(codebookSize) bits per cell. */
    codebookSize: z.number().int().min(2).optional(),
    /** One codebook for every stage instead of one per stage. */
    sharedCodebook: z.boolean().default(false),
    /** Quantiser dropout: the share of training batches that use only the first n stages, n uniform in 1…stages. */
    dropout: z.number().min(0).max(1).default(0),
    gradient: codebookGradientSchema.default(STRAIGHT_THROUGH),
  }).strict(),
  /**
   * Finite scalar quantisation (Mentzer et al. 2024): each of levels.length channels bounded by
   * tanh and rounded to its level count; the implicit codebook has ∏ levels codes and no loss.
   */
  z.object({
    kind: z.literal('fsq'),
    levels: z.array(z.number().int().min(2, 'each FSQ level count must be at least 2')).min(1, 'levels needs at least one channel, e.g. [8, 5, 5, 5]'),
    gradient: z.unknown().optional(),
  }).strict().refine((q) => q.gradient === undefined, { message: 'FSQ has no codebook to rotate onto: gradient applies to the codebook and residual quantisers', path: ['gradient'] }),
]);

export type QuantizerConfig = z.infer<typeof quantizerSchema>;
export type CodebookGradient = z.infer<typeof codebookGradientSchema>;

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
  /** What replaces z_e: the codebook (default), residual stages of codebooks, or FSQ (which ignores the codebook fields). */
  quantizer: quantizerSchema,
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
  quantizer: { kind: 'codebook', gradient: STRAIGHT_THROUGH },
  seed: 0,
};

export const parseVqVaeConfig = configParser(vqVaeConfigSchema, defaultVqVaeConfig, 'vq-vae config');

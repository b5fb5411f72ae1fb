// Config of the plain Gaussian VAE: typed, defaulted here only, validated at the edge.
import { z } from 'zod';
import { klScheduleSchema } from '../losses/kl-schedule.js';
import { configParser } from './model-spec.js';

const positiveInt = z.number().int().positive();

export const architectureSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mlp'), hiddenUnits: z.array(positiveInt).min(1) }).strict(),
  z.object({
    kind: z.literal('conv'),
    filters: z.array(positiveInt).min(1),
    kernelSize: positiveInt,
    denseUnits: z.number().int().nonnegative(),
  }).strict(),
]);

/** Likelihoods with no parameters of their own (what VQ-VAE takes). */
export const fixedLikelihoodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bernoulli') }).strict(),
  z.object({ kind: z.literal('gaussian'), sigma: z.number().finite().positive() }).strict(),
]);

export const likelihoodSchema = z.discriminatedUnion('kind', [
  ...fixedLikelihoodSchema.options,
  /** A Gaussian with one learned log σ per pixel or column (homoscedastic per feature), starting at σ = 1. */
  z.object({ kind: z.literal('gaussian-learned') }).strict(),
]);

export const vaeConfigSchema = z.object({
  inputShape: z.tuple([positiveInt, positiveInt, positiveInt]),
  latentDim: positiveInt,
  architecture: architectureSchema,
  likelihood: likelihoodSchema,
  klSchedule: klScheduleSchema,
  /** Free-bits floor λ (nats) on each latent dimension's KL; 0 turns it off. */
  freeBits: z.number().finite().nonnegative(),
  seed: z.number().int().nonnegative(),
}).strict();

export type VaeConfig = z.infer<typeof vaeConfigSchema>;
export type LikelihoodConfig = z.infer<typeof likelihoodSchema>;

/** The MNIST MLP VAE of Kingma & Welling (784-400-20, Bernoulli). */
export const defaultVaeConfig: VaeConfig = {
  inputShape: [28, 28, 1],
  latentDim: 20,
  architecture: { kind: 'mlp', hiddenUnits: [400] },
  likelihood: { kind: 'bernoulli' },
  klSchedule: { kind: 'constant', value: 1 },
  freeBits: 0,
  seed: 0,
};

/** Validates a (partial) config over the defaults; unknown keys are errors naming the field. */
export const parseVaeConfig = configParser(vaeConfigSchema, defaultVaeConfig, 'vae config');

// β-VAE config: the Gaussian VAE's fields plus the objective, a discriminated union of
// β-weighted KL (Higgins et al. 2017) and controlled capacity (Burgess et al. 2018).
import { configParser, defaultVaeConfig, vaeConfigSchema } from '@vaelab/core';
import { z } from 'zod';

export const objectiveSchema = z.discriminatedUnion('kind', [
  /** reconstruction + β·w(step)·KL, where w is the config's klSchedule (constant 1 by default). */
  z.object({ kind: z.literal('beta'), beta: z.number().finite().nonnegative() }).strict(),
  /** reconstruction + γ·|KL − C(step)|, C rising linearly from 0 to maxCapacity over capacitySteps. */
  z.object({
    kind: z.literal('capacity'),
    gamma: z.number().finite().nonnegative(),
    maxCapacity: z.number().finite().nonnegative(),
    capacitySteps: z.number().int().positive(),
  }).strict(),
]);

export type BetaVaeObjective = z.infer<typeof objectiveSchema>;

export const betaVaeConfigSchema = vaeConfigSchema.extend({ objective: objectiveSchema }).strict();

export type BetaVaeConfig = z.infer<typeof betaVaeConfigSchema>;

export const defaultBetaVaeConfig: BetaVaeConfig = { ...defaultVaeConfig, objective: { kind: 'beta', beta: 4 } };

export const parseBetaVaeConfig = configParser(betaVaeConfigSchema, defaultBetaVaeConfig, 'beta-vae config');

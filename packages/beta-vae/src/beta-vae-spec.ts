// β-VAE: core's Gaussian VAE (composed, not inherited) trained on a β-weighted or
// capacity-controlled objective.
import { defineModelSpec, GaussianVae, type ModelSpec } from '@vaelab/core';
import { type BetaVaeConfig, betaVaeConfigSchema, defaultBetaVaeConfig } from './config.js';
import { betaObjective } from './objective.js';

export type BetaVae = GaussianVae<BetaVaeConfig>;

export const betaVaeSpec: ModelSpec<BetaVaeConfig, BetaVae> = defineModelSpec({
  name: 'beta-vae',
  defaultConfig: defaultBetaVaeConfig,
  configSchema: betaVaeConfigSchema,
  build: (config: BetaVaeConfig): BetaVae => new GaussianVae(config, { spec: betaVaeSpec, objective: betaObjective(config) }),
});

export function createBetaVae(config: unknown = {}): BetaVae {
  return betaVaeSpec.create(config);
}

// @vaelab/beta-vae: β-VAE (Higgins et al. 2017) and capacity-controlled β-VAE (Burgess et al. 2018).
import { betaVaeConfigSchema, defaultBetaVaeConfig, parseBetaVaeConfig } from './config.js';
import { betaVaeLoss } from './loss.js';
import { type BetaVae, createBetaVae } from './model.js';

export * from './config.js';
export * from './loss.js';
export * from './model.js';
export * from './disentanglement.js';

export const betaVaeSpec = {
  name: 'beta-vae',
  defaultConfig: defaultBetaVaeConfig,
  configSchema: betaVaeConfigSchema,
  parseConfig: parseBetaVaeConfig,
  create: (config: unknown): BetaVae => createBetaVae(config),
  loss: betaVaeLoss,
} as const;

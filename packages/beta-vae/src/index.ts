// @vaelab/beta-vae: β-VAE (Higgins et al. 2017) and capacity-controlled β-VAE (Burgess et al. 2018).
export { type BetaVaeConfig, betaVaeConfigSchema, type BetaVaeObjective, defaultBetaVaeConfig, objectiveSchema, parseBetaVaeConfig } from './config.js';
export { betaVaeLoss, capacityAt } from './loss.js';
export { betaObjective } from './objective.js';
export { type BetaVae, betaVaeSpec, createBetaVae } from './beta-vae-spec.js';
export { traversal } from './traversal.js';
export { modelMig } from './disentanglement.js';

// The β-VAE objectives as a Gaussian VAE objective: β-weighted KL times the config's KL schedule
// (Higgins et al. 2017), or controlled capacity (Burgess et al. 2018); each logs what it uses:
// beta, or gamma and the capacity C(step).
import { klWeightAt, type Objective } from '@vaelab/core';
import type { BetaVaeConfig } from './config.js';
import { betaVaeLoss, capacityAt } from './loss.js';

export function betaObjective(config: BetaVaeConfig): Objective {
  const { objective, klSchedule } = config;
  return {
    loss: ({ reconstruction, kl, klObjective }, step) => betaVaeLoss(reconstruction, kl, objective, step, klWeightAt(klSchedule, step), klObjective),
    scheduleValues: (step): Record<string, number> => (objective.kind === 'beta'
      ? { beta: objective.beta * klWeightAt(klSchedule, step) }
      : { gamma: objective.gamma, capacity: capacityAt(objective, step) }),
  };
}

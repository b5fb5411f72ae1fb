// What a Gaussian VAE minimises, from its per-example terms: the negative ELBO with a KL weight
// schedule (Kingma & Welling 2014; Bowman et al. 2016) by default; β-VAE swaps in its own.
import type { LossOutput } from '../losses/vae-loss.js';
import { vaeLoss } from '../losses/vae-loss.js';
import { type KlSchedule, klWeightAt } from '../losses/kl-schedule.js';
import type { GaussianLatentTerms } from './gaussian-latent-loss.js';

export interface Objective {
  loss(terms: GaussianLatentTerms, step: number): LossOutput;
  /** Values in effect at a step (beta; gamma and capacity), logged beside the loss parts. */
  scheduleValues(step: number): Record<string, number>;
}

/** reconstruction + w(step)·KL (the KL being the free-bits objective when free bits are on). */
export function elboObjective(klSchedule: KlSchedule): Objective {
  return {
    loss: ({ reconstruction, kl, klObjective }, step) => vaeLoss(reconstruction, kl, klWeightAt(klSchedule, step), klObjective),
    scheduleValues: (step) => ({ beta: klWeightAt(klSchedule, step) }),
  };
}

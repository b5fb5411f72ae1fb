// The training objective shared by every Gaussian-latent model (VAE, CVAE, β-VAE's β form):
// reconstruction NLL + β(step)·KL, with optional free bits, from the model's own encode/decode.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import { freeBitsKl } from '../losses/free-bits.js';
import { klStandardNormal } from '../losses/kl.js';
import { type LossOutput, vaeLoss } from '../losses/vae-loss.js';
import { type KlSchedule, klWeightAt } from '../train/kl-schedule.js';
import type { GaussianLatentModel } from './gaussian-latent.js';
import { reparameterize } from './reparameterize.js';
import type { StepContext } from './types.js';

export interface KlSettings {
  klSchedule: KlSchedule;
  freeBits: number;
}

export function gaussianLatentLoss(model: GaussianLatentModel, settings: KlSettings, batch: Batch, ctx: StepContext): LossOutput {
  return tf.tidy(() => {
    const { zMean, zLogVar } = model.encodeBatch(batch);
    const z = reparameterize(zMean, zLogVar, ctx.noiseSeed);
    const freeBits = settings.freeBits > 0 ? freeBitsKl(zMean, zLogVar, settings.freeBits) : undefined;
    return vaeLoss(model.reconstructionNll(z, batch), klStandardNormal(zMean, zLogVar), klWeightAt(settings.klSchedule, ctx.step), freeBits);
  });
}

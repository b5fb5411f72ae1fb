// The contract the training loop, evaluation and checkpoints rely on; every variant meets it.
import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import type { ParamSet } from '../layers/params.js';
import type { LossOutput } from '../losses/vae-loss.js';

export interface StepContext {
  /** Global optimisation step, from 0. */
  step: number;
  /** Seed for this step's random ops (reparameterisation noise), derived from the run seed. */
  noiseSeed: number;
  /** True when called by the trainer for an update (a model may then keep what afterStep needs). */
  training?: boolean;
}

export interface TrainableModel {
  /** The variant's spec (its name is stamped on checkpoints). */
  readonly spec: { readonly name: string };
  readonly params: ParamSet;
  readonly trainableVariables: tf.Variable[];
  /** Plain JSON config, enough to rebuild the model with the variant's create function. */
  readonly config: unknown;
  computeLoss(batch: Batch, ctx: StepContext): LossOutput;
  /** Schedule values in effect at a step (e.g. beta), logged beside the loss parts. */
  scheduleValues?(step: number): Record<string, number>;
  /**
   * Called inside the training step after the optimiser update, for non-gradient updates
   * (EMA codebooks, code restarts); the scalars it returns are logged as step metrics.
   */
  afterStep?(ctx: StepContext): Record<string, tf.Scalar>;
  dispose(): void;
}

// Optimisation settings shared by every variant; validated at the edge like model configs.
import { z } from 'zod';
import { parseWith } from '../util/validate.js';

export const trainConfigSchema = z.object({
  epochs: z.number().int().positive(),
  /** A step budget: stop after this many optimiser updates in total (null: only epochs count). */
  steps: z.number().int().positive().nullable(),
  batchSize: z.number().int().positive(),
  learningRate: z.number().finite().positive(),
  /** Clip gradients to this global norm; null disables clipping. */
  gradClipNorm: z.number().finite().positive().nullable(),
  /** Read losses back from the backend every this many steps (one sync per window). */
  logEvery: z.number().int().positive(),
  /** Also checkpoint every this many steps (0: only at epoch ends). */
  checkpointEvery: z.number().int().nonnegative(),
  seed: z.number().int().nonnegative(),
}).strict();

export type TrainConfig = z.infer<typeof trainConfigSchema>;

export const defaultTrainConfig: TrainConfig = {
  epochs: 10,
  steps: null,
  batchSize: 128,
  learningRate: 1e-3,
  gradClipNorm: null,
  logEvery: 50,
  checkpointEvery: 0,
  seed: 0,
};

export function parseTrainConfig(input: unknown): TrainConfig {
  const merged = typeof input === 'object' && input !== null ? { ...defaultTrainConfig, ...input } : input;
  return parseWith(trainConfigSchema, merged, 'train config');
}

// The experiments registry: one entry per variant (a plain object map, not a chain of ifs),
// each with its config schema and defaults, how to train-evaluate it and what pictures to keep.
import type { VariantName } from '../config/sweep-schema.js';
import { betaVaeRunner } from './beta-vae-runner.js';
import { cvaeRunner } from './cvae-runner.js';
import type { VariantRunner } from './runner-types.js';
import { vaeRunner } from './vae-runner.js';
import { vqVaeRunner } from './vq-vae-runner.js';

export const variantRunners: Record<VariantName, VariantRunner> = {
  vae: vaeRunner,
  'beta-vae': betaVaeRunner,
  cvae: cvaeRunner,
  'vq-vae': vqVaeRunner,
};

// @vaelab/cvae: conditional VAE with class-conditional generation (Sohn et al. 2015).
import { vaeLoss } from '@vaelab/core';
import { type CvaeConfig, cvaeConfigSchema, defaultCvaeConfig, parseCvaeConfig } from './config.js';
import { Cvae, createCvae } from './model.js';

export * from './config.js';
export * from './labels.js';
export * from './model.js';
export * from './report.js';

/** The CVAE's loss is the Gaussian VAE loss on conditional terms. */
export const cvaeLoss = vaeLoss;

export const cvaeSpec = {
  name: 'cvae',
  defaultConfig: defaultCvaeConfig,
  configSchema: cvaeConfigSchema,
  parseConfig: parseCvaeConfig,
  create: (config: unknown): Cvae => createCvae(config),
  loss: cvaeLoss,
} as const;

export type { CvaeConfig };

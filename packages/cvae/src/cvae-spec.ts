// The conditional VAE (Sohn et al. 2015): core's Gaussian VAE with the label condition; q(z|x,y),
// p(x|z,y), prior N(0, I), and the Gaussian VAE's loss unchanged.
import { defineModelSpec, GaussianVae, type ModelSpec } from '@vaelab/core';
import { type CvaeConfig, cvaeConfigSchema, defaultCvaeConfig } from './config.js';
import { labelCondition } from './labels.js';

export type Cvae = GaussianVae<CvaeConfig>;

export const cvaeSpec: ModelSpec<CvaeConfig, Cvae> = defineModelSpec({
  name: 'cvae',
  defaultConfig: defaultCvaeConfig,
  configSchema: cvaeConfigSchema,
  build: (config: CvaeConfig): Cvae => new GaussianVae(config, { spec: cvaeSpec, condition: labelCondition(config.numClasses) }),
});

export function createCvae(config: unknown = {}): Cvae {
  return cvaeSpec.create(config);
}

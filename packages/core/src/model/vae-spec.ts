// The plain Gaussian VAE as a variant: its entry in the variant contract.
import { GaussianVae } from './gaussian-vae.js';
import { defineModelSpec, type ModelSpec } from './model-spec.js';
import { defaultVaeConfig, type VaeConfig, vaeConfigSchema } from './vae-config.js';

export const vaeSpec: ModelSpec<VaeConfig, GaussianVae> = defineModelSpec({
  name: 'vae',
  defaultConfig: defaultVaeConfig,
  configSchema: vaeConfigSchema,
  build: (config: VaeConfig): GaussianVae => new GaussianVae(config, { spec: vaeSpec }),
});

export function createVae(config: unknown = {}): GaussianVae {
  return vaeSpec.create(config);
}

// @vaelab/cvae: conditional VAE with class-conditional generation (Sohn et al. 2015).
export { type CvaeConfig, cvaeConfigSchema, defaultCvaeConfig, parseCvaeConfig } from './config.js';
export { type Cvae, createCvae, cvaeSpec } from './cvae-spec.js';
export { checkConditionalDataset, checkLabel, checkLabels, labelCondition } from './labels.js';
export { classGrid, transfer } from './generation.js';
export { type GenerationAccuracy, generatedSampleAccuracy } from './report.js';

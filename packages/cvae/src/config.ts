// CVAE config: the Gaussian VAE's fields plus the number of condition classes.
import { configParser, defaultVaeConfig, vaeConfigSchema } from '@vaelab/core';
import { z } from 'zod';

export const cvaeConfigSchema = vaeConfigSchema.extend({ numClasses: z.number().int().min(2) }).strict();

export type CvaeConfig = z.infer<typeof cvaeConfigSchema>;

/** MNIST: 784-400-20 with a 10-way one-hot condition. */
export const defaultCvaeConfig: CvaeConfig = { ...defaultVaeConfig, numClasses: 10 };

export const parseCvaeConfig = configParser(cvaeConfigSchema, defaultCvaeConfig, 'cvae config');

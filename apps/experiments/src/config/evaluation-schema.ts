// The `evaluation:` section of a sweep file: what the common suite measures and how much of it.
// Its own module, so the variants can name its type without importing the sweep schema (which
// imports the variant registry).
import { EVALUATION_GROUPS } from '@vaelab/core';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** What is measured beyond each variant's per-epoch test metrics. */
export const evaluationSchema = z.object({
  /** k of the importance-weighted NLL bound (Burda et al. 2016) at the end of training; 0 skips it. */
  importanceSamples: z.number().int().nonnegative().max(5000).default(0),
  /** Generated samples per class that core's digit classifier scores each epoch (conditional variants); 0 skips it. */
  generatedPerClass: z.number().int().nonnegative().max(10_000).default(0),
  /** The common suite (eval/* metrics), after the last step: which groups to measure (none unless listed). */
  metrics: z.array(z.enum(EVALUATION_GROUPS, { error: (issue) => `unknown metric group ${JSON.stringify(issue.input)}; expected one of ${EVALUATION_GROUPS.join(', ')}` }))
    .default([]),
  /** Also run the suite at every epoch's end (slower). */
  everyEpoch: z.boolean().default(false),
  /** Generated images the digit classifier scores (group samples). */
  samples: z.number().int().min(10).max(100_000).default(1000),
  /** Labelled training images for the linear probe (group probe). */
  probeLabels: z.array(positiveInt).min(1).default([100, 1000]),
  /** Labelled training images the augmentation comparison starts from (group augmentation, conditional variants). */
  augmentLabels: z.array(positiveInt).min(1).default([100, 1000]),
  /** Generated images added per real one. */
  augmentRatio: positiveInt.max(100).default(4),
  /** Classifier updates per arm of the augmentation comparison. */
  augmentSteps: positiveInt.max(100_000).default(400),
}).strict();

export type EvaluationSpec = z.infer<typeof evaluationSchema>;

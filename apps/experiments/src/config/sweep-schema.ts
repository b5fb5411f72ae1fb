// The sweep file format (W&B-style): what to train (variant, base config, dataset), which
// parameters to vary and how (grid or random), seeds, parallelism, retries and the budget.
import { BACKEND_NAMES } from '@vaelab/core';
import { z } from 'zod';
import { VARIANT_NAMES, type VariantName } from '../variants/registry.js';
import { evaluationSchema } from './evaluation-schema.js';

export { evaluationSchema, type EvaluationSpec } from './evaluation-schema.js';

export type { VariantName };

/** More trials than this in one sweep file is refused unless the file raises `max_trials`. */
export const DEFAULT_MAX_TRIALS = 100_000;

const positiveInt = z.number().int().positive();
const finite = z.number().finite();

/** One swept parameter: a fixed value, a list (grid axis), or a distribution (random search). */
export const parameterSchema = z.union([
  z.object({ value: z.unknown() }).strict(),
  z.object({ values: z.array(z.unknown()).min(1, 'values must list at least one value') }).strict(),
  z.object({ distribution: z.enum(['uniform', 'log_uniform', 'int_uniform']), min: finite, max: finite }).strict()
    .refine((p) => p.min < p.max, 'min must be below max')
    .refine((p) => p.distribution !== 'log_uniform' || p.min > 0, 'log_uniform needs min > 0'),
], { error: 'expected {value: x}, {values: [...]}, or {distribution: uniform|log_uniform|int_uniform, min, max}' });

export type ParameterSpec = z.infer<typeof parameterSchema>;

/** Fields of every dataset read from the user's files. Relative paths are from the sweep file's folder. */
const fileSplitFields = {
  /** Share of the examples held out for test when no test files are given (seeded, recorded). */
  testFraction: z.number().gt(0, 'testFraction must be above 0').lt(1, 'testFraction must be below 1').default(0.2),
  /** Seed of the train/test split. */
  splitSeed: z.number().int().nonnegative().default(0),
  trainSize: positiveInt.optional(),
  testSize: positiveInt.optional(),
  holdOutClasses: z.array(z.number().int().nonnegative()).min(1).optional(),
};

/** Tables: columns standardised with the training split's mean and std (recorded with each run). */
const tableFields = { standardize: z.boolean().default(true) };

export const datasetSchema = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('mnist'),
    /** Use only the first N training / test images (default: all 60k / 10k). */
    trainSize: positiveInt.optional(),
    testSize: positiveInt.optional(),
    /** Digits kept out of training; their test images are the anomalies evaluation looks for. */
    holdOutClasses: z.array(z.number().int().min(0, 'MNIST classes are 0–9').max(9, 'MNIST classes are 0–9')).min(1).max(9, 'holding out all 10 digits leaves nothing to train on').optional(),
  }).strict(),
  z.object({
    name: z.literal('shapes'),
    trainSize: positiveInt,
    testSize: positiveInt,
    size: positiveInt.optional(),
    factorSizes: z.tuple([positiveInt, positiveInt, positiveInt, positiveInt, positiveInt]).optional(),
    seed: z.number().int().nonnegative().optional(),
    /** Shapes (factor 0) kept out of training, as for MNIST. */
    holdOutClasses: z.array(z.number().int().nonnegative()).min(1).optional(),
  }).strict(),
  z.object({
    name: z.literal('images'),
    /** A folder of PNG/JPEG files; sub-folders are classes (torchvision's ImageFolder). */
    path: z.string().min(1),
    /** A folder laid out the same way for the test split (else testFraction of path). */
    testPath: z.string().min(1).optional(),
    /** [height, width] to centre-crop and resize every image to (needed when sizes differ). */
    size: z.tuple([positiveInt, positiveInt]).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).default(1),
    ...fileSplitFields,
  }).strict(),
  z.object({
    name: z.literal('npy'),
    /** A .npy array (n, features), (n, h, w) or (n, h, w, 1|3), or a .npz holding one. */
    path: z.string().min(1),
    /** A .npy of integer labels, or (for a .npz) the name of its labels array. */
    labels: z.string().min(1).optional(),
    /** For a .npz with several arrays: the examples' array name. */
    key: z.string().min(1).optional(),
    testPath: z.string().min(1).optional(),
    testLabels: z.string().min(1).optional(),
    ...tableFields,
    ...fileSplitFields,
  }).strict(),
  z.object({
    name: z.literal('csv'),
    /** A table with a header row; every column but labelColumn is a numeric feature. */
    path: z.string().min(1),
    labelColumn: z.string().min(1).optional(),
    testPath: z.string().min(1).optional(),
    ...tableFields,
    ...fileSplitFields,
  }).strict(),
  z.object({
    name: z.literal('idx'),
    /** IDX files in MNIST's format (Fashion-MNIST, KMNIST, EMNIST). */
    images: z.string().min(1),
    labels: z.string().min(1).optional(),
    testImages: z.string().min(1).optional(),
    testLabels: z.string().min(1).optional(),
    ...fileSplitFields,
  }).strict(),
], { error: 'expected a dataset with name: mnist, shapes, images, npy, csv or idx' });

export const FILE_DATASETS = ['images', 'npy', 'csv', 'idx'] as const;

export type DatasetSpec = z.infer<typeof datasetSchema>;

export const budgetSchema = z.object({
  epochs: positiveInt.optional(),
  steps: positiveInt.optional(),
  /** Wall-clock cap per trial. */
  minutes: z.number().positive().finite().optional(),
}).strict().refine((b) => b.epochs != null || b.steps != null, 'budget needs epochs or steps');

/** One arm of a multi-variant sweep: its own variant, base config, train settings and parameters. */
export const armSchema = z.object({
  variant: z.enum(VARIANT_NAMES),
  base: z.record(z.string(), z.unknown()).optional(),
  train: z.record(z.string(), z.unknown()).optional(),
  parameters: z.record(z.string(), parameterSchema).optional(),
  budget: budgetSchema.optional(),
  evaluation: evaluationSchema.optional(),
  prior: z.object({ epochs: positiveInt, hiddenUnits: positiveInt.default(32), embeddingDim: positiveInt.default(16) }).strict().optional(),
}).strict();

export const sweepSchema = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  /** The variant to train, or `variants` to compare several in one sweep. */
  variant: z.enum(VARIANT_NAMES).optional(),
  variants: z.array(armSchema).min(1).optional(),
  dataset: datasetSchema,
  /** The variant's config; omitted fields take the variant's defaults. */
  base: z.record(z.string(), z.unknown()).default({}),
  /** Optimiser settings (learningRate, batchSize, gradClipNorm, logEvery, checkpointEvery). */
  train: z.record(z.string(), z.unknown()).default({}),
  method: z.enum(['grid', 'random']).default('grid'),
  /** Number of random-search points (method: random only). */
  count: positiveInt.optional(),
  metric: z.object({ name: z.string().min(1), goal: z.enum(['minimize', 'maximize']) }).strict().optional(),
  /** Dotted paths into the model config (e.g. objective.beta) or the train config (train.learningRate). */
  parameters: z.record(z.string(), parameterSchema).default({}),
  /** Repeat every point with seeds 0..n-1, or with the listed seeds. */
  seeds: z.union([positiveInt, z.array(z.number().int().nonnegative()).min(1)]).default(1),
  parallel: positiveInt.optional(),
  max_retries: z.number().int().nonnegative().default(0),
  /** Seconds a claimed trial stays owned without a heartbeat; then it is re-queued (within max_retries) or crashed. */
  heartbeat_timeout: z.number().int().min(1).max(86_400).default(600),
  /** Refuse to expand into more trials than this (the count is taken before anything is built). */
  max_trials: positiveInt.default(DEFAULT_MAX_TRIALS),
  budget: budgetSchema,
  evaluation: evaluationSchema.default(evaluationSchema.parse({})),
  backend: z.enum(BACKEND_NAMES).default('auto'),
  /** VQ-VAE only: the autoregressive prior fitted after training, so the run can sample. */
  prior: z.object({ epochs: positiveInt, hiddenUnits: positiveInt.default(32), embeddingDim: positiveInt.default(16) }).strict().optional(),
  /** Random-search seed (method: random). */
  seed: z.number().int().nonnegative().default(0),
}).strict();

export type SweepFile = z.infer<typeof sweepSchema>;

/** A single-variant sweep: the whole file, or one arm of a multi-variant file merged over it. */
export type SweepConfig = Omit<SweepFile, 'variant' | 'variants'> & { variant: VariantName };

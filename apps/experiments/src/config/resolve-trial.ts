// Turns a sweep and one trial point into the exact model and train configs to run, validated by
// the variant's own schema; errors name the sweep key that caused them (base.…, train.… or
// parameters.…) and what was expected.
import { defaultTrainConfig, formatIssues, trainConfigSchema, type TrainConfig } from '@vaelab/core';
import type { z } from 'zod';
import { variants } from '../variants/registry.js';
import { datasetClasses, datasetInputShape, isTabular } from './datasets.js';
import { isPlainObject, missingSegment, withValueAt } from './dotted-path.js';
import type { TrialPoint } from './expand.js';
import type { SweepConfig } from './sweep-schema.js';

export interface ResolvedTrial {
  model: Record<string, unknown>;
  train: TrainConfig;
  seed: number;
}

const TRAIN_PREFIX = 'train.';
/** Epochs of a trial budgeted in steps only (progress shows ∞). */
export const UNBOUNDED_EPOCHS = 1_000_000;

/** Maps a zod issue path in the merged config back to the sweep key the user wrote. */
function sourceKey(section: 'base' | 'train', issuePath: string, point: Record<string, unknown>): string {
  const prefix = section === 'train' ? TRAIN_PREFIX : '';
  for (const [param, value] of Object.entries(point)) {
    if (!param.startsWith(prefix)) continue;
    const inner = param.slice(prefix.length);
    if (issuePath === inner || issuePath.startsWith(`${inner}.`) || inner.startsWith(`${issuePath}.`)) return `parameters.${param} (value ${JSON.stringify(value)})`;
  }
  return issuePath === '' ? section : `${section}.${issuePath}`;
}

/** Keys of the object at `path` in `root` (for "expected one of" hints). */
function keysAt(root: unknown, path: PropertyKey[]): string[] {
  const node = path.reduce<unknown>((n, k) => (isPlainObject(n) ? n[String(k)] : undefined), root);
  return isPlainObject(node) ? Object.keys(node) : [];
}

function validate<T>(schema: z.ZodType<T>, value: unknown, section: 'base' | 'train', point: Record<string, unknown>, defaults: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const messages = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(defaults, issue.path);
      return issue.keys.map((key) => `${sourceKey(section, [...issue.path, key].join('.'), point)}: unknown key${known.length > 0 ? `; expected one of: ${known.join(', ')}` : ''}`);
    }
    const message = formatIssues({ issues: [{ ...issue, path: [] }] } as unknown as z.ZodError).replace(/^\(root\): /, '');
    return [`${sourceKey(section, issue.path.join('.'), point)}: ${message}`];
  });
  throw new Error(messages.join('; '));
}

/** Checks that every swept path names an existing config field (so typos fail before anything runs). */
export function checkParameterPaths(config: SweepConfig): void {
  const { spec } = variants[config.variant];
  const modelRoot = { ...spec.defaultConfig, ...config.base };
  for (const path of Object.keys(config.parameters)) {
    const [root, inner, what] = path.startsWith(TRAIN_PREFIX)
      ? [{ ...defaultTrainConfig, ...config.train }, path.slice(TRAIN_PREFIX.length), 'train config']
      : [modelRoot, path, `${config.variant} config`];
    if (inner === 'seed' || inner === 'epochs' || (root !== modelRoot && inner === 'steps')) throw new Error(`parameters.${path}: ${inner} is set by the sweep (use seeds / budget), not swept`);
    const missing = missingSegment(root, inner);
    if (missing) {
      throw new Error(`parameters.${path}: unknown key "${missing.segment}" in the ${what}; expected one of: ${missing.available.join(', ')}`);
    }
  }
}

export function resolveTrial(config: SweepConfig, point: TrialPoint): ResolvedTrial {
  const variant = variants[config.variant];
  const { seed, ...swept } = point;
  let model: Record<string, unknown> = { ...variant.spec.defaultConfig, inputShape: datasetInputShape(config.dataset), ...config.base, seed };
  if (variant.conditionsOnClasses && !('numClasses' in config.base)) model.numClasses = datasetClasses(config.dataset);
  // Standardised table columns are real-valued: a Gaussian with a learned σ per column, not a Bernoulli, unless the file says otherwise.
  if (isTabular(config.dataset) && 'likelihood' in variant.spec.defaultConfig && !('likelihood' in config.base)) model.likelihood = { kind: 'gaussian-learned' };
  // A step budget alone leaves epochs open: the trainer stops at the step count.
  const steps = config.budget.steps ?? (config.train.steps as number | null | undefined) ?? null;
  const epochs = config.budget.epochs ?? (steps != null ? UNBOUNDED_EPOCHS : defaultTrainConfig.epochs);
  let train: Record<string, unknown> = { ...defaultTrainConfig, ...config.train, seed, epochs, steps };
  for (const [path, value] of Object.entries(swept)) {
    if (path.startsWith(TRAIN_PREFIX)) train = withValueAt(train, path.slice(TRAIN_PREFIX.length), value);
    else model = withValueAt(model, path, value);
  }
  if (!isPlainObject(model)) throw new Error('base: expected a mapping of config fields');
  return {
    model: validate(variant.spec.configSchema, model, 'base', swept, variant.spec.defaultConfig) as Record<string, unknown>,
    train: validate(trainConfigSchema, train, 'train', swept, defaultTrainConfig),
    seed,
  };
}

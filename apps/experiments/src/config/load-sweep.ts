// Reads a sweep YAML file and validates all of it before anything runs: the file's shape, every
// swept key, and every expanded trial's config. Errors start with the file, then the key path.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { formatIssues } from '@vaelab/core';
import type { z } from 'zod';
import { isPlainObject } from './dotted-path.js';
import { parseDocument } from 'yaml';
import { variants } from '../variants/registry.js';
import { datasetSizeProblem, loadDatasetCached } from './datasets.js';
import { isFileDataset, resolveDatasetPaths } from './file-datasets.js';
import { countTrials, expandSweep } from './expand.js';
import { checkParameterPaths, resolveTrial } from './resolve-trial.js';
import { type SweepConfig, type SweepFile, sweepSchema, type VariantName } from './sweep-schema.js';
import { smokeBudget, smokeSteps, type TrialConfig, trialConfig, withDataFacts } from './trial-config.js';

export interface PlannedTrial {
  /** The swept values that tell this trial apart (with `variant` in a multi-variant sweep). */
  params: Record<string, unknown>;
  variant: VariantName;
  /** What a worker runs: resolved and validated now, stored with the trial. */
  config: TrialConfig;
}

export interface SweepPlan {
  file: string;
  name: string;
  text: string;
  /** Settings shared by all arms (parallel, backend, budget, metric, retries). */
  config: SweepFile;
  /** One single-variant config per arm (one arm unless the file lists `variants`). */
  arms: SweepConfig[];
  trials: PlannedTrial[];
  /** Steps per trial in a smoke run (VAELAB_SMOKE_STEPS), else null. */
  smoke: number | null;
}

export class SweepConfigError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'SweepConfigError';
  }
}

const REQUIRED_KEYS = [['dataset', '{ name: mnist }'], ['budget', '{ epochs: 5 }']] as const;

/** zod's issues with unknown keys spelled out as paths, with the keys that are allowed there. */
function describeSweepIssues(error: z.ZodError): string {
  return error.issues.map((issue) => {
    if (issue.code !== 'unrecognized_keys') return formatIssues({ issues: [issue] } as z.ZodError);
    const shape = issue.path.length === 0 ? sweepSchema.shape : null;
    const known = shape ? `; expected one of: ${Object.keys(shape).join(', ')}` : '';
    return issue.keys.map((key) => `${[...issue.path, key].join('.')}: unknown key${known}`).join('; ');
  }).join('; ');
}

/** Why the evaluation block cannot run on the arm's data, or null. */
/** Why the arm's data cannot be loaded or does not fit its variant, or null (loads the user's files once). */
function datasetProblemOf(arm: SweepConfig): string | null {
  try {
    const sizes = datasetSizeProblem(arm.dataset);
    if (sizes) return sizes;
    if (!isFileDataset(arm.dataset)) return null;
    const { train } = loadDatasetCached(arm.dataset);
    const runner = variants[arm.variant];
    if (runner.needsImages && train.columns) return `dataset: ${arm.variant} is convolutional and needs images; ${arm.dataset.name} gives table rows of ${train.columns.length} columns`;
    if (runner.conditionsOnClasses && train.numClasses === 0) {
      const how = { images: 'put each class in its own sub-folder', npy: 'give labels', csv: 'give labelColumn', idx: 'give labels' }[arm.dataset.name];
      return `dataset: ${arm.variant} conditions on labels, but ${train.name} has none (${how})`;
    }
    const numClasses = (arm.base as { numClasses?: unknown }).numClasses;
    if (typeof numClasses === 'number' && train.numClasses > numClasses) return `base.numClasses: ${numClasses}, but the dataset's labels go up to ${train.numClasses - 1} (${train.numClasses} classes)`;
    if (train.columns) {
      const imageOnly = arm.evaluation.metrics.filter((g) => ['samples', 'augmentation', 'interpolation'].includes(g));
      if (imageOnly.length > 0) return `evaluation.metrics: ${imageOnly.join(', ')} score${imageOnly.length > 1 ? '' : 's'} images; a table supports reconstruction, likelihood, latent, anomaly and probe`;
    }
    return null;
  } catch (error) {
    return `dataset: ${(error as Error).message}`;
  }
}

function evaluationSettingsProblem(arm: SweepConfig): string | null {
  const { metrics, probeLabels, augmentLabels } = arm.evaluation;
  if (metrics.includes('anomaly') && arm.dataset.holdOutClasses == null) {
    return 'evaluation.metrics: anomaly needs classes held out of training (dataset.holdOutClasses, e.g. [9])';
  }
  // What training keeps: after held-out classes leave (the data is loaded once, and cached, to count them).
  const counted = isFileDataset(arm.dataset) || arm.dataset.holdOutClasses != null;
  const trainSize = counted ? loadDatasetCached(arm.dataset).train.count : arm.dataset.trainSize ?? 60_000;
  for (const [key, sizes, group] of [['probeLabels', probeLabels, 'probe'], ['augmentLabels', augmentLabels, 'augmentation']] as const) {
    const over = sizes.filter((n) => n > trainSize);
    if (metrics.includes(group) && over.length > 0) return `evaluation.${key}: ${over.join(', ')} labelled images asked for, but the training set has ${trainSize.toLocaleString('en')}${arm.dataset.holdOutClasses ? ' once the held-out classes leave it' : ''}`;
  }
  return null;
}

/** Step metrics every variant logs, besides its evaluation metrics. */
const STEP_METRICS = ['loss', 'reconstruction'];

/** A sweep file is a page of YAML; anything this large is a mistake, not a sweep. */
const MAX_FILE_BYTES = 1024 * 1024;

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new SweepConfigError(file, `invalid YAML: ${doc.errors[0].message}`);
  try {
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new SweepConfigError(file, `invalid YAML: ${(error as Error).message}`);
  }
}

function checkTrialCount(file: string, arms: SweepConfig[], limit: number, label: (i: number) => string): void {
  const counts = arms.map((arm) => countTrials(arm));
  const total = counts.reduce((n, c) => n + c.total, 0);
  if (total <= limit) return;
  const worst = counts.reduce((a, b) => (b.total > a.total ? b : a));
  const factors = worst.factors.map(([k, n]) => `${k}: ${n.toLocaleString('en')}`).join(' × ');
  const where = label(counts.indexOf(worst));
  throw new SweepConfigError(file, `${where}parameters: the sweep expands to ${total.toLocaleString('en')} trials (${factors}), more than max_trials ` +
    `(${limit.toLocaleString('en')}); narrow the grid, or raise max_trials if you mean it`);
}

export function parseSweepText(text: string, file: string): SweepPlan {
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    throw new SweepConfigError(file, `the file is ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MiB; a sweep file is expected to be under 1 MiB`);
  }
  const raw = parseYaml(text, file);
  const smoke = smokeSteps();
  for (const [key, example] of REQUIRED_KEYS) {
    if (isPlainObject(raw) && raw[key] == null) throw new SweepConfigError(file, `${key}: missing (expected e.g. ${example})`);
  }
  const result = sweepSchema.safeParse(raw);
  if (!result.success) throw new SweepConfigError(file, describeSweepIssues(result.error));
  const config = result.data;
  const fail = (detail: string): never => {
    throw new SweepConfigError(file, detail);
  };
  if ((config.variant == null) === (config.variants == null)) fail('variant: give either variant (one variant) or variants (a list to compare)');
  if (config.count != null && config.method !== 'random') fail('count: only method random draws a count of points');
  const { variant, variants: armList, ...shared } = config;
  const arms: SweepConfig[] = armList == null
    ? [{ ...shared, variant: variant! }]
    : armList.map((a) => ({
      ...shared, ...a, base: a.base ?? shared.base, train: { ...shared.train, ...a.train }, parameters: a.parameters ?? shared.parameters,
      budget: a.budget ?? shared.budget, evaluation: a.evaluation ?? shared.evaluation,
    }));
  const label = (i: number) => (armList == null ? '' : `variants[${i}] (${arms[i].variant}): `);
  checkTrialCount(file, arms, config.max_trials, label);
  const seen = new Set<string>();
  const trials: PlannedTrial[] = [];
  arms.forEach((arm, i) => {
    const where = label(i);
    arm.dataset = resolveDatasetPaths(arm.dataset, dirname(resolve(file)));
    const datasetProblem = datasetProblemOf(arm);
    if (datasetProblem) fail(`${where}${datasetProblem}`);
    if (armList != null && seen.has(arm.variant)) fail(`variants[${i}].variant: ${arm.variant} is listed twice; each arm needs a different variant`);
    seen.add(arm.variant);
    const runner = variants[arm.variant];
    if (arm.prior && !runner.fitsPrior) {
      const takers = Object.entries(variants).filter(([, v]) => v.fitsPrior).map(([name]) => name);
      fail(`${where}prior: only the ${takers.join(', ')} variant${takers.length > 1 ? 's fit' : ' fits'} a prior (variant is ${arm.variant})`);
    }
    if (config.metric && !config.metric.name.startsWith('eval/') && ![...STEP_METRICS, ...runner.evalMetrics].includes(config.metric.name)) {
      fail(`metric.name: unknown metric "${config.metric.name}" for ${arm.variant}; expected one of: ${[...STEP_METRICS, ...runner.evalMetrics].join(', ')}, or an eval/* metric of the suite`);
    }
    const evaluationProblem = evaluationSettingsProblem(arm);
    if (evaluationProblem) fail(`${where}${evaluationProblem}`);
    try {
      checkParameterPaths(arm);
      const points = expandSweep(arm);
      if (points.length === 0) fail(`${where}parameters: the sweep expands to no trials`);
      for (const point of points) {
        const resolved = trialConfig(arm, resolveTrial(arm, point));
        const config = withDataFacts(smoke == null ? resolved : smokeBudget(resolved, smoke));
        trials.push({ params: armList == null ? point : { variant: arm.variant, ...point }, variant: arm.variant, config });
      }
    } catch (error) {
      if (error instanceof SweepConfigError) throw error;
      fail(`${where}${(error as Error).message}`);
    }
  });
  return { file, name: config.name ?? basename(file, extname(file)), text, config, arms, trials, smoke };
}

export function loadSweepFile(file: string): SweepPlan {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) throw new SweepConfigError(file, `the file is ${(size / 1024 / 1024).toFixed(1)} MiB; a sweep file is expected to be under 1 MiB`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof SweepConfigError) throw error;
    throw new SweepConfigError(file, `cannot read the sweep file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseSweepText(text, file);
}

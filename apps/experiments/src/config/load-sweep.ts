// Reads a sweep YAML file and validates all of it before anything runs: the file's shape, every
// swept key, and every expanded trial's config. Errors start with the file, then the key path.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { formatIssues } from '@vaelab/core';
import type { z } from 'zod';
import { isPlainObject } from './dotted-path.js';
import { parseDocument } from 'yaml';
import { variantRunners } from '../variants/registry.js';
import { expandSweep, type TrialPoint } from './expand.js';
import { checkParameterPaths, type ResolvedTrial, resolveTrial } from './resolve-trial.js';
import { type SweepConfig, type SweepFile, sweepSchema } from './sweep-schema.js';

export interface SweepPlan {
  file: string;
  name: string;
  text: string;
  /** Settings shared by all arms (parallel, backend, budget, metric, retries). */
  config: SweepFile;
  /** One single-variant config per arm (one arm unless the file lists `variants`). */
  arms: SweepConfig[];
  trials: { arm: number; point: TrialPoint; resolved: ResolvedTrial }[];
}

/** The arm a stored trial belongs to: its `variant` param in a multi-variant sweep. */
export function armOf(plan: Pick<SweepPlan, 'arms'>, point: Record<string, unknown>): SweepConfig {
  if (plan.arms.length === 1) return plan.arms[0];
  const arm = plan.arms.find((a) => a.variant === point.variant);
  if (arm == null) throw new Error(`trial has variant ${String(point.variant)}, which this sweep does not list`);
  return arm;
}

/** The trial point without the arm tag, as resolveTrial expects it. */
export function pointWithoutArm(point: Record<string, unknown>, arms: number): TrialPoint {
  if (arms === 1) return point as TrialPoint;
  const { variant: _variant, ...rest } = point;
  return rest as TrialPoint;
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

/** Step metrics every variant logs, besides its evaluation metrics. */
const STEP_METRICS = ['loss', 'reconstruction'];

export function parseSweepText(text: string, file: string): SweepPlan {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new SweepConfigError(file, `invalid YAML: ${doc.errors[0].message}`);
  const raw: unknown = doc.toJS() ?? {};
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
  const { variant, variants, ...shared } = config;
  const arms: SweepConfig[] = variants == null
    ? [{ ...shared, variant: variant! }]
    : variants.map((a) => ({ ...shared, ...a, base: a.base ?? shared.base, train: { ...shared.train, ...a.train }, parameters: a.parameters ?? shared.parameters, budget: a.budget ?? shared.budget }));
  const seen = new Set<string>();
  const trials: SweepPlan['trials'] = [];
  arms.forEach((arm, i) => {
    const where = variants == null ? '' : `variants[${i}] (${arm.variant}): `;
    if (variants != null && seen.has(arm.variant)) fail(`variants[${i}].variant: ${arm.variant} is listed twice; each arm needs a different variant`);
    seen.add(arm.variant);
    if (arm.prior && arm.variant !== 'vq-vae') fail(`${where}prior: only the vq-vae variant fits a prior (variant is ${arm.variant})`);
    const runner = variantRunners[arm.variant];
    if (config.metric && ![...STEP_METRICS, ...runner.evalMetrics].includes(config.metric.name)) {
      fail(`metric.name: unknown metric "${config.metric.name}" for ${arm.variant}; expected one of: ${[...STEP_METRICS, ...runner.evalMetrics].join(', ')}`);
    }
    try {
      checkParameterPaths(arm);
      const points = expandSweep(arm);
      if (points.length === 0) fail(`${where}parameters: the sweep expands to no trials`);
      for (const point of points) {
        trials.push({ arm: i, point: variants == null ? point : { variant: arm.variant, ...point }, resolved: resolveTrial(arm, point) });
      }
    } catch (error) {
      if (error instanceof SweepConfigError) throw error;
      fail(`${where}${(error as Error).message}`);
    }
  });
  return { file, name: config.name ?? basename(file, extname(file)), text, config, arms, trials };
}

export function loadSweepFile(file: string): SweepPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SweepConfigError(file, `cannot read the sweep file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseSweepText(text, file);
}

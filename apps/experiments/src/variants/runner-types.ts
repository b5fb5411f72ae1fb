// What the experiments app needs from each variant beyond its package's spec: how to evaluate a
// trained model on the test split, which pictures to log, and what the variant can take (a
// prior, the dataset's classes). A variant is defined once, typed by its model: no casts.
import type { ColumnStats, EvaluationTarget, ImageDataset, ModelSpec, TrainableModel } from '@vaelab/core';
import type { EvaluationSpec } from '../config/evaluation-schema.js';

export interface TrialData {
  train: ImageDataset;
  /** Test images of the trained classes. */
  test: ImageDataset;
  /** Test images of the classes the dataset holds out of training (dataset.holdOutClasses). */
  anomalies?: ImageDataset;
  /** A table's standardisation, from the training split only (recorded with each run). */
  standardization?: ColumnStats;
}

export interface LoggedImage {
  key: string;
  png: Buffer;
  caption: string;
}

/** Metrics and pictures logged together at one step. */
export interface TrialReport {
  metrics: Record<string, number>;
  images: LoggedImage[];
}

/** The sweep file's `evaluation` settings. */
export type EvaluationSettings = EvaluationSpec;

export interface EvaluationContext {
  seed: number;
  /** True for the evaluation after the last step (the expensive extras run then). */
  final: boolean;
  settings: EvaluationSettings;
}

/** Every variant's config is a plain JSON object. */
export type PlainConfig = Record<string, unknown>;

export interface VariantDefinition<Config extends PlainConfig, Model extends TrainableModel> {
  spec: ModelSpec<Config, Model>;
  /** The npm package the variant lives in (recorded with each run's versions). */
  packageName: string;
  /** Metric keys evaluate() and finish() report (the sweep's metric must be one of these or a step metric). */
  evalMetrics: readonly string[];
  /** The metric the summary table shows. */
  headlineMetric: string;
  /** Takes the dataset's class count as `numClasses` unless the config sets it. */
  conditionsOnClasses?: boolean;
  /** Convolutional only: refuses tables (feature rows). */
  needsImages?: boolean;
  /** Accepts a `prior:` section, fitted after training so the model can sample. */
  fitsPrior?: boolean;
  evaluate(model: Model, data: TrialData, context: EvaluationContext): Promise<TrialReport>;
  /** The model as the common evaluation suite sees it. */
  target(model: Model, data: TrialData, settings: EvaluationSettings): EvaluationTarget;
  finish?(model: Model, data: TrialData, seed: number, prior: Record<string, unknown>): Promise<TrialReport>;
}

/** A model being trained, with its variant's evaluation bound to it. */
export interface TrialModel {
  model: TrainableModel;
  evaluate(data: TrialData, context: EvaluationContext): Promise<TrialReport>;
  target(data: TrialData, settings: EvaluationSettings): EvaluationTarget;
  finish?(data: TrialData, seed: number, prior: Record<string, unknown>): Promise<TrialReport>;
}

export interface Variant extends Omit<VariantDefinition<PlainConfig, TrainableModel>, 'evaluate' | 'finish' | 'target'> {
  create(config: Record<string, unknown>): TrialModel;
}

export function defineVariant<Config extends PlainConfig, Model extends TrainableModel>(definition: VariantDefinition<Config, Model>): Variant {
  const { evaluate, finish, target, ...facts } = definition;
  return {
    ...facts,
    create: (config) => {
      const model = facts.spec.create(config);
      return {
        model,
        evaluate: (data, context) => evaluate(model, data, context),
        target: (data, settings) => target(model, data, settings),
        ...(finish ? { finish: (data: TrialData, seed: number, prior: Record<string, unknown>) => finish(model, data, seed, prior) } : {}),
      };
    },
  };
}

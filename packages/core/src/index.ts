// @vaelab/core: the public surface shared by every variant and the experiments app, by area.
// Test helpers are in @vaelab/core/testing; hand-written kernels stay internal to useBackend.
// tfjs-core's declarations use the global `Long` type without referencing it; this makes every
// user's type check find it (@types/long is a dependency for that reason).
/// <reference types="long" preserve="true" />
export * as tf from '@tensorflow/tfjs-core';

// Backends
export { BACKEND_NAMES, describeBackend, isGpuBackend, tfjsNodeProblem, useBackend } from './backend/select-backend.js';
export type { BackendChoice, BackendOptions, BackendReport, ConcreteBackend, TfjsNodePackage } from './backend/select-backend.js';
export { vulkanProblem } from './backend/webgpu.js';

// Data
export { concatDatasets, exampleSize, filterByLabel, selectExamples, takeExamples, type ImageDataset } from './data/dataset.js';
export { parseIdx, readIdxFile, type IdxArray } from './data/idx.js';
export { defaultMnistDir, loadMnist, type MnistSplit } from './data/mnist.js';
export { loadImageFolder, type ImageFolderOptions } from './data/sources/image-folder.js';
export { loadNpyDataset, type NpyDatasetOptions } from './data/sources/npy-dataset.js';
export { parseNpy, readNpyArrays, type NpyArray } from './data/sources/npy.js';
export { loadCsvTable, type CsvTableOptions } from './data/sources/csv-table.js';
export { loadIdxPair } from './data/sources/idx-pair.js';
export { columnStats, splitDataset, standardize, type ColumnStats } from './data/split.js';
export { generateShapes, hasFactors, SHAPE_FACTOR_NAMES, SHAPE_NAMES, type ShapesDataset, type ShapesOptions } from './data/shapes.js';
export { batchesPerEpoch, disposeBatch, epochOrder, makeBatch, sequentialBatches, type Batch } from './data/batches.js';

// Layers
export { ParamSet } from './layers/params.js';
export { convDownLayer, convLayer, convUpLayer, denseLayer, sequential, type Activation, type Layer } from './layers/layers.js';
export { buildDecoder, buildEncoder, buildGridDecoder, type ArchitectureConfig, type InputShape } from './layers/networks.js';

// Losses (closed forms; each cites its equation)
export { klElementwise, klPerDimension, klStandardNormal } from './losses/kl.js';
export { freeBitsKl } from './losses/free-bits.js';
export { bernoulliNll, gaussianNll, learnedGaussianNll, squaredError } from './losses/reconstruction.js';
export { vaeLoss, type LossOutput } from './losses/vae-loss.js';
export { klScheduleSchema, klWeightAt, type KlSchedule } from './losses/kl-schedule.js';

// Models: the variant contract, and the Gaussian VAE every Gaussian variant composes
export { configParser, defineModelSpec, type ModelSpec } from './model/model-spec.js';
export type { StepContext, TrainableModel } from './model/types.js';
export type { Condition, ConditionOptions, LabelInput } from './model/condition.js';
export { elboObjective, type Objective } from './model/objective.js';
export type { GaussianLatentModel } from './model/gaussian-latent.js';
export { gaussianLatentTerms, negativeElboPerExample, type GaussianLatentTerms } from './model/gaussian-latent-loss.js';
export { GaussianVae, type GaussianVaeParts, type SampleOptions } from './model/gaussian-vae.js';
export { createVae, vaeSpec } from './model/vae-spec.js';
export { outputMean, reconstructionNll } from './model/likelihood.js';
export { reparameterize } from './model/reparameterize.js';
export { stopGradient, straightThrough, type CustomGradFunc } from './model/gradient-ops.js';
export {
  architectureSchema, defaultVaeConfig, fixedLikelihoodSchema, likelihoodSchema, parseVaeConfig, vaeConfigSchema, type LikelihoodConfig, type VaeConfig,
} from './model/vae-config.js';

// Training
export { Adam, type AdamOptions } from './train/adam.js';
export {
  decodeCheckpoint, disposeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint, type CheckpointContents, type TrainPosition,
} from './train/checkpoint.js';
export { clipByGlobalNorm, globalNorm } from './train/clip.js';
export { defaultTrainConfig, parseTrainConfig, trainConfigSchema, type TrainConfig } from './train/train-config.js';
export { firstNonFinite, NonFiniteLossError, TrainingStopped } from './train/train-errors.js';
export { Trainer, type CheckpointWriter, type EpochSummary, type FitOptions, type FitProgress, type FitResult, type StepRecord } from './train/trainer.js';

// Evaluation
export { evaluateGaussianModel, importanceWeightedNll, type EvalOptions, type EvalReport } from './eval/evaluate.js';
export { meanImageMse } from './eval/baselines.js';
export {
  classifierAccuracy, DigitClassifier, defaultClassifierConfig, loadOrTrainDigitClassifier, trainDigitClassifier, type ClassifierConfig,
} from './eval/digit-classifier.js';
export { mutualInformationGap, type MigResult } from './eval/mig.js';
export { latentTraversal } from './eval/traversal.js';
// The evaluation suite every variant is measured by (through its EvaluationTarget)
export type { EvaluationTarget, FamilyMetricOptions } from './eval/evaluation-target.js';
export { gaussianTarget, type GaussianTargetOptions } from './eval/gaussian-target.js';
export { EVALUATION_GROUPS, runEvaluationSuite, type EvaluationGroup, type SuiteData, type SuiteImage, type SuiteOptions, type SuiteReport } from './eval/suite.js';
export { auprc, auroc } from './eval/ranking.js';
export { featureStats, frechetDistance, type FeatureStats } from './eval/frechet.js';
export { linearProbeAccuracy, type LabelledFeatures, type ProbeOptions } from './eval/linear-probe.js';
export { fitPca, pcaReconstructionError, type PcaModel } from './eval/pca.js';
export { latentPath, type PathKind } from './eval/latent-path.js';
export { labelledSubset } from './eval/few-labels.js';
export { collectRows } from './eval/collect.js';

// Pictures
export { imageGridPng, tensorGridPng, type GridOptions } from './image/png-grid.js';

// Utilities
export { createRng, deriveSeed, SAMPLE_STREAM, shuffledIndices } from './util/random.js';
export { formatIssues, parseWith } from './util/validate.js';
export { yieldToEventLoop } from './util/yield.js';

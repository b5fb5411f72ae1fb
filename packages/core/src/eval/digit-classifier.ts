// A small conv digit classifier (conv 5×5×16 /2, conv 5×5×32 /2, dense 128, softmax) used to
// score generated samples: "is this sample the class it was asked to be?". Trained with the
// shared loop; its network is core's conv encoder with numClasses outputs.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/batches.js';
import { sequentialBatches, disposeBatch } from '../data/batches.js';
import type { ImageDataset } from '../data/dataset.js';
import type { Layer } from '../layers/layers.js';
import { type ArchitectureConfig, buildEncoderParts } from '../layers/networks.js';
import { sequential } from '../layers/layers.js';
import { ParamSet } from '../layers/params.js';
import type { LossOutput } from '../losses/vae-loss.js';
import type { StepContext, TrainableModel } from '../model/types.js';
import { loadCheckpoint, disposeCheckpoint } from '../train/checkpoint.js';
import { parseTrainConfig } from '../train/train-config.js';
import { Trainer } from '../train/trainer.js';
import { yieldToEventLoop } from '../util/yield.js';

export interface ClassifierConfig {
  inputShape: [number, number, number];
  numClasses: number;
  architecture: ArchitectureConfig;
  seed: number;
}

/** Stamped on its checkpoints (a tool of evaluation, not a variant). */
const DIGIT_CLASSIFIER = { name: 'digit-classifier' } as const;

export class DigitClassifier implements TrainableModel {
  readonly spec = DIGIT_CLASSIFIER;
  readonly params: ParamSet;
  private readonly net: Layer;
  private readonly body: Layer;
  /** Width of features(): the last hidden layer. */
  readonly featureUnits: number;

  constructor(readonly config: ClassifierConfig) {
    this.params = new ParamSet(config.seed);
    const parts = buildEncoderParts(this.params, config.architecture, config.inputShape, config.numClasses);
    this.body = parts.body;
    this.featureUnits = parts.featureUnits;
    this.net = sequential([parts.body, parts.head]);
  }

  get trainableVariables(): tf.Variable[] {
    return this.params.variables;
  }

  logits(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.net(x) as tf.Tensor2D);
  }

  /** Class probabilities, [B, numClasses]. */
  probabilities(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.net(x)) as tf.Tensor2D);
  }

  /** Activations of the last hidden layer, [B, featureUnits]: the space Fréchet distances are measured in. */
  features(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.body(x) as tf.Tensor2D);
  }

  predict(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => tf.argMax(this.net(x), 1) as tf.Tensor1D);
  }

  computeLoss(batch: Batch, _ctx: StepContext): LossOutput {
    if (batch.labels == null) throw new Error('the digit classifier needs labelled batches');
    return tf.tidy(() => {
      const onehot = tf.oneHot(batch.labels!, this.config.numClasses);
      const crossEntropy = tf.losses.softmaxCrossEntropy(onehot, this.net(batch.x)) as tf.Scalar;
      return { total: crossEntropy, parts: { crossEntropy } };
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Fraction of examples whose predicted class equals their label. */
export async function classifierAccuracy(model: DigitClassifier, dataset: ImageDataset): Promise<number> {
  let correct = 0;
  for (const batch of sequentialBatches(dataset, 1000)) {
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(model.predict(batch.x), batch.labels!), 'int32')));
    correct += (await hits.data())[0];
    hits.dispose();
    disposeBatch(batch);
    await yieldToEventLoop();
  }
  return correct / dataset.count;
}

export const defaultClassifierConfig: ClassifierConfig = {
  inputShape: [28, 28, 1],
  numClasses: 10,
  architecture: { kind: 'conv', filters: [16, 32], kernelSize: 5, denseUnits: 128 },
  seed: 0,
};

export interface ClassifierTrainOptions {
  /** Default 2; ignored when `steps` is set. */
  epochs?: number;
  /** A fixed number of updates whatever the set's size (the augmentation comparison trains both arms alike). */
  steps?: number;
  seed?: number;
  checkpointPath?: string;
}

/** Trains the classifier (Adam 1e-3, batch 128; 2 epochs unless told), saving it to `checkpointPath` if given. */
export async function trainDigitClassifier(train: ImageDataset, options: ClassifierTrainOptions = {}): Promise<DigitClassifier> {
  const model = new DigitClassifier({ ...defaultClassifierConfig, inputShape: train.inputShape, numClasses: train.numClasses, seed: options.seed ?? 0 });
  const budget = options.steps != null ? { steps: options.steps, epochs: 1_000_000 } : { epochs: options.epochs ?? 2 };
  const trainer = new Trainer(model, parseTrainConfig({ ...budget, seed: options.seed ?? 0, logEvery: 100 }));
  try {
    await trainer.fit(train);
    if (options.checkpointPath) await trainer.save(options.checkpointPath);
  } finally {
    trainer.dispose();
  }
  return model;
}

/** Loads a classifier checkpoint, or trains one and saves it there when none exists yet. */
export async function loadOrTrainDigitClassifier(checkpointPath: string, train: () => ImageDataset): Promise<DigitClassifier> {
  if (!existsSync(checkpointPath)) return trainDigitClassifier(train(), { checkpointPath });
  const ckpt = loadCheckpoint(checkpointPath);
  if (ckpt.variant !== DIGIT_CLASSIFIER.name) throw new Error(`${checkpointPath}: holds a "${ckpt.variant}" checkpoint, not a digit classifier`);
  const model = new DigitClassifier(ckpt.modelConfig as ClassifierConfig);
  model.params.assign(ckpt.params);
  disposeCheckpoint(ckpt);
  return model;
}

// A linear probe: multinomial logistic regression on frozen features, trained in tfjs (full
// batch Adam on standardised features with a small L2 penalty). Its test accuracy says how much
// of the label a representation exposes linearly, the usual measure of features for few labels.
import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from '../util/yield.js';

export interface LabelledFeatures {
  /** Example-major rows of `dim` values. */
  features: Float32Array;
  labels: Int32Array;
  dim: number;
}

export interface ProbeOptions {
  numClasses: number;
  /** Optimiser steps (full batch); default 300. */
  steps?: number;
  learningRate?: number;
  /** L2 penalty on the weights; default 1e-3. */
  l2?: number;
}

function rows(set: LabelledFeatures, name: string): number {
  const n = set.features.length / set.dim;
  if (!Number.isInteger(n) || n !== set.labels.length) throw new Error(`${name}: ${set.features.length} feature values and ${set.labels.length} labels do not make rows of ${set.dim}`);
  return n;
}

/** Trains the probe on `train` and returns its accuracy on `test`. Leaves no tensors behind. */
export async function linearProbeAccuracy(train: LabelledFeatures, test: LabelledFeatures, options: ProbeOptions): Promise<number> {
  if (train.dim !== test.dim) throw new Error(`probe: train features have ${train.dim} values, test features ${test.dim}`);
  const n = rows(train, 'probe train set');
  const m = rows(test, 'probe test set');
  const { numClasses: c, steps = 300, learningRate = 0.05, l2 = 1e-3 } = options;
  const d = train.dim;
  const x = tf.tensor2d(train.features, [n, d]);
  const { mean, variance } = tf.moments(x, 0);
  const std = tf.tidy(() => tf.add(tf.sqrt(variance), 1e-6));
  const xs = tf.tidy(() => tf.div(tf.sub(x, mean), std));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), c));
  const w = tf.tidy(() => tf.variable(tf.zeros([d, c])));
  const b = tf.tidy(() => tf.variable(tf.zeros([c])));
  const optimizer = tf.train.adam(learningRate);
  try {
    for (let s = 0; s < steps; s++) {
      const loss = optimizer.minimize(() => tf.tidy(() => {
        const ce = tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(xs, w), b)) as tf.Scalar;
        return tf.add(ce, tf.mul(l2, tf.sum(tf.square(w)))) as tf.Scalar;
      }), true);
      loss?.dispose();
      if (s % 50 === 49) await yieldToEventLoop();
    }
    const hits = tf.tidy(() => {
      const xt = tf.div(tf.sub(tf.tensor2d(test.features, [m, d]), mean), std);
      const predicted = tf.argMax(tf.add(tf.matMul(xt, w), b), 1);
      return tf.sum(tf.cast(tf.equal(predicted, tf.tensor1d(test.labels, 'int32')), 'float32'));
    });
    const correct = (await hits.data())[0];
    hits.dispose();
    return correct / m;
  } finally {
    tf.dispose([x, mean, variance, std, xs, y, w, b]);
    optimizer.dispose();
  }
}

// Lloyd's k-means for codebook initialisation (as in Zeghidour et al. 2021, SoundStream §3.2),
// seeded with k-means++ (Arthur & Vassilvitskii 2007: each next centre drawn with probability
// ∝ squared distance to the nearest chosen one); a cluster that empties keeps its centre.
import { deriveSeed, tf } from '@vaelab/core';
import { nearestCodeIndices } from './quantizer.js';
import { sampleCategorical } from './sampling.js';

function squaredDistanceTo(points: tf.Tensor2D, centre: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.squaredDifference(points, centre), 1) as tf.Tensor1D;
}

/** k starting centres [k, D] by k-means++. */
export function kMeansPlusPlus(points: tf.Tensor2D, k: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = points.shape[0];
    const first = tf.gather(points, tf.randomUniform([1], 0, n, 'int32', seed)) as tf.Tensor2D;
    const centres = [first];
    let nearest = squaredDistanceTo(points, first);
    for (let i = 1; i < k; i++) {
      const pick = sampleCategorical(tf.reshape(tf.log(nearest), [1, n]) as tf.Tensor2D, deriveSeed(seed, i));
      const centre = tf.gather(points, pick) as tf.Tensor2D;
      centres.push(centre);
      nearest = tf.minimum(nearest, squaredDistanceTo(points, centre));
    }
    return tf.concat(centres) as tf.Tensor2D;
  });
}

export function kMeans(points: tf.Tensor2D, k: number, iterations: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    let centres = kMeansPlusPlus(points, k, seed);
    for (let i = 0; i < iterations; i++) {
      const onehot = tf.oneHot(nearestCodeIndices(points, centres), k, 1, 0, 'float32');
      const counts = tf.expandDims(tf.sum(onehot, 0), 1);
      const sums = tf.matMul(onehot, points, true, false);
      const next = tf.where(tf.greater(counts, 0), tf.div(sums, tf.maximum(counts, 1)), centres) as tf.Tensor2D;
      centres.dispose();
      centres = next;
    }
    return centres;
  });
}

// float32 one-hot rows. tfjs's WASM OneHot kernel ignores the dtype argument and writes int32
// bits into a float32 tensor (1 reads back as 1.4e-45), so the dtype is changed with a cast.
import * as tf from '@tensorflow/tfjs-core';

export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(tf.reshape(indices, [-1]), 'int32'), depth), 'float32') as tf.Tensor2D);
}

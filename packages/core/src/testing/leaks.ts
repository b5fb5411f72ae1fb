// Leak checks for tests: a step or model call must leave tf.memory().numTensors unchanged.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` once to let lazily created state (optimiser moments) appear, then again and
 * throws if the second run changed the number of live tensors.
 */
export async function expectNoLeak(fn: () => unknown, what = 'operation'): Promise<void> {
  const dispose = (value: unknown) => {
    if (value instanceof tf.Tensor) value.dispose();
  };
  dispose(await fn());
  const before = tf.memory().numTensors;
  dispose(await fn());
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${what} leaked ${after - before} tensor(s) (${before} before, ${after} after)`);
}

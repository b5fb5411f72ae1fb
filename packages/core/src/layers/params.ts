// A named, seeded collection of trainable variables. Names are ours ("encoder/dense0/kernel"),
// independent of tfjs's global variable registry, so checkpoints travel between processes.
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../util/random.js';

export class ParamSet {
  private readonly vars = new Map<string, tf.Variable>();

  constructor(private readonly seed: number) {}

  /** PyTorch's default for Linear/Conv: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weights and biases. */
  addFanInUniform(name: string, shape: number[], fanIn: number): tf.Variable {
    return this.addUniform(name, shape, 1 / Math.sqrt(fanIn));
  }

  addUniform(name: string, shape: number[], bound: number): tf.Variable {
    const seed = deriveSeed(this.seed, this.vars.size + 1);
    return this.add(name, tf.tidy(() => tf.randomUniform(shape, -bound, bound, 'float32', seed)));
  }

  /** Non-trained state saved with the weights (EMA statistics, usage counters). */
  addState(name: string, initial: tf.Tensor): tf.Variable {
    return this.add(name, initial, false);
  }

  addNormal(name: string, shape: number[], stddev: number): tf.Variable {
    const seed = deriveSeed(this.seed, this.vars.size + 1);
    return this.add(name, tf.tidy(() => tf.randomNormal(shape, 0, stddev, 'float32', seed)));
  }

  addZeros(name: string, shape: number[]): tf.Variable {
    return this.add(name, tf.zeros(shape));
  }

  private add(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    if (this.vars.has(name)) throw new Error(`parameter "${name}" is defined twice`);
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    this.vars.set(name, variable);
    return variable;
  }

  get variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** The variables an optimiser updates (state added with addState is left out). */
  get trainableVariables(): tf.Variable[] {
    return this.variables.filter((v) => v.trainable);
  }

  entries(): [string, tf.Variable][] {
    return [...this.vars.entries()];
  }

  get(name: string): tf.Variable {
    const variable = this.vars.get(name);
    if (variable == null) throw new Error(`no parameter named "${name}"`);
    return variable;
  }

  /** Replaces every value; names and shapes must match exactly. */
  assign(values: Map<string, tf.Tensor>): void {
    for (const [name, variable] of this.vars) {
      const value = values.get(name);
      if (value == null) throw new Error(`checkpoint has no value for parameter "${name}"`);
      if (value.shape.join('x') !== variable.shape.join('x')) {
        throw new Error(`parameter "${name}" has shape [${variable.shape}] but the checkpoint has [${value.shape}]`);
      }
      variable.assign(value);
    }
    for (const name of values.keys()) {
      if (!this.vars.has(name)) throw new Error(`checkpoint parameter "${name}" does not exist in this model`);
    }
  }

  dispose(): void {
    for (const variable of this.vars.values()) variable.dispose();
    this.vars.clear();
  }
}

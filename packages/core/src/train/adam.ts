// Adam (Kingma & Ba 2015, Algorithm 1) in PyTorch's exact form, with state keyed by our
// parameter names so a checkpoint restores it in any process (tfjs's Adam keys state by position).
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../backend/kernels/adam-update.js';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Number of updates applied so far. */
  step = 0;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(options: AdamOptions) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  private momentsOf(name: string, param: tf.Variable): { m: tf.Variable; v: tf.Variable } {
    let state = this.moments.get(name);
    if (state == null) {
      state = { m: tf.variable(tf.zerosLike(param), false), v: tf.variable(tf.zerosLike(param), false) };
      this.moments.set(name, state);
    }
    return state;
  }

  /** One update of every named parameter with its gradient. */
  apply(params: [string, tf.Variable][], grads: tf.Tensor[]): void {
    this.step += 1;
    const stepSize = this.learningRate / (1 - this.beta1 ** this.step);
    const secondCorrection = Math.sqrt(1 - this.beta2 ** this.step);
    // One fused kernel per variable where core registered it (wasm); op by op elsewhere.
    const fused = tf.getKernel(ADAM_UPDATE, tf.getBackend()) != null;
    const attrs: AdamUpdateAttrs = { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, stepSize, secondCorrection };
    tf.tidy(() => {
      params.forEach(([name, param], i) => {
        const g = grads[i];
        const { m, v } = this.momentsOf(name, param);
        if (fused) {
          const [p1, m1, v1] = tf.engine().runKernel(ADAM_UPDATE, { param, grad: g, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          param.assign(p1);
          m.assign(m1);
          v.assign(v1);
          return;
        }
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), secondCorrection), this.epsilon);
        param.assign(tf.sub(param, tf.mul(tf.div(m, denom), stepSize)));
      });
    });
  }

  /** Moment tensors by name ("<param>/m", "<param>/v") for checkpoints. */
  stateTensors(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, { m, v }] of this.moments) {
      out.set(`${name}/m`, m);
      out.set(`${name}/v`, v);
    }
    return out;
  }

  loadState(step: number, tensors: Map<string, tf.Tensor>): void {
    this.dispose();
    this.step = step;
    for (const [key, value] of tensors) {
      const name = key.slice(0, key.lastIndexOf('/'));
      const which = key.slice(key.lastIndexOf('/') + 1);
      if (which !== 'm' && which !== 'v') throw new Error(`unexpected optimizer state "${key}"`);
      const state = this.moments.get(name) ?? ({} as { m: tf.Variable; v: tf.Variable });
      state[which] = tf.variable(value, false);
      this.moments.set(name, state);
    }
  }

  dispose(): void {
    for (const { m, v } of this.moments.values()) {
      m?.dispose();
      v?.dispose();
    }
    this.moments.clear();
  }
}

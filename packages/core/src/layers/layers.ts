// Dense, conv and transposed-conv layers as closures over variables in a ParamSet.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamSet } from './params.js';

export type Activation = 'relu' | 'linear';
export type Layer = (x: tf.Tensor) => tf.Tensor;

export function denseLayer(params: ParamSet, name: string, inUnits: number, outUnits: number, activation: Activation): Layer {
  const kernel = params.addFanInUniform(`${name}/kernel`, [inUnits, outUnits], inUnits);
  const bias = params.addFanInUniform(`${name}/bias`, [outUnits], inUnits);
  // fused matMul+bias+relu: one kernel forward, fewer intermediates backward.
  return (x) => tf.fused.matMul({ a: x as tf.Tensor2D, b: kernel as tf.Tensor2D, bias, activation });
}

/** 'same' convolution; stride 2 halves height and width. */
export function convLayer(
  params: ParamSet, name: string, inChannels: number, outChannels: number, kernelSize: number, stride: 1 | 2, activation: Activation,
): Layer {
  const fanIn = kernelSize * kernelSize * inChannels;
  const kernel = params.addFanInUniform(`${name}/kernel`, [kernelSize, kernelSize, inChannels, outChannels], fanIn);
  const bias = params.addFanInUniform(`${name}/bias`, [outChannels], fanIn);
  return (x) => {
    const y = tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, stride, 'same'), bias);
    return activation === 'relu' ? tf.relu(y) : y;
  };
}

/** Stride-2 'same' convolution halving height and width. */
export function convDownLayer(
  params: ParamSet, name: string, inChannels: number, outChannels: number, kernelSize: number, activation: Activation,
): Layer {
  return convLayer(params, name, inChannels, outChannels, kernelSize, 2, activation);
}

/** Stride-2 'same' transposed convolution doubling height and width. */
export function convUpLayer(
  params: ParamSet, name: string, inChannels: number, outChannels: number, kernelSize: number, activation: Activation,
): Layer {
  const fanIn = kernelSize * kernelSize * outChannels;
  // tfjs stores transposed-conv filters as [kh, kw, outChannels, inChannels].
  const kernel = params.addFanInUniform(`${name}/kernel`, [kernelSize, kernelSize, outChannels, inChannels], fanIn);
  const bias = params.addFanInUniform(`${name}/bias`, [outChannels], fanIn);
  return (x) => {
    const [batch, height, width] = x.shape;
    const outShape: [number, number, number, number] = [batch, height * 2, width * 2, outChannels];
    const y = tf.add(tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, outShape, 2, 'same'), bias);
    return activation === 'relu' ? tf.relu(y) : y;
  };
}

export function sequential(layers: Layer[]): Layer {
  return (x) => layers.reduce((h, layer) => layer(h), x);
}

// Encoder and decoder builders from config: MLP, or a stride-2 conv stack mirrored by
// transposed convs (the DCGAN-style layout most VAE papers use on MNIST and dSprites).
import * as tf from '@tensorflow/tfjs-core';
import { convDownLayer, convUpLayer, denseLayer, type Layer, sequential } from './layers.js';
import type { ParamSet } from './params.js';

export type ArchitectureConfig =
  | { kind: 'mlp'; hiddenUnits: number[] }
  | { kind: 'conv'; filters: number[]; kernelSize: number; denseUnits: number };

export type InputShape = [number, number, number];

function flatSize(shape: InputShape): number {
  return shape[0] * shape[1] * shape[2];
}

function denseStack(params: ParamSet, prefix: string, sizes: number[], lastActivation: 'relu' | 'linear'): Layer[] {
  return sizes.slice(1).map((units, i) =>
    denseLayer(params, `${prefix}/dense${i}`, sizes[i], units, i === sizes.length - 2 ? lastActivation : 'relu'));
}

function convBottom(shape: InputShape, levels: number): [number, number] {
  const factor = 2 ** levels;
  if (shape[0] % factor !== 0 || shape[1] % factor !== 0) {
    throw new Error(`conv architecture with ${levels} stride-2 layers needs height and width divisible by ${factor}, got ${shape[0]}x${shape[1]}`);
  }
  return [shape[0] / factor, shape[1] / factor];
}

/**
 * Maps images [B,H,W,C+extraChannels] to [B, outUnits]. `extraChannels` carries conditions
 * (CVAE); for an MLP they are appended to the flattened pixels as `extraChannels` features.
 */
export function buildEncoder(
  params: ParamSet, arch: ArchitectureConfig, inputShape: InputShape, outUnits: number, extra = 0,
): Layer {
  if (arch.kind === 'mlp') {
    const sizes = [flatSize(inputShape) + extra, ...arch.hiddenUnits, outUnits];
    const layers = denseStack(params, 'encoder', sizes, 'linear');
    return sequential([(x) => tf.reshape(x, [x.shape[0], -1]), ...layers]);
  }
  const [h, w] = convBottom(inputShape, arch.filters.length);
  const channels = [inputShape[2] + extra, ...arch.filters];
  const convs = arch.filters.map((f, i) => convDownLayer(params, `encoder/conv${i}`, channels[i], f, arch.kernelSize, 'relu'));
  const flat = h * w * arch.filters[arch.filters.length - 1];
  const sizes = arch.denseUnits > 0 ? [flat, arch.denseUnits, outUnits] : [flat, outUnits];
  return sequential([...convs, (x) => tf.reshape(x, [x.shape[0], flat]), ...denseStack(params, 'encoder', sizes, 'linear')]);
}

/** Maps latents [B, inUnits] to per-pixel logits (or means) [B,H,W,C]. */
export function buildDecoder(params: ParamSet, arch: ArchitectureConfig, inputShape: InputShape, inUnits: number): Layer {
  if (arch.kind === 'mlp') {
    const sizes = [inUnits, ...[...arch.hiddenUnits].reverse(), flatSize(inputShape)];
    const layers = denseStack(params, 'decoder', sizes, 'linear');
    return sequential([...layers, (x) => tf.reshape(x, [x.shape[0], ...inputShape])]);
  }
  const [h, w] = convBottom(inputShape, arch.filters.length);
  const reversed = [...arch.filters].reverse();
  const bottom = h * w * reversed[0];
  const sizes = arch.denseUnits > 0 ? [inUnits, arch.denseUnits, bottom] : [inUnits, bottom];
  const dense = denseStack(params, 'decoder', sizes, 'relu');
  const channels = [...reversed, inputShape[2]];
  const ups = reversed.map((c, i) =>
    convUpLayer(params, `decoder/deconv${i}`, c, channels[i + 1], arch.kernelSize, i === reversed.length - 1 ? 'linear' : 'relu'));
  return sequential([...dense, (x) => tf.reshape(x, [x.shape[0], h, w, reversed[0]]), ...ups]);
}

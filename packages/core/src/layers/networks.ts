// Encoder and decoder builders from config: MLP, or a stride-2 conv stack mirrored by
// transposed convs (the DCGAN-style layout most VAE papers use on MNIST and dSprites).
import * as tf from '@tensorflow/tfjs-core';
import { convDownLayer, convLayer, convUpLayer, denseLayer, type Layer, sequential } from './layers.js';
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

/** An encoder split at its last hidden layer: `body` gives features, `head` maps them to the outputs. */
export interface EncoderParts {
  body: Layer;
  head: Layer;
  /** Width of the body's output (the input itself, flattened, when there is no hidden layer). */
  featureUnits: number;
}

/**
 * Maps images [B,H,W,C+extraChannels] to [B, outUnits]. `extraChannels` carries conditions
 * (CVAE); for an MLP they are appended to the flattened pixels as `extraChannels` features.
 */
export function buildEncoder(
  params: ParamSet, arch: ArchitectureConfig, inputShape: InputShape, outUnits: number, extra = 0,
): Layer {
  const { body, head } = buildEncoderParts(params, arch, inputShape, outUnits, extra);
  return sequential([body, head]);
}

/** buildEncoder's network in two parts (same parameter names), for features at its last hidden layer. */
export function buildEncoderParts(
  params: ParamSet, arch: ArchitectureConfig, inputShape: InputShape, outUnits: number, extra = 0,
): EncoderParts {
  let front: Layer[];
  let sizes: number[];
  if (arch.kind === 'mlp') {
    front = [(x) => tf.reshape(x, [x.shape[0], -1])];
    sizes = [flatSize(inputShape) + extra, ...arch.hiddenUnits, outUnits];
  } else {
    const [h, w] = convBottom(inputShape, arch.filters.length);
    const channels = [inputShape[2] + extra, ...arch.filters];
    const convs = arch.filters.map((f, i) => convDownLayer(params, `encoder/conv${i}`, channels[i], f, arch.kernelSize, 'relu'));
    const flat = h * w * arch.filters[arch.filters.length - 1];
    front = [...convs, (x) => tf.reshape(x, [x.shape[0], flat])];
    sizes = arch.denseUnits > 0 ? [flat, arch.denseUnits, outUnits] : [flat, outUnits];
  }
  const dense = denseStack(params, 'encoder', sizes, 'linear');
  return { body: sequential([...front, ...dense.slice(0, -1)]), head: dense[dense.length - 1], featureUnits: sizes[sizes.length - 2] };
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

/**
 * Maps a latent grid [B,h,w,inChannels] to per-pixel logits (or means) [B,h·2^L,w·2^L,outChannels]:
 * a 3×3 expansion, then one stride-2 transposed conv per filter (VQ-VAE's decoder).
 */
export function buildGridDecoder(params: ParamSet, filters: number[], kernelSize: number, inChannels: number, outChannels: number): Layer {
  const reversed = [...filters].reverse();
  const upChannels = [...reversed.slice(1), outChannels];
  return sequential([
    convLayer(params, 'decoder/expand', inChannels, reversed[0], 3, 1, 'relu'),
    ...reversed.map((f, i) => convUpLayer(params, `decoder/deconv${i}`, f, upChannels[i], kernelSize, i === reversed.length - 1 ? 'linear' : 'relu')),
  ]);
}

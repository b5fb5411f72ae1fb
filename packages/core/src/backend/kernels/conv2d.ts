// Conv2D for WASM: a product over gathered rows (gathered-conv.ts) where the output channels
// fit its tiles and each tap brings at least 4 input channels; XNNPACK's conv otherwise. XNNPACK
// packs the filter of every new tensor, and in training every filter is new after each step.
import {
  backend_util, Conv2D, type Conv2DAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { gatheredConv2d, gatheredOutputFits } from './gathered-conv.js';

export function gatheredConv2dConfig(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    const [, , inChannels, outChannels] = filter.shape;
    if ((dataFormat !== undefined && dataFormat !== 'NHWC') || !gatheredOutputFits(outChannels) || inChannels < 4) return stock(args);
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode,
    );
    return gatheredConv2d(args.backend as KernelBackend, x, filter, info);
  };
  return { kernelName: Conv2D, backendName: 'wasm', kernelFunc };
}

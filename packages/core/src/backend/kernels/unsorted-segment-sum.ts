// UnsortedSegmentSum (the gradient of Gather) for backends that lack it: a plain loop over
// rows, which is memory-bound anyway; ids outside [0, numSegments) are dropped as in TF.
import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { jsKernelIO } from './js-kernel-io.js';

export function unsortedSegmentSumConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
    const io = jsKernelIO(backend);
    const idCount = util.sizeFromShape(segmentIds.shape);
    const rowSize = util.sizeFromShape(x.shape) / Math.max(idCount, 1);
    const out = io.alloc([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
    const ids = io.view(segmentIds);
    const values = io.view(x);
    const target = io.view(out);
    target.fill(0);
    for (let i = 0; i < idCount; i++) {
      const id = ids[i];
      if (id < 0 || id >= numSegments) continue;
      const src = i * rowSize;
      const dst = id * rowSize;
      for (let j = 0; j < rowSize; j++) target[dst + j] += values[src + j];
    }
    return out;
  };
  return { kernelName: UnsortedSegmentSum, backendName, kernelFunc };
}

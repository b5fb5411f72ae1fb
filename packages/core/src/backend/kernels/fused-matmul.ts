// _FusedMatMul (dense layers: matmul + bias + activation) for WASM: where the heap products fit
// (heap-matmul.ts), computing the product as (Bᵀ·Aᵀ)ᵀ packs less (see batch-matmul.ts), or a
// transpose is asked for (the stock kernel's transposed path is a slow loop), the product goes
// that way and the activation (and the bias, where the heap product does not add it) follow as
// their own kernels; otherwise the stock kernel fuses all three.
import { _FusedMatMul, type _FusedMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelRunner } from '../kernel-compose.js';
import { orderedProduct, swapIsCheaper } from './batch-matmul.js';
import { heapProduct, heapProductFits, heapProductTakesBias } from './heap-matmul.js';

const SPLIT_ACTIVATIONS: Record<string, string | null> = { linear: null, relu: 'Relu', relu6: 'Relu6', sigmoid: 'Sigmoid', elu: 'Elu' };

export function fusedMatMulConfig(stock: KernelFunc, stockBatchMatMul: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<'a' | 'b' | 'bias' | 'preluActivationWeights', TensorInfo | undefined>;
    const { transposeA, transposeB, activation } = args.attrs as unknown as _FusedMatMulAttrs;
    const activationKernel = SPLIT_ACTIVATIONS[activation];
    if (preluActivationWeights != null || activationKernel === undefined) return stock(args);
    const heap = heapProductFits(a!, b!, transposeA, transposeB);
    const swap = !heap && swapIsCheaper(a!, b!, transposeA, transposeB);
    if (!heap && !transposeA && !transposeB && !swap) return stock(args);
    const k = kernelRunner(args.backend as KernelBackend, 'wasm');
    const plain = { transposeA: false, transposeB: false };
    const biasInProduct = heap && bias != null && heapProductTakesBias(a!, b!, transposeA, transposeB, bias);
    let out = heap ? heapProduct(k, args.backend as KernelBackend, a!, b!, transposeA, transposeB, biasInProduct ? bias : undefined)
      : orderedProduct(k, a!, b!, transposeA, transposeB, swap, (left, right) =>
        stockBatchMatMul({ inputs: { a: left, b: right }, backend: args.backend, attrs: plain }) as TensorInfo);
    if (bias != null && !biasInProduct) {
      const biased = k.run('Add', { a: out, b: bias });
      k.release(out);
      out = biased;
    }
    if (activationKernel != null) {
      const activated = k.run(activationKernel, { x: out });
      k.release(out);
      out = activated;
    }
    return out;
  };
  return { kernelName: _FusedMatMul, backendName: 'wasm', kernelFunc };
}

// Mutual Information Gap (Chen et al. 2018, eq. 6), with latents discretised into equal-width
// histogram bins as in disentanglement_lib: for each factor v_k, the gap between the two latents
// most informative about it, normalised by H(v_k), averaged over factors.

function entropy(counts: ArrayLike<number>, total: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) h -= (counts[i] / total) * Math.log(counts[i] / total);
  return h;
}

function discretise(values: Float32Array, n: number, d: number, j: number, bins: number): Int32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, values[i * d + j]);
    hi = Math.max(hi, values[i * d + j]);
  }
  const width = (hi - lo) / bins || 1;
  return Int32Array.from({ length: n }, (_, i) => Math.min(bins - 1, Math.floor((values[i * d + j] - lo) / width)));
}

function mutualInformation(a: Int32Array, aSize: number, b: Int32Array, bSize: number): number {
  const n = a.length;
  const joint = new Float64Array(aSize * bSize);
  const pa = new Float64Array(aSize);
  const pb = new Float64Array(bSize);
  for (let i = 0; i < n; i++) {
    joint[a[i] * bSize + b[i]]++;
    pa[a[i]]++;
    pb[b[i]]++;
  }
  let mi = 0;
  for (let x = 0; x < aSize; x++) {
    for (let y = 0; y < bSize; y++) {
      const c = joint[x * bSize + y];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (pa[x] * pb[y]));
    }
  }
  return mi;
}

export interface MigResult {
  mig: number;
  /** Normalised gap per factor (NaN for a constant factor, which is left out of the mean). */
  perFactor: number[];
}

/** latents: n × d (example-major); factors: n × k value indices with factorSizes[k] values each. */
export function mutualInformationGap(
  latents: Float32Array, latentDim: number, factors: Int32Array, factorSizes: number[], bins = 20,
): MigResult {
  const k = factorSizes.length;
  const n = factors.length / k;
  if (latents.length !== n * latentDim) throw new Error(`latents hold ${latents.length} values, expected ${n} × ${latentDim}`);
  if (latentDim < 2) throw new Error('MIG needs at least 2 latent dimensions');
  const codes = Array.from({ length: latentDim }, (_, j) => discretise(latents, n, latentDim, j, bins));
  const perFactor = factorSizes.map((size, f) => {
    const v = Int32Array.from({ length: n }, (_, i) => factors[i * k + f]);
    const h = entropy(Array.from({ length: size }, (_, x) => v.filter((y) => y === x).length), n);
    if (h === 0) return Number.NaN;
    const mis = codes.map((c) => mutualInformation(c, bins, v, size)).sort((a, b) => b - a);
    return (mis[0] - mis[1]) / h;
  });
  const defined = perFactor.filter((g) => !Number.isNaN(g));
  return { mig: defined.reduce((a, b) => a + b, 0) / Math.max(defined.length, 1), perFactor };
}

// Fréchet distance between Gaussians fitted to two feature sets (Heusel et al. 2017, the FID
// formula): ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½). Σ₁^½ Σ₂ Σ₁^½ is symmetric PSD with the
// same eigenvalues as Σ₁Σ₂, so the trace of its square root is the sum of the square roots of
// its eigenvalues; both come from ml-matrix's symmetric eigendecomposition.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface FeatureStats {
  mean: Float64Array;
  /** Row-major d×d sample covariance (n − 1 in the denominator). */
  covariance: Float64Array;
  dim: number;
  count: number;
}

/** Mean and covariance of n feature rows of width d (example-major). */
export function featureStats(features: ArrayLike<number>, dim: number): FeatureStats {
  const count = features.length / dim;
  if (!Number.isInteger(count) || count < 2) throw new Error(`feature statistics need at least 2 rows of ${dim} values, got ${features.length} values`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < features.length; i++) mean[i % dim] += features[i];
  for (let j = 0; j < dim; j++) mean[j] /= count;
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < dim; j++) centred[j] = features[r * dim + j] - mean[j];
    for (let a = 0; a < dim; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      for (let b = a; b < dim; b++) covariance[a * dim + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      covariance[a * dim + b] /= count - 1;
      covariance[b * dim + a] = covariance[a * dim + b];
    }
  }
  return { mean, covariance, dim, count };
}

function square(values: Float64Array, dim: number): Matrix {
  return new Matrix(Array.from({ length: dim }, (_, r) => Array.from(values.subarray(r * dim, (r + 1) * dim))));
}

/** Square root of a symmetric PSD matrix (tiny negative eigenvalues from rounding clamp to 0). */
function symmetricSqrt(m: Matrix): Matrix {
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = eig.eigenvectorMatrix;
  const roots = Matrix.diag(eig.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0))));
  return v.mmul(roots).mmul(v.transpose());
}

/** Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂). */
export function frechetDistance(a: FeatureStats, b: FeatureStats): number {
  if (a.dim !== b.dim) throw new Error(`feature widths differ: ${a.dim} and ${b.dim}`);
  const d = a.dim;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (a.mean[j] - b.mean[j]) ** 2;
  const sa = square(a.covariance, d);
  const sb = square(b.covariance, d);
  const rootA = symmetricSqrt(sa);
  const inner = rootA.mmul(sb).mmul(rootA);
  const symmetric = inner.add(inner.transpose()).div(2); // remove rounding asymmetry
  const eig = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true });
  const traceRoot = eig.realEigenvalues.reduce((s, l) => s + Math.sqrt(Math.max(l, 0)), 0);
  return Math.max(0, meanTerm + sa.trace() + sb.trace() - 2 * traceRoot);
}

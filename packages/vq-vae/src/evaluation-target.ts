// The VQ-VAE's evaluation target: features are the quantised vectors, the anomaly score is the
// reconstruction error, interpolation runs between encoder outputs before quantisation, and
// samples come from the attached prior over codes (none before one is fitted).
import { type EvaluationTarget, latentPath, tf } from '@vaelab/core';
import { evaluateVqVae } from './evaluate.js';
import type { VqVae } from './model.js';

export function vqVaeTarget(model: VqVae): EvaluationTarget {
  return {
    conditional: false,
    latentSize: model.latentShape[0] * model.latentShape[1],
    reconstruct: (batch) => model.reconstruct(batch.x),
    features: (batch) => tf.tidy(() => {
      const zq = model.quantizeLatent(model.encode(batch.x));
      return tf.reshape(zq, [batch.x.shape[0], -1]) as tf.Tensor2D;
    }),
    anomalyScores: (batch) => ({ reconstruction: model.anomalyScore(batch.x) }),
    sample: model.hasPrior ? (n, seed) => model.sample(n, { seed }) : null,
    interpolate: (a, b, steps) => tf.tidy(() => {
      const line = latentPath(model.encode(a.x), model.encode(b.x), steps, 'linear');
      return { linear: model.decode(model.quantizeLatent(line)) };
    }),
    familyMetrics: async (test, { latent }): Promise<Record<string, number>> => {
      if (!latent) return {}; // no likelihood: a VQ-VAE defines no bound on log p(x)
      const report = await evaluateVqVae(model, test);
      return { 'eval/perplexity': report.perplexity, 'eval/usedFraction': report.usedFraction };
    },
  };
}

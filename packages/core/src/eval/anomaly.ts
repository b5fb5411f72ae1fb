// Anomaly detection: normal test images against test images of classes held out of training,
// ranked by each anomaly score the model has, beside PCA with as many components as the model
// has latent dimensions (the baseline that makes an AUROC mean something).
import type { ImageDataset } from '../data/dataset.js';
import { collectRows } from './collect.js';
import type { EvaluationTarget } from './evaluation-target.js';
import { fitPca, pcaReconstructionError } from './pca.js';
import { auprc, auroc } from './ranking.js';

export async function anomalyDetection(
  target: EvaluationTarget, train: ImageDataset, normal: ImageDataset, anomalies: ImageDataset, seed: number,
): Promise<Record<string, number>> {
  const pca = await fitPca(train, Math.min(target.latentSize, train.inputShape.reduce((a, b) => a * b, 1)));
  try {
    const score = (set: ImageDataset) => collectRows(set, (b) => ({ ...target.anomalyScores(b, seed), pca: pcaReconstructionError(pca, b.x) }), 250);
    const [a, b] = [await score(normal), await score(anomalies)];
    const metrics: Record<string, number> = {};
    for (const name of Object.keys(a)) {
      const scores = new Float32Array([...a[name], ...b[name]]);
      const positive = Array.from(scores, (_, i) => i >= a[name].length);
      metrics[`eval/auroc/${name}`] = auroc(scores, positive);
      metrics[`eval/auprc/${name}`] = auprc(scores, positive);
    }
    return metrics;
  } finally {
    pca.dispose();
  }
}

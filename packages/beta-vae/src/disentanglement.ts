// MIG of a Gaussian-latent model on a dataset with known factors, from posterior means.
import { disposeBatch, type GaussianLatentModel, mutualInformationGap, type MigResult, sequentialBatches, type ShapesDataset, yieldToEventLoop } from '@vaelab/core';

export async function modelMig(model: GaussianLatentModel, data: ShapesDataset, bins = 20): Promise<MigResult> {
  const means = new Float32Array(data.count * model.latentDim);
  let offset = 0;
  for (const batch of sequentialBatches(data, 500)) {
    const { zMean, zLogVar } = model.encodeBatch(batch);
    const values = (await zMean.data()) as Float32Array;
    means.set(values, offset);
    offset += values.length;
    zMean.dispose();
    zLogVar.dispose();
    disposeBatch(batch);
    await yieldToEventLoop();
  }
  return mutualInformationGap(means, model.latentDim, data.factors, data.factorSizes, bins);
}

// The Gaussian-latent explorer's facts: the decoder's shape, each latent dimension's KL over the
// run's test images (the page orders its sliders by it) and a few test images with their
// posterior means (the page spans a decoding plane between two of them).
import { type GaussianVae, type ImageDataset, klPerDimension, tf } from '@vaelab/core';
import { EXAMPLES, exampleThumbnails } from './explorer-payload.js';

export async function gaussianExplorer(model: GaussianVae, images: ImageDataset | null) {
  const config = model.config as typeof model.config & { numClasses?: number };
  const encoded = images == null ? null : tf.tidy(() => {
    const x = tf.tensor4d(images.images, [images.count, ...images.inputShape]);
    const labels = model.conditional ? tf.tensor1d(images.labels, 'int32') : undefined;
    const { zMean, zLogVar } = model.encode(x, { labels });
    return { klPerDim: klPerDimension(zMean, zLogVar), zMean: tf.slice(zMean, 0, Math.min(EXAMPLES, images.count)) };
  });
  const means = encoded == null ? [] : ((await encoded.zMean.array()) as number[][]);
  const kl = encoded == null ? null : Array.from(await encoded.klPerDim.data());
  if (encoded != null) tf.dispose([encoded.zMean, encoded.klPerDim]);
  return {
    kind: 'gaussian' as const,
    latentDim: config.latentDim, inputShape: config.inputShape, architecture: config.architecture, likelihood: config.likelihood.kind, seed: config.seed,
    /** Decoder inputs after the latent: the one-hot class of a CVAE (0 otherwise). */
    classes: model.conditional ? config.numClasses ?? 0 : 0,
    /** Mean KL(q(z_d|x) || N(0,1)) per dimension over `klImages` test images (null without test images). */
    klPerDimension: kl,
    klImages: images?.count ?? 0,
    examples: exampleThumbnails(images, means.length).map((example, i) => ({ ...example, zMean: means[i] })),
  };
}

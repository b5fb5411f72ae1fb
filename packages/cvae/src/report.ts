// Class-conditional generation quality: the share of generated samples that a separately
// trained digit classifier assigns to the class they were generated for.
import { type DigitClassifier, tf } from '@vaelab/core';
import type { Cvae } from './cvae-spec.js';

export interface GenerationAccuracy {
  overall: number;
  perClass: number[];
  samplesPerClass: number;
}

export async function generatedSampleAccuracy(model: Cvae, classifier: DigitClassifier, samplesPerClass: number, seed: number): Promise<GenerationAccuracy> {
  const perClass: number[] = [];
  for (let label = 0; label < model.config.numClasses; label++) {
    const hits = tf.tidy(() => {
      const predicted = classifier.predict(model.sample(samplesPerClass, { labels: label, seed: seed + label }));
      return tf.sum(tf.cast(tf.equal(predicted, label), 'int32'));
    });
    perClass.push((await hits.data())[0] / samplesPerClass);
    hits.dispose();
  }
  return { overall: perClass.reduce((a, b) => a + b, 0) / perClass.length, perClass, samplesPerClass };
}

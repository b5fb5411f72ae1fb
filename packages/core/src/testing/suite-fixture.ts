// A small MNIST split for tests of the evaluation suite: digit 9 held out as the anomalies, and
// settings sized so every group runs in seconds.
import { filterByLabel, takeExamples } from '../data/dataset.js';
import { loadMnist } from '../data/mnist.js';
import type { EvaluationGroup, SuiteData, SuiteOptions } from '../eval/suite.js';

export function suiteFixture(trainSize = 300, testSize = 80): SuiteData {
  const train = takeExamples(loadMnist('train'), trainSize * 2);
  const test = takeExamples(loadMnist('test'), testSize * 4);
  return {
    train: takeExamples(filterByLabel(train, (y) => y !== 9), trainSize),
    test: takeExamples(filterByLabel(test, (y) => y !== 9), testSize),
    anomalies: takeExamples(filterByLabel(test, (y) => y === 9), Math.ceil(testSize / 8)),
  };
}

export function quickSuiteOptions(groups: readonly EvaluationGroup[]): SuiteOptions {
  return { groups, seed: 3, importanceSamples: 4, samples: 40, probeLabels: [60], augmentLabels: [60], augmentRatio: 2, augmentSteps: 10 };
}

// The common evaluation suite for a trial: the groups its sweep asks for, with core's digit
// classifier (cached per training set) when samples are scored. Settings stored by an older
// vaelab take today's defaults for what they lack.
import { runEvaluationSuite } from '@vaelab/core';
import { evaluationSchema } from '../config/evaluation-schema.js';
import type { EvaluationSettings, TrialData, TrialModel, TrialReport } from '../variants/runner-types.js';
import { sharedDigitClassifier } from './classifier-cache.js';

export async function evaluationSuite(model: TrialModel, data: TrialData, stored: Partial<EvaluationSettings>, seed: number): Promise<TrialReport> {
  const settings = evaluationSchema.parse(stored);
  if (settings.metrics.length === 0) return { metrics: {}, images: [] };
  const classifier = settings.metrics.includes('samples') ? await sharedDigitClassifier(data.train) : undefined;
  const report = await runEvaluationSuite(model.target(data, settings), data, { ...settings, groups: settings.metrics, seed, classifier });
  // The final evaluation leaves the importance-weighted bound to the suite when it measures likelihood: one pass, both names.
  if (report.metrics['eval/iwNll'] != null) report.metrics['test/iwNll'] = report.metrics['eval/iwNll'];
  return report;
}

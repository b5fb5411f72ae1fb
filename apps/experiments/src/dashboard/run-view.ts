// The run page's data: the run, its images, and per metric the summary plus what the page needs
// to show it well: whether it is a per-step curve or a per-epoch evaluation, which direction is
// better, and the best value with the step it was reached at.
import type { RunMetricSummary, StoreReader } from '@vaelab/tracking';
import { metricGoal } from '../commands/compare-table.js';

/** Evaluations and per-epoch figures are logged a few times per run: a table row, not a curve. */
const EVALUATION = /^(test|eval|prior|epoch)\//;

export interface RunMetric extends RunMetricSummary {
  kind: 'step' | 'evaluation';
  goal: 'minimize' | 'maximize' | null;
  /** The min or max by `goal`, with its first step; null when the metric has no direction. */
  best: number | null;
  bestStep: number | null;
}

export function describeMetric(summary: RunMetricSummary): RunMetric {
  const goal = metricGoal(summary.key);
  const [best, bestStep] = goal === 'minimize' ? [summary.min, summary.minStep] : goal === 'maximize' ? [summary.max, summary.maxStep] : [null, null];
  return { ...summary, kind: EVALUATION.test(summary.key) ? 'evaluation' : 'step', goal, best: bestStep == null ? null : best, bestStep };
}

export async function runView(store: StoreReader, id: string) {
  const run = await store.getRun(id);
  const [metrics, images] = await Promise.all([store.metricSummaries(run.id), store.listImages(run.id)]);
  return { run, metrics: metrics.map(describeMetric), images };
}

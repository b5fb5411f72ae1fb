// The lists the dashboard page offers (variants, run and sweep states, backends, metric columns),
// from where they are defined, so the page never spells them out itself.
import { BACKEND_NAMES } from '@vaelab/core';
import { RUN_STATUSES, SWEEP_STATUSES } from '@vaelab/tracking';
import { VARIANT_NAMES, variants } from '../variants/registry.js';
import { EXPLORABLE_VARIANTS } from './explorer-export.js';

export function dashboardMeta() {
  const all = Object.values(variants);
  return {
    variants: VARIANT_NAMES,
    statuses: RUN_STATUSES,
    sweepStatuses: SWEEP_STATUSES,
    backends: BACKEND_NAMES,
    /** Variants the latent explorer decodes. */
    explorable: EXPLORABLE_VARIANTS,
    /** Metric columns in order of preference; the page shows those its runs have. */
    metricColumns: [...new Set(['loss', 'test/mse', ...all.map((v) => v.headlineMetric), ...all.flatMap((v) => v.evalMetrics)])],
  };
}

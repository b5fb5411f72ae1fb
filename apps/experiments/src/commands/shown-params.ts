// Which settings tell a sweep's runs apart, besides what was swept: a setting every run has is
// shown where its value differs between runs; one only some runs have (a variant's own) is shown
// where it differs from that variant's default (so a base β = 2 shows, not only seed and variant).
import { defaultTrainConfig } from '@vaelab/core';
import { flattenParams, type RunRecord } from '@vaelab/tracking';
import type { TrialConfig } from '../config/trial-config.js';
import { variantOf } from '../variants/registry.js';

/** Set from the data or by the sweep itself, never a choice worth showing. */
const DERIVED = new Set(['model.inputShape', 'model.numClasses', 'model.seed', 'train.seed']);

function leaves(run: RunRecord): Map<string, string> {
  const out = new Map<string, string>();
  const trial = run.config as TrialConfig | null;
  if (trial?.model) for (const [k, v] of flattenParams(trial.model)) out.set(`model.${k}`, JSON.stringify(v));
  if (trial?.train) for (const [k, v] of flattenParams(trial.train)) out.set(`train.${k}`, JSON.stringify(v));
  return out;
}

function defaults(variant: string | null): Map<string, string> {
  const out = new Map<string, string>();
  const defaultConfig = variantOf(variant)?.spec.defaultConfig;
  if (defaultConfig) for (const [k, v] of flattenParams(defaultConfig)) out.set(`model.${k}`, JSON.stringify(v));
  for (const [k, v] of flattenParams(defaultTrainConfig as unknown as Record<string, unknown>)) out.set(`train.${k}`, JSON.stringify(v));
  return out;
}

/** For each run, `key=value` pairs worth showing (swept params first, then settings that differ). */
export function shownParams(runs: RunRecord[]): string[][] {
  const all = runs.map(leaves);
  const keys = new Set(all.flatMap((m) => [...m.keys()]));
  const shared = new Set([...keys].filter((k) => all.every((m) => m.has(k))));
  const differing = new Set([...shared].filter((k) => new Set(all.map((m) => m.get(k))).size > 1));
  return runs.map((run, i) => {
    const base = defaults(run.variant);
    const swept = Object.entries(run.params).filter(([k]) => k !== 'variant').map(([k, v]) => [k, JSON.stringify(v)] as const);
    const sweptKeys = new Set(swept.flatMap(([k]) => [k, k.startsWith('train.') ? k : `model.${k}`]));
    const worthShowing = (k: string, v: string) => (shared.has(k) ? differing.has(k) : base.get(k) !== v);
    // A swept object (e.g. a whole quantizer) already shows its fields: leave its leaves out.
    const underSwept = (k: string) => sweptKeys.has(k) || [...sweptKeys].some((s) => k.startsWith(`${s}.`));
    const settings = [...all[i]].filter(([k, v]) => !DERIVED.has(k) && !underSwept(k) && worthShowing(k, v));
    return [...swept, ...settings.map(([k, v]) => [k.replace(/^model\./, ''), v] as const)].map(([k, v]) => `${k}=${v}`);
  });
}

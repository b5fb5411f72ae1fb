// `vaelab sweep <file>`, `vaelab run <file>` and `vaelab resume <sweep>`: store the sweep (or
// pick it up), run local workers until nothing is left to run, and print what happened. Exits
// non-zero unless every trial finished.
import { loadSweepFile } from '../config/load-sweep.js';
import { continueSweep, requeueInterrupted, runSweep, type SweepResult } from '../runner/coordinator.js';
import { advice } from './advice.js';
import type { CliOptions } from './options.js';
import { countsLine, sweepSummary } from './summary.js';
import { withWriter } from './with-store.js';
import type { Store } from '@vaelab/tracking';

export type Command = (args: string[], options: CliOptions) => Promise<number>;

export function need(args: string[], what: string): string {
  if (args[0] == null) throw new Error(`missing ${what}`);
  return args[0];
}

async function report(store: Store, result: SweepResult, options: CliOptions): Promise<number> {
  console.log(await sweepSummary(store, result.sweep));
  const counts = await store.sweepCounts(result.sweep.id);
  console.log(`\nsweep "${result.sweep.name}": ${countsLine(counts)} (status ${result.sweep.status})`);
  if (result.failure) console.error(`vaelab: ${result.failure}`);
  if (result.interrupted) {
    console.log(`stopped; continue with: ${advice(`resume ${result.sweep.name}`, options.db)}`);
    return 130;
  }
  const unfinished = counts.failed + counts.crashed + counts.killed + counts.pending + counts.running;
  if (unfinished > 0) {
    const failed = counts.failed > 0 ? ' --failed' : '';
    console.log(`${unfinished} trial(s) did not finish; re-run them with: ${advice(`resume ${result.sweep.name}${failed}`, options.db)}`);
  }
  console.log(`Compare the runs in the browser: ${advice('dashboard', options.db)}`);
  return unfinished > 0 ? 1 : 0;
}

async function planAndRun(file: string, options: CliOptions, single: boolean): Promise<number> {
  const plan = loadSweepFile(file);
  if (single && plan.trials.length !== 1) throw new Error(`${plan.file} expands to ${plan.trials.length} trials; use vaelab sweep for more than one`);
  return withWriter(options, async (store) => {
    console.log(`sweep "${plan.name}": ${plan.trials.length} trial(s) of ${plan.arms.map((a) => a.variant).join(', ')} on ${plan.config.dataset.name}, store ${store.location}`);
    if (plan.smoke != null) console.log(`smoke run (VAELAB_SMOKE_STEPS=${plan.smoke}): every trial stops after ${plan.smoke} steps on a small slice of its data`);
    const result = await runSweep(store, plan, { location: options.db, parallel: options.parallel, workers: options.workers });
    if (!options.workers) {
      console.log(`stored ${plan.trials.length} trial(s); run them on any machine with: ${advice(`worker --sweep ${plan.name}`, options.db)}`);
      return 0;
    }
    return report(store, result, options);
  });
}

export const sweep: Command = (args, options) => planAndRun(need(args, 'sweep file (e.g. experiments/quickstart.yaml)'), options, false);

export const run: Command = (args, options) => planAndRun(need(args, 'config file'), options, true);

export const resume: Command = (args, options) => withWriter(options, async (store) => {
  let record = await store.getSweep(need(args, 'sweep name or id'));
  if (options.maxRetries !== undefined || options.heartbeatTimeout !== undefined) {
    record = await store.updateSweep(record.id, { maxRetries: options.maxRetries, leaseMs: options.heartbeatTimeout && options.heartbeatTimeout * 1000 });
  }
  const requeued = await requeueInterrupted(store, record.id, options.failed);
  const pending = (await store.sweepCounts(record.id)).pending;
  if (pending > 0 && record.status !== 'running') record = await store.updateSweep(record.id, { status: 'running' });
  console.log(`resuming sweep "${record.name}": ${requeued} interrupted${options.failed ? ' or failed' : ''} trial(s) re-queued, ${pending} pending`);
  return report(store, await continueSweep(store, record, { location: options.db, parallel: options.parallel }), options);
});

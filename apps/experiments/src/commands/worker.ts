// `vaelab worker`: joins open sweeps from this machine: `--parallel` local workers claim and run
// trials (of `--sweep`, or of any open sweep) until none are left, or keep waiting with --wait.
import { runPool } from '../runner/pool.js';
import { localParallel } from '../runner/coordinator.js';
import { countsLine } from './summary.js';
import type { Command } from './sweep.js';
import { withWriter } from './with-store.js';

export const worker: Command = (_args, options) => withWriter(options, async (store) => {
  const sweep = options.sweep == null ? null : await store.getSweep(options.sweep);
  const { parallel, gpus } = localParallel(sweep, options.parallel);
  const leaseMs = sweep?.leaseMs ?? Math.min(...(await store.listSweeps()).map((s) => s.leaseMs), 600_000);
  console.log(`worker pool: ${parallel} worker(s) on ${sweep ? `sweep "${sweep.name}"` : 'every open sweep'}${options.wait ? ', waiting for new trials' : ''}, store ${store.location}`);
  const result = await runPool(store, { location: options.db, sweepId: sweep?.id, parallel, gpus, leaseMs, wait: options.wait });
  if (sweep) console.log(`sweep "${sweep.name}": ${countsLine(await store.sweepCounts(sweep.id))}`);
  if (result.failure) console.error(`vaelab worker: ${result.failure}`);
  return result.interrupted ? 130 : result.failure ? 1 : 0;
});

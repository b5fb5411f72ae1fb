// Read-only commands: `vaelab ls [sweep]`, `vaelab show <run>`, `vaelab export <sweep>`. They open
// the store read-only: they never write into it or beside it.
import { writeFileSync } from 'node:fs';
import { exportRunsCsv, exportRunsJson } from '@vaelab/tracking';
import { countsLine, sweepSummary } from './summary.js';
import { UsageError } from './options.js';
import { type Command, need } from './sweep.js';
import { formatNumber, formatTable } from './table.js';
import { withReader } from './with-store.js';

export const ls: Command = (args, options) => withReader(options, async (store) => {
  if (args[0] != null) {
    const sweep = await store.getSweep(args[0]);
    console.log(await sweepSummary(store, sweep));
    console.log(`\nsweep "${sweep.name}": ${countsLine(await store.sweepCounts(sweep.id))} (status ${sweep.status})`);
    return 0;
  }
  const sweeps = await store.listSweeps();
  console.log(formatTable(['sweep', 'status', 'method', 'metric', 'finished', 'running', 'pending', 'failed', 'crashed', 'killed'], sweeps.map((s) => {
    const c = s.counts;
    return [s.name, s.status, s.method, s.metricName ? `${s.metricName} (${s.metricGoal})` : '-', ...[c.finished, c.running, c.pending, c.failed, c.crashed, c.killed].map(String)];
  })));
  return 0;
});

export const show: Command = (args, options) => withReader(options, async (store) => {
  const r = await store.getRun(need(args, 'run id'));
  console.log(`${r.name} (${r.id}) — ${r.variant} — ${r.status}${r.error ? `: ${r.error}` : ''}`);
  console.log(`params: ${JSON.stringify(r.params)}\nbackend: ${r.backend ?? '-'}  git: ${r.gitSha ?? '-'}  data: ${r.dataChecksum ?? '-'}  attempt ${r.attempt}${r.workerHost ? ` on ${r.workerHost}` : ''}`);
  console.log(`config: ${JSON.stringify(r.config)}`);
  console.log(formatTable(['metric', 'last step', 'last', 'min', 'max', 'points'], (await store.metricSummaries(r.id)).map((s) =>
    [s.key, String(s.lastStep), formatNumber(s.last), formatNumber(s.min), formatNumber(s.max), String(s.count)])));
  const images = await store.listImages(r.id);
  console.log(`images: ${[...new Set(images.map((i) => i.key))].map((k) => `${k} (${images.filter((i) => i.key === k).length} steps)`).join(', ') || 'none'}`);
  return 0;
});

export const exportCommand: Command = (args, options) => withReader(options, async (store) => {
  if (options.format === 'md') throw new UsageError('--format: export writes csv or json (md is for compare)');
  const record = await store.getSweep(need(args, 'sweep name or id'));
  const ids = (await store.sweepTrials(record.id)).map((r) => r.id);
  const out = options.out ?? `${record.name}.${options.format === 'csv' ? 'runs.csv' : 'json'}`;
  if (options.format === 'json') {
    writeFileSync(out, await exportRunsJson(store, ids));
    console.log(`wrote ${out} (${ids.length} runs)`);
  } else {
    const csv = await exportRunsCsv(store, ids);
    const metricsOut = out.replace(/(\.runs)?\.csv$/, '') + '.metrics.csv';
    writeFileSync(out, csv.runs);
    writeFileSync(metricsOut, csv.metrics);
    console.log(`wrote ${out} and ${metricsOut} (${ids.length} runs)`);
  }
  return 0;
});

// The CLI's commands as a plain map from name to handler; each returns the exit code.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { exportRunsCsv, exportRunsJson, TrackingStore } from '@vaelab/tracking';
import { loadSweepFile, parseSweepText } from '../config/load-sweep.js';
import { requeueInterrupted, runSweep } from '../runner/coordinator.js';
import { sweepSummary } from './summary.js';
import { formatNumber, formatTable } from './table.js';

export interface CliOptions {
  db: string;
  parallel?: string;
  format: string;
  out?: string;
  port: string;
  host: string;
}

type Command = (args: string[], options: CliOptions) => Promise<number>;

/**
 * Opens the store, runs `fn`, and always closes it. Only commands that write runs create a
 * missing store; the others say there is none instead of leaving an empty file behind.
 */
async function withStore(options: CliOptions, fn: (store: TrackingStore) => number | Promise<number>, create = false): Promise<number> {
  if (!create && !existsSync(options.db)) throw new Error(`${options.db}: no store here yet (run a sweep first, or pass --db)`);
  mkdirSync(dirname(resolve(options.db)), { recursive: true });
  const store = new TrackingStore(options.db);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

function need(args: string[], what: string): string {
  if (args[0] == null) throw new Error(`missing ${what}`);
  return args[0];
}

async function runPlanned(store: TrackingStore, plan: ReturnType<typeof loadSweepFile>, options: CliOptions): Promise<number> {
  console.log(`sweep "${plan.name}": ${plan.trials.length} trial(s) of ${plan.arms.map((a) => a.variant).join(', ')} on ${plan.config.dataset.name}, store ${options.db}`);
  const result = await runSweep(store, plan, { dbPath: options.db, parallel: options.parallel ? Number(options.parallel) : undefined });
  console.log(sweepSummary(store, result.sweep));
  if (result.interrupted) {
    console.log(`stopped; continue with: vaelab resume ${plan.name} --db ${options.db}`);
    return 130;
  }
  const counts = store.sweepCounts(result.sweep.id);
  console.log(`\n${counts.finished} finished, ${counts.failed} failed. Compare the runs in the browser: vaelab dashboard --db ${options.db}`);
  return counts.failed > 0 ? 1 : 0;
}

const sweep: Command = async (args, options) => {
  const plan = loadSweepFile(need(args, 'sweep file (e.g. experiments/quickstart.yaml)'));
  return withStore(options, (store) => runPlanned(store, plan, options), true);
};

const run: Command = async (args, options) => {
  const plan = loadSweepFile(need(args, 'config file'));
  if (plan.trials.length !== 1) throw new Error(`${plan.file} expands to ${plan.trials.length} trials; use vaelab sweep for more than one`);
  return withStore(options, (store) => runPlanned(store, plan, options), true);
};

const resume: Command = (args, options) => withStore(options, async (store) => {
  const record = store.getSweep(need(args, 'sweep name or id'));
  const plan = parseSweepText(record.configText, record.name);
  const requeued = requeueInterrupted(store, record.id);
  console.log(`resuming sweep "${record.name}": ${requeued} interrupted trial(s) re-queued, ${store.sweepCounts(record.id).pending} pending`);
  return runPlanned(store, { ...plan, name: record.name }, options);
});

const ls: Command = (args, options) => withStore(options, (store) => {
  if (args[0] != null) {
    console.log(sweepSummary(store, store.getSweep(args[0])));
    return 0;
  }
  const sweeps = store.listSweeps();
  console.log(formatTable(['sweep', 'status', 'method', 'metric', 'finished', 'running', 'pending', 'failed'], sweeps.map((s) => {
    const c = store.sweepCounts(s.id);
    return [s.name, s.status, s.method, s.metricName ? `${s.metricName} (${s.metricGoal})` : '-', String(c.finished), String(c.running), String(c.pending), String(c.failed)];
  })));
  return 0;
});

const show: Command = (args, options) => withStore(options, (store) => {
  const runId = need(args, 'run id');
  const r = store.getRun(runId);
  console.log(`${r.name} (${r.id}) — ${r.variant} — ${r.status}${r.error ? `: ${r.error}` : ''}`);
  console.log(`params: ${JSON.stringify(r.params)}\nbackend: ${r.backend ?? '-'}  git: ${r.gitSha ?? '-'}  data: ${r.dataChecksum ?? '-'}  attempt ${r.attempt}`);
  console.log(`config: ${JSON.stringify(r.config)}`);
  console.log(formatTable(['metric', 'last step', 'last', 'min', 'max', 'points'], store.metricSummaries(r.id).map((s) =>
    [s.key, String(s.lastStep), formatNumber(s.last), formatNumber(s.min), formatNumber(s.max), String(s.count)])));
  const images = store.listImages(r.id);
  console.log(`images: ${[...new Set(images.map((i) => i.key))].map((k) => `${k} (${images.filter((i) => i.key === k).length} steps)`).join(', ') || 'none'}`);
  return 0;
});

const exportCommand: Command = (args, options) => withStore(options, (store) => {
  const record = store.getSweep(need(args, 'sweep name or id'));
  const ids = store.sweepRuns(record.id).map((r) => r.id);
  if (options.format !== 'csv' && options.format !== 'json') throw new Error(`--format: expected csv or json, got "${options.format}"`);
  const out = options.out ?? `${record.name}.${options.format === 'csv' ? 'runs.csv' : 'json'}`;
  if (options.format === 'json') {
    writeFileSync(out, exportRunsJson(store, ids));
    console.log(`wrote ${out} (${ids.length} runs)`);
  } else {
    const csv = exportRunsCsv(store, ids);
    const metricsOut = out.replace(/(\.runs)?\.csv$/, '') + '.metrics.csv';
    writeFileSync(out, csv.runs);
    writeFileSync(metricsOut, csv.metrics);
    console.log(`wrote ${out} and ${metricsOut} (${ids.length} runs)`);
  }
  return 0;
});

const dashboard: Command = async (_args, options) => {
  const { serveDashboard } = await import('../dashboard/serve.js');
  await serveDashboard({ dbPath: options.db, port: Number(options.port), host: options.host });
  return 0;
};

export const commands: Record<string, Command> = { sweep, run, resume, ls, show, export: exportCommand, dashboard };

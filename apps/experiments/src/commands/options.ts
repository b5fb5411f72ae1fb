// The CLI's options: each parsed and checked by name (integers are integers, ports are ports),
// with the command that may take it; anything else is an error that names the option.
import { isPostgresUrl } from '@vaelab/tracking';

export interface CliOptions {
  /** The store: a file path or a postgres:// URL (--db, else VAELAB_DB, else out/vaelab.db). */
  db: string;
  parallel?: number;
  /** export: csv (default) or json; compare: md (default), csv or json. */
  format?: 'csv' | 'json' | 'md';
  out?: string;
  /** compare: the eval/* columns to show, in this order (names without eval/). */
  metrics?: string[];
  port: number;
  host: string;
  sweep?: string;
  wait: boolean;
  failed: boolean;
  workers: boolean;
  maxRetries?: number;
  heartbeatTimeout?: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${option}: expected an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Which command takes which option (besides --db and --help, which all take). */
export const OPTION_COMMANDS: Record<string, string[]> = {
  parallel: ['sweep', 'run', 'resume', 'worker'],
  format: ['export', 'compare'],
  out: ['export'],
  metrics: ['compare'],
  port: ['dashboard'],
  host: ['dashboard'],
  sweep: ['worker'],
  wait: ['worker'],
  failed: ['resume'],
  'no-workers': ['sweep'],
  'max-retries': ['resume'],
  'heartbeat-timeout': ['resume'],
};

export function checkOptionsFor(command: string, given: Record<string, unknown>): void {
  for (const [option, value] of Object.entries(given)) {
    if (value === undefined || option === 'db' || option === 'help') continue;
    const allowed = OPTION_COMMANDS[option];
    if (allowed && !allowed.includes(command)) throw new UsageError(`--${option} is not an option of ${command} (it goes with ${allowed.join(', ')})`);
  }
}

export function parseCliOptions(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv = process.env): CliOptions {
  const text = (name: string) => values[name] as string | undefined;
  const db = text('db') ?? env.VAELAB_DB ?? 'out/vaelab.db';
  if (db.trim() === '') throw new UsageError('--db: expected a store file path or a postgres:// URL, got an empty string');
  const format = text('format');
  if (format != null && format !== 'csv' && format !== 'json' && format !== 'md') throw new UsageError(`--format: expected md, csv or json, got "${format}"`);
  const host = text('host') ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host: expected an address to listen on, e.g. 127.0.0.1');
  const options: CliOptions = {
    db, format, host, port: integer('port', text('port') ?? '8787', 0, 65_535),
    wait: values.wait === true, failed: values.failed === true, workers: values['no-workers'] !== true,
  };
  if (text('parallel') != null) options.parallel = integer('parallel', text('parallel')!, 1, 1024);
  if (text('max-retries') != null) options.maxRetries = integer('max-retries', text('max-retries')!, 0, 1000);
  if (text('heartbeat-timeout') != null) options.heartbeatTimeout = integer('heartbeat-timeout', text('heartbeat-timeout')!, 1, 86_400);
  if (text('out') != null) options.out = text('out');
  if (text('metrics') != null) {
    options.metrics = text('metrics')!.split(',').map((m) => m.trim().replace(/^eval\//, '')).filter((m) => m !== '');
    if (options.metrics.length === 0) throw new UsageError('--metrics: expected a comma-separated list of eval/* metric names, e.g. mse,fcd,probe1000');
  }
  if (text('sweep') != null) options.sweep = text('sweep');
  if (isPostgresUrl(db) === false && /^[a-z]+:\/\//i.test(db)) throw new UsageError(`--db: "${db.split('://')[0]}://" stores are not supported; expected a file path or a postgres:// URL`);
  return options;
}

export const PARSE_OPTIONS = {
  db: { type: 'string' },
  parallel: { type: 'string' },
  metrics: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  sweep: { type: 'string' },
  wait: { type: 'boolean' },
  failed: { type: 'boolean' },
  'no-workers': { type: 'boolean' },
  'max-retries': { type: 'string' },
  'heartbeat-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

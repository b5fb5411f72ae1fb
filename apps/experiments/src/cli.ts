#!/usr/bin/env node
// vaelab: run sweeps and single configs, resume them, list and show runs, export, open the dashboard.
import { parseArgs } from 'node:util';
import { commands } from './commands/index.js';

const USAGE = `usage: vaelab <command> [options]
  sweep <file.yaml>   expand a sweep into trials and run them in parallel workers
  run <file.yaml>     run a config that expands to a single trial
  resume <sweep>      re-queue crashed/killed trials of a sweep and continue them from their checkpoints
  ls [sweep]          list sweeps, or one sweep's runs with key metrics
  show <run>          one run: config, environment, metrics, images
  export <sweep>      --format csv|json [--out file]
  dashboard           serve the web dashboard [--port 8787] [--host 127.0.0.1]
options: --db <file> (default out/vaelab.db), --parallel <n>`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'out/vaelab.db' },
    parallel: { type: 'string' },
    format: { type: 'string', default: 'csv' },
    out: { type: 'string' },
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [name, ...rest] = positionals;
const command = name == null ? undefined : commands[name];
if (values.help || command == null) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
try {
  process.exitCode = await command(rest, values);
} catch (error) {
  console.error(`vaelab ${name}: ${(error as Error).message}`);
  process.exitCode = 1;
}

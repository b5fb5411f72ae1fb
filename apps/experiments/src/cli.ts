#!/usr/bin/env node
// vaelab: run sweeps and single configs, resume them, join them from other machines, list and
// show runs, export, open the dashboard. Bad options and bad input are one line naming the
// option (or file, or store) and what was expected; never a stack trace.
import { parseArgs } from 'node:util';
import { commands } from './commands/index.js';
import { checkOptionsFor, PARSE_OPTIONS, parseCliOptions, UsageError } from './commands/options.js';

const USAGE = `usage: vaelab <command> [options]
  sweep <file.yaml>   store a sweep's trials and run them in parallel local workers [--parallel n] [--no-workers]
  run <file.yaml>     run a config that expands to a single trial [--parallel n]
  resume <sweep>      re-queue crashed/killed trials and continue them from their checkpoints
                      [--failed] [--max-retries n] [--heartbeat-timeout seconds] [--parallel n]
  worker              join open sweeps from this machine [--sweep name] [--parallel n] [--wait]
  ls [sweep]          list sweeps, or one sweep's runs with key metrics
  show <run>          one run: config, environment, metrics, images
  export <sweep>      --format csv|json [--out file]
  compare <sweep>...  --format md|csv|json, --metrics mse,fcd,…: arms × eval/* metrics, mean ± std over seeds, best marked
  dashboard           serve the web dashboard [--port 8787] [--host 127.0.0.1]
store: --db <file or postgres://user:password@host:port/db> (default: $VAELAB_DB, else out/vaelab.db)`;

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let parsed: ReturnType<typeof parseArgs<{ options: typeof PARSE_OPTIONS; allowPositionals: true }>>;
try {
  parsed = parseArgs({ allowPositionals: true, options: PARSE_OPTIONS });
} catch (error) {
  fail(`vaelab: ${(error as Error).message.split('\n')[0].replace(/ To specify a positional argument.*$/, '')}\n${USAGE}`, 2);
}
const { positionals, values } = parsed;
const [name, ...rest] = positionals;
const command = name == null ? undefined : commands[name];
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (command == null) fail(`${name == null ? 'vaelab: missing command' : `vaelab: unknown command "${name}"`}\n${USAGE}`, 2);
try {
  checkOptionsFor(name, values);
  process.exitCode = await command(rest, parseCliOptions(values));
} catch (error) {
  if (error instanceof UsageError) fail(`vaelab ${name}: ${error.message}`, 2);
  console.error(`vaelab ${name}: ${(error as Error).message}`);
  process.exitCode = 1;
}

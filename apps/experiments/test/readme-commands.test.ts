// Every command the README and the CLI print runs as written, from the repository root: each is
// taken from the README (sh blocks and `npx …` spans) or from the CLI's own advice, and run
// verbatim with a tiny budget (VAELAB_SMOKE_STEPS) on a scratch store (VAELAB_DB). Commands
// with placeholders, PostgreSQL URLs of the reader's own network, and benchmarks are listed and
// left out, each with its reason.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, waitFor } from './cli-helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'vaelab-readme-'));
const env = { ...process.env, VAELAB_DB: join(scratch, 'store.db'), VAELAB_SMOKE_STEPS: '2', VAELAB_CACHE: join(scratch, 'cache') };

beforeAll(requireBuiltCli);

/** README commands in order: lines of sh blocks, and inline code spans that start with npx or an env assignment. */
export function readmeCommands(readme: string): string[] {
  const commands: string[] = [];
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').filter((l) => l.trim() && !l.startsWith('#')));
  commands.push(...blocks);
  const prose = readme.replace(/```[\s\S]*?```/g, '');
  for (const m of prose.matchAll(/`((?:[A-Z_]+=\S+ )*npx [^`]+)`/g)) commands.push(m[1]);
  return [...new Set(commands)];
}

/** Why a command is not run here, or null to run it. */
function skipReason(command: string, testCommand: string): string | null {
  if (command === testCommand) return 'the test command itself';
  if (/[<…]/.test(command)) return 'a template with a placeholder';
  if (command.includes('postgres://')) return "a PostgreSQL URL of the reader's own network (the store's tests cover PostgreSQL)";
  if (/\bbench\b/.test(command)) return 'a benchmark (minutes, not a test)';
  return null;
}

/** Runs a command as a user would; a dashboard is started, asked for its runs, and stopped. */
async function runAsWritten(command: string): Promise<{ status: number | null; output: string }> {
  if (!/\bdashboard\b/.test(command)) {
    const result = spawnSync('bash', ['-c', command], { cwd: ROOT, env, encoding: 'utf8', timeout: 600_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }
  const child = spawn('bash', ['-c', `exec ${command} --port 0`], { cwd: ROOT, env, detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  // npx re-raises the SIGINT its child got (as in a terminal), so ending by SIGINT is a clean Ctrl-C.
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(signal === 'SIGINT' ? 0 : code)));
  await waitFor(() => /dashboard on (http:\/\/\S+)/.test(output) || child.exitCode != null, `the dashboard of "${command}"`);
  const url = /dashboard on (http:\/\/\S+)/.exec(output)?.[1];
  const ok = url != null && (await fetch(new URL('/api/runs', url))).ok && (await explorersAnswer(url, (line) => (output += `\n${line}`)));
  process.kill(-child.pid!, 'SIGINT');
  return { status: ok ? await exited : 1, output };
}

/** Whether the dashboard's latent explorer serves every finished run it offers one for (as a user's click asks it). */
async function explorersAnswer(url: string, say: (line: string) => void): Promise<boolean> {
  const { explorable } = await (await fetch(new URL('/api/meta', url))).json();
  const { runs } = await (await fetch(new URL('/api/runs?limit=100', url))).json();
  for (const run of runs.filter((r: { status: string; variant: string }) => r.status === 'finished' && explorable.includes(r.variant))) {
    const res = await fetch(new URL(`/api/runs/${run.id}/explorer`, url));
    if (!res.ok) {
      say(`explorer of ${run.name}: ${res.status} ${await res.text()}`);
      return false;
    }
  }
  return true;
}

describe('commands as written', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const testCommand = readme.match(/```sh\n[^\n]*\n([^\n]*)\n/)![1];
  const commands = readmeCommands(readme);

  it('the README lists its two commands and the ones after them', () => {
    expect(commands.slice(0, 2)).toEqual([
      'npx --yes pnpm@10.34.8 install && npx --yes pnpm@10.34.8 start', 'npx --yes pnpm@10.34.8 install && npx --yes pnpm@10.34.8 test',
    ]);
    const run = commands.filter((c) => skipReason(c, testCommand) == null);
    expect(run.length).toBeGreaterThanOrEqual(4);
    console.log(commands.map((c) => `${skipReason(c, testCommand) ? 'left out' : 'run'}: ${c}${skipReason(c, testCommand) ? ` (${skipReason(c, testCommand)})` : ''}`).join('\n'));
  });

  it('every README command runs verbatim (tiny budget, scratch store)', async () => {
    for (const command of commands.filter((c) => skipReason(c, testCommand) == null)) {
      const { status, output } = await runAsWritten(command);
      expect(status, `${command}\n${output.slice(-3000)}`).toBe(0);
    }
  }, 1_200_000);

  it('every command the CLI prints as advice runs verbatim', async () => {
    const file = join(scratch, 'advice.yaml');
    writeFileSync(file, `
name: advice
variant: vae
dataset: { name: mnist, trainSize: 128, testSize: 64 }
base: { latentDim: 2, architecture: { kind: mlp, hiddenUnits: [8] } }
parameters:
  train.learningRate: { values: [0.001, 1.0e+12] }
parallel: 1
budget: { epochs: 1 }
`);
    const advised = new Set<string>();
    for (const args of [`sweep ${file}`, `sweep ${file.replace('advice', 'advice-stored')} --no-workers`]) {
      if (args.includes('stored')) writeFileSync(file.replace('advice', 'advice-stored'), readFileSync(file, 'utf8').replace('name: advice', 'name: advice-stored'));
      const { output } = await runAsWritten(`npx vaelab ${args}`);
      for (const m of output.matchAll(/(npx vaelab [^\n]+)/g)) advised.add(m[1].trim());
    }
    expect([...advised].map((c) => c.split(' ')[2]).sort()).toEqual(['dashboard', 'resume', 'worker']);
    for (const command of advised) {
      const { status, output } = await runAsWritten(command);
      // resume --failed re-runs a trial that fails again: exit 1 is its honest answer, not a usage error.
      expect([0, 1], `${command}\n${output.slice(-2000)}`).toContain(status);
      expect(output, command).not.toMatch(/Unknown option|is not an option|unknown command|missing /);
    }
  }, 600_000);
});

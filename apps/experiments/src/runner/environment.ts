// What a run records about where it ran: package versions, backend, git commit (the data checksum is config/data-checksum.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@vaelab/core';
import { variants } from '../variants/registry.js';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    const manifest = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function softwareVersions(): Record<string, string> {
  const names = [...new Set(['@vaelab/core', '@vaelab/tracking', ...Object.values(variants).map((v) => v.packageName)])];
  return { node: process.versions.node, 'tfjs-core': tf.version_core, ...Object.fromEntries(names.map((n) => [n, packageVersion(n)])) };
}

export function gitSha(): string | undefined {
  try {
    // The commit of the code that ran (this checkout), wherever the command was started.
    const here = dirname(fileURLToPath(import.meta.url));
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

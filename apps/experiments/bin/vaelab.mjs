#!/usr/bin/env node
// The vaelab command: runs the built CLI, or says how to build it when it is not built yet.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('vaelab is not built yet: run `npx --yes pnpm@10.34.8 build` in the repository first');
  process.exit(1);
}
await import(cli.href);

// What the latent explorer loads into the page, from node_modules and core's build (no CDN):
// tfjs-core and its CPU backend as UMD scripts (they set the global `tf`), and core's decoder
// network modules, whose one bare import of tfjs-core becomes that global so the page decodes
// with exactly the layers the trainer used.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const coreRoot = dirname(require.resolve('@vaelab/core/package.json'));
const fromCore = createRequire(join(coreRoot, 'package.json'));
const TF_IMPORT = "import * as tf from '@tensorflow/tfjs-core';";
const CORE_MODULES = ['layers/networks.js', 'layers/layers.js', 'layers/params.js', 'util/random.js'];

function coreModule(file: string): string {
  const path = join(coreRoot, 'dist', file);
  const text = readFileSync(path, 'utf8').replace(TF_IMPORT, 'const tf = globalThis.tf;');
  const bare = /^import .* from '(?![./])[^']+';$/m.exec(text);
  if (bare) throw new Error(`${path}: the explorer serves this file to the page, which cannot resolve "${bare[0]}"`);
  return text.replace(/\n\/\/# sourceMappingURL=.*$/, '\n');
}

/** Page path → file body (the app reads them on the first /vendor/ request). */
export function vendorFiles(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {
    '/vendor/tf-core.js': readFileSync(fromCore.resolve('@tensorflow/tfjs-core/dist/tf-core.min.js')),
    '/vendor/tf-backend-cpu.js': readFileSync(fromCore.resolve('@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.min.js')),
  };
  for (const file of CORE_MODULES) files[`/vendor/core/${file}`] = coreModule(file);
  return files;
}

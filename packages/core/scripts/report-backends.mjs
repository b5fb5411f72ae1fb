// After an install: one line per optional backend saying whether it is here and, if not, why
// (pnpm itself skips a failed optional package silently, or with a wall of build output).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
const root = (name) => {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
};

const lines = [];
for (const [backend, name] of [['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'], ['tensorflow', '@tensorflow/tfjs-node']]) {
  const dir = root(name);
  const lib = dir && join(dir, 'lib');
  const bound = lib && existsSync(lib) && readdirSync(lib).some((d) => existsSync(join(lib, d, 'tfjs_binding.node')));
  if (bound) lines.push(`${backend}: ready (${name})`);
  else if (dir) lines.push(`${backend}: skipped: ${name} is installed without its native binding (its install could not download libtensorflow; README "GPU backends")`);
  else lines.push(`${backend}: skipped: ${name} is not installed (this workspace skips it; README "GPU backends")`);
}
const dawn = root('webgpu');
const platform = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
if (dawn && existsSync(join(dawn, 'dist', platform, 'dawn.node'))) lines.push(`webgpu: installed (Dawn for ${platform}); it runs where a Vulkan, Metal or D3D12 GPU driver is`);
else lines.push(`webgpu: skipped: the optional package webgpu ${dawn ? `has no dawn.node for ${platform}` : 'is not installed'}`);
console.log(['VAE Lab backends (wasm and cpu are always here):', ...lines.map((l) => `  ${l}`)].join('\n'));

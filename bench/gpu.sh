#!/usr/bin/env bash
# Builds the GPU check bundle: one self-contained folder (then one .tar.xz, < 64 MiB) that a GPU
# machine with no Node.js and no registry runs in one go. Inside: gpu-check.mjs bundled with
# tfjs (esbuild), tfjs's .wasm files, the linux-x64 dawn.node alone, the Vulkan loader, MNIST,
# this machine's node binary, bench/reference.py and run.sh.
#   bench/gpu.sh [--out DIR] [--no-archive] [--run-tiny]
#   --run-tiny: run the bundle here afterwards on SwiftShader with a tiny budget (slow, a CPU).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/out/gpu
archive=1
run_tiny=0
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --no-archive) archive=0; shift ;;
    --run-tiny) run_tiny=1; shift ;;
    *) echo "bench/gpu.sh: unknown option $1 (expected --out DIR, --no-archive, --run-tiny)" >&2; exit 2 ;;
  esac
done
resolve() { (cd "$repo/packages/core" && node -e "console.log(require('path').dirname(require.resolve('$1/package.json')))"); }
[ -d "$repo/packages/core/dist" ] || { echo "bench/gpu.sh: build first (npx --yes pnpm@10.34.8 build)" >&2; exit 1; }
dawn=$(resolve webgpu 2>/dev/null) || { echo "bench/gpu.sh: the optional package webgpu is not installed" >&2; exit 1; }
wasm=$(resolve @tensorflow/tfjs-backend-wasm)/wasm-out
mnist=$(cd "$repo/packages/core" && node -e "import('@vaelab/core').then((c) => console.log(c.defaultMnistDir()))")
vulkan=$(for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do [ -e "$d/libvulkan.so.1" ] && echo "$d/libvulkan.so.1" && break; done || true)

bundle=$out/vaelab-gpu
rm -rf "$bundle" && mkdir -p "$bundle/node_modules/webgpu/dist/linux-x64" "$bundle/mnist" "$bundle/lib"
# ESM keeps import.meta.url working; tfjs's CommonJS parts get require and __dirname (the
# WASM backend finds its .wasm files beside __dirname).
"$repo/node_modules/.bin/esbuild" "$repo/bench/gpu-check.mjs" --bundle --platform=node --format=esm --target=node20 \
  --log-level=warning --outfile="$bundle/gpu-check.mjs" \
  --banner:js="import { createRequire as __vaelabRequire } from 'node:module'; import { fileURLToPath as __vaelabPath } from 'node:url'; const require = __vaelabRequire(import.meta.url); const __filename = __vaelabPath(import.meta.url); const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));"
cp "$wasm"/tfjs-backend-wasm.wasm "$wasm"/tfjs-backend-wasm-simd.wasm "$wasm"/tfjs-backend-wasm-threaded-simd.wasm "$bundle/"
cp "$dawn/package.json" "$dawn/index.js" "$bundle/node_modules/webgpu/"
cp "$dawn/dist/linux-x64/dawn.node" "$bundle/node_modules/webgpu/dist/linux-x64/"
cp "$mnist"/*-ubyte "$bundle/mnist/"
[ -n "$vulkan" ] && cp -L "$vulkan" "$bundle/lib/libvulkan.so.1" || echo "bench/gpu.sh: no libvulkan.so.1 here (apt-get install libvulkan1); the GPU machine must have its own" >&2
cp "$(command -v node)" "$bundle/node"
cp "$repo/bench/reference.py" "$repo/bench/gpu-bundle/run.sh" "$bundle/"
chmod +x "$bundle/run.sh" "$bundle/node"
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1))"

if [ "$archive" = 1 ]; then
  tar -C "$out" -cf - vaelab-gpu | xz -T0 -6 > "$out/vaelab-gpu.tar.xz"
  size=$(stat -c %s "$out/vaelab-gpu.tar.xz")
  echo "archive: $out/vaelab-gpu.tar.xz ($((size / 1048576)) MiB; the GPU machine takes at most 64 MiB)"
  [ "$size" -lt $((64 * 1048576)) ] || { echo "bench/gpu.sh: the archive is over 64 MiB" >&2; exit 1; }
fi

if [ "$run_tiny" = 1 ]; then
  VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json} VAELAB_WEBGPU_ALLOW_FALLBACK=1 \
    OUT="$out/tiny-results" "$bundle/run.sh" --tiny
fi

#!/bin/sh
# VAE Lab's GPU checks, from the bundle bench/gpu.sh builds: needs no Node.js and no network.
# Results (JSON and logs) go to $OUT, else ./results. Extra arguments go to gpu-check.mjs
# (--tiny: a budget a CPU can run).
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/results}
mkdir -p "$out"
# The Vulkan loader travels with the bundle; the GPU driver's own library stays the machine's.
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then XDG_RUNTIME_DIR=$(mktemp -d); export XDG_RUNTIME_DIR; fi
chmod 700 "$XDG_RUNTIME_DIR"
# Containers often get NVIDIA's driver libraries without its Vulkan ICD file: write one.
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /etc/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json >/dev/null 2>&1; then
  for lib in /usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.0 /usr/lib64/libGLX_nvidia.so.0 /usr/lib/libGLX_nvidia.so.0; do
    if [ -e "$lib" ]; then
      printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$lib" > "$out/nvidia_icd.json"
      export VK_ICD_FILENAMES="$out/nvidia_icd.json"
      echo "using NVIDIA's Vulkan driver $lib (ICD file written to $out/nvidia_icd.json)"
      break
    fi
  done
fi
command -v nvidia-smi >/dev/null && nvidia-smi -L | tee "$out/gpus.txt"

# PyTorch on the same GPU, where one with CUDA is installed: the reference for the ratio.
torch_rows=""
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    echo "PyTorch $("$py" -c 'import torch; print(torch.__version__, torch.cuda.get_device_name(0))') on CUDA:"
    if "$py" "$here/reference.py" "$here/mnist" 1 --device=cuda > "$out/pytorch-cuda.jsonl" 2> "$out/pytorch-cuda.err"; then
      cat "$out/pytorch-cuda.jsonl"
      torch_rows="--torch $out/pytorch-cuda.jsonl"
    else
      echo "reference.py failed: $(tail -1 "$out/pytorch-cuda.err")"
    fi
    break
  fi
done
[ -n "$torch_rows" ] || echo "no PyTorch with CUDA here: no ratio to PyTorch"

# shellcheck disable=SC2086
{ "$here/node" "$here/gpu-check.mjs" --mnist "$here/mnist" --out "$out/gpu-check.json" $torch_rows "$@"; echo $? > "$out/status"; } 2>&1 | tee "$out/gpu-check.log"
exit "$(cat "$out/status")"

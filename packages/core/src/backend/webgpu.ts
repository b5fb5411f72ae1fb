// The WebGPU backend in Node: Dawn's bindings from the `webgpu` npm package under tfjs's WebGPU
// backend. navigator.gpu must exist before the backend module loads, and the adapter is checked
// first: a fallback (CPU) adapter such as SwiftShader only runs when asked for, for tests.
import { existsSync, readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';

export interface WebGpuOptions {
  /** Accept a fallback adapter (SwiftShader, a CPU): correctness tests only, never `auto`. */
  allowFallbackAdapter?: boolean;
  /** A substring of the adapter's name to pick one of several GPUs (Dawn's `adapter` flag). */
  adapter?: string;
}

export interface WebGpuStart {
  /** Vendor, architecture and name of the adapter, e.g. "nvidia hopper (NVIDIA H200)". */
  device: string;
  fallback: boolean;
}

/** The slice of navigator.gpu used here (the DOM WebGPU types are not in Node's lib). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: AdapterInfoLike } | null>;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

// An optional package (its native binaries are 130 MB), named through a variable so a type check
// and a bundle without it still work.
const DAWN_PACKAGE: string = 'webgpu';

let started: WebGpuStart | null = null;

const LIB_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib'];
const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/**
 * Why Vulkan cannot start on this Linux machine, or null. Checked before Dawn loads, which
 * otherwise prints its own warnings on every `auto` start of a machine without Vulkan.
 */
export function vulkanProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform !== 'linux') return null;
  const libDirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LIB_DIRS];
  if (!libDirs.some((dir) => existsSync(`${dir}/libvulkan.so.1`))) return `no Vulkan loader (libvulkan.so.1; Debian: apt-get install libvulkan1)`;
  const named = (env.VK_ICD_FILENAMES ?? env.VK_DRIVER_FILES ?? '').split(':').filter(Boolean);
  const hasIcd = named.length > 0
    ? named.some((file) => existsSync(file))
    : ICD_DIRS.some((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json')));
  return hasIcd ? null : `no Vulkan driver (no ICD file in ${named.length > 0 ? named.join(', ') : ICD_DIRS.join(', ')})`;
}

function describeAdapter(info: AdapterInfoLike): string {
  const kind = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const name = info.description || info.device;
  return name ? `${kind} (${name})` : kind;
}

async function loadDawn(flags: string[]): Promise<GpuLike> {
  let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    dawn = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as typeof dawn;
  } catch (error) {
    throw new Error(`the webgpu package is not installed or its dawn.node does not load (${(error as Error).message.split('\n')[0]})`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create(flags);
  // Node 20 has no navigator; Node 21+ has one without a gpu.
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: GpuLike };
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  return gpu;
}

/** Starts tfjs's WebGPU backend on the adapter Dawn offers, or says why it cannot. Once per process. */
export async function startWebGpu(options: WebGpuOptions = {}): Promise<WebGpuStart> {
  if (started) {
    if (started.fallback && !options.allowFallbackAdapter) throw new Error(`only a fallback adapter is available: ${started.device}`);
    if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialise');
    return started;
  }
  const problem = vulkanProblem();
  if (problem) throw new Error(problem);
  const gpu = await loadDawn(options.adapter ? [`adapter=${options.adapter}`] : []);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter == null) throw new Error('Dawn found no WebGPU adapter');
  const info = adapter.info ?? {};
  const fallback = info.isFallbackAdapter === true || info.architecture === 'swiftshader';
  const device = describeAdapter(info);
  if (fallback && !options.allowFallbackAdapter) {
    throw new Error(`only a fallback adapter is available (${device}, a CPU)`);
  }
  // Importing registers the backend factory, which asks navigator.gpu for its adapter again.
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialise');
  await tf.ready();
  started = { device, fallback };
  return started;
}

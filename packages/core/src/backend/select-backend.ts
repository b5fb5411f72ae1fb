// Backend selection: `auto` tries tensorflow-gpu (tfjs-node-gpu), webgpu (a real GPU adapter
// only), tensorflow (tfjs-node), wasm, then cpu; a backend asked for by name either loads or
// fails saying why and what to install.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { registerVaeLabKernels } from './kernels/register-kernels.js';
import { startWasm } from './wasm-threads.js';
import { startWebGpu } from './webgpu.js';

export const BACKEND_NAMES = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];
export type ConcreteBackend = Exclude<BackendChoice, 'auto'>;
const GPU_BACKENDS: ReadonlySet<string> = new Set<ConcreteBackend>(['tensorflow-gpu', 'webgpu']);
/** Whether a backend name runs on a GPU: a sweep on one spreads its workers over the machine's GPUs. */
export function isGpuBackend(name: string): boolean {
  return GPU_BACKENDS.has(name);
}

export interface BackendReport {
  /** What was asked for. */
  requested: BackendChoice;
  /** What runs: tensorflow-gpu, webgpu, tensorflow, wasm or cpu. */
  backend: ConcreteBackend;
  /** The tfjs engine's own name for it. */
  engineName: string;
  /** Backends tried before this one, with the reason each failed. */
  skipped: { backend: ConcreteBackend; reason: string }[];
  /** XNNPACK threads on wasm (1 elsewhere: other backends manage their own threads). */
  threads: number;
  /** Set when wasm had to run on fewer threads than asked, saying why. */
  threadsFallback?: string;
  /** The device it runs on where there is a choice: the WebGPU adapter, the CUDA device index. */
  device?: string;
}

export interface BackendOptions {
  /**
   * Threads for the wasm backend, fixed the first time it starts in a process. Default: the
   * VAELAB_WASM_THREADS environment variable, else every core (parallel sweep workers get a share).
   */
  wasmThreads?: number;
  /**
   * WebGPU only: accept a fallback adapter such as SwiftShader (a CPU), which `auto` never
   * picks; tests opt in with it. Default: the VAELAB_WEBGPU_ALLOW_FALLBACK environment variable.
   */
  allowFallbackAdapter?: boolean;
  /** WebGPU only: a substring of the adapter name to use. Default: VAELAB_WEBGPU_ADAPTER. */
  webgpuAdapter?: string;
}

function defaultWasmThreads(): number {
  const fromEnv = Number.parseInt(process.env.VAELAB_WASM_THREADS ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv >= 1 ? fromEnv : availableParallelism();
}

const INSTALL_HINT: Record<ConcreteBackend, string> = {
  'tensorflow-gpu': 'install @tensorflow/tfjs-node-gpu (needs CUDA and cuDNN matching libtensorflow) on a machine that can download libtensorflow',
  webgpu: 'install the GPU\'s Vulkan driver (libvulkan1 and the vendor\'s ICD) and the optional packages webgpu and @tensorflow/tfjs-backend-webgpu; ' +
    'on a CPU (tests only) SwiftShader from Debian\'s chromium works: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json and allowFallbackAdapter',
  tensorflow: 'install @tensorflow/tfjs-node on a machine that can download libtensorflow',
  wasm: 'reinstall @tensorflow/tfjs-backend-wasm (its .wasm files must sit next to its dist/)',
  cpu: 'reinstall @tensorflow/tfjs-backend-cpu',
};

export type TfjsNodePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

/**
 * Why a tfjs-node package cannot load, or null if its native binding is in place. Checked
 * before importing: the package registers its kernels on import even without its binding
 * (a failed libtensorflow download leaves the package behind).
 */
export function tfjsNodeProblem(name: TfjsNodePackage): string | null {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve(`${name}/package.json`));
  } catch {
    return `${name} is not installed`;
  }
  const lib = join(root, 'lib');
  const hasBinding = existsSync(lib) && readdirSync(lib).some((d) => existsSync(join(lib, d, 'tfjs_binding.node')));
  return hasBinding ? null : `${name} is installed without its native binding (its install could not download libtensorflow)`;
}

async function importTfjsNode(name: TfjsNodePackage): Promise<void> {
  const problem = tfjsNodeProblem(name);
  if (problem) throw new Error(problem);
  await import(/* @vite-ignore */ name);
}

/**
 * Registers tfjs's CPU and WASM backends and every gradient. Imported here, when a backend is
 * chosen, rather than at the top: side-effect imports would be kept in our type declarations and
 * drag the backends' own (globals-dependent) declarations into every user's type check.
 */
async function registerTfjs(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  await import('@tensorflow/tfjs-backend-wasm');
  // tfjs-core's Node bundle registers no gradients; this bundle of its own registrations does
  // (built by scripts/bundle-gradients.mjs at build time).
  await import('../../generated/tfjs-gradients.js');
}

type Activated = { engineName: string; threads: number; threadsFallback?: string; device?: string };

async function activate(backend: ConcreteBackend, options: BackendOptions): Promise<Activated> {
  await registerTfjs();
  if (backend === 'tensorflow-gpu' || backend === 'tensorflow') {
    await importTfjsNode(backend === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
    if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
    const cuda = backend === 'tensorflow-gpu' ? process.env.CUDA_VISIBLE_DEVICES : undefined;
    return { engineName: 'tensorflow', threads: 1, ...(cuda ? { device: `CUDA device ${cuda}` } : {}) };
  }
  if (backend === 'webgpu') {
    const gpu = await startWebGpu({
      allowFallbackAdapter: options.allowFallbackAdapter ?? process.env.VAELAB_WEBGPU_ALLOW_FALLBACK === '1',
      adapter: options.webgpuAdapter ?? (process.env.VAELAB_WEBGPU_ADAPTER || undefined),
    });
    registerVaeLabKernels('webgpu');
    return { engineName: 'webgpu', threads: 1, device: gpu.device };
  }
  let started: { threads: number; fallback?: string } = { threads: 1 };
  if (backend === 'wasm') started = await startWasm(options.wasmThreads ?? defaultWasmThreads());
  else if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not initialise`);
  // The CPU backend greets its first use in Node with a banner asking to install tfjs-node: the
  // report says which backend runs and why, so the banner is only noise.
  if (backend === 'cpu') (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  await tf.ready();
  registerVaeLabKernels(backend);
  return { engineName: backend, threads: started.threads, threadsFallback: started.fallback };
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** Activates a backend for all later tfjs work in this process and reports which one runs. */
export async function useBackend(requested: BackendChoice = 'auto', options: BackendOptions = {}): Promise<BackendReport> {
  if (!BACKEND_NAMES.includes(requested)) {
    throw new Error(`unknown backend "${String(requested)}": expected one of ${BACKEND_NAMES.join(', ')}`);
  }
  const order: ConcreteBackend[] = requested === 'auto' ? ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] : [requested];
  const skipped: BackendReport['skipped'] = [];
  for (const backend of order) {
    try {
      // `auto` never runs on a fallback (CPU) WebGPU adapter: wasm is faster there.
      const activated = await activate(backend, requested === 'auto' ? { ...options, allowFallbackAdapter: false } : options);
      const { engineName, threads, threadsFallback, device } = activated;
      return { requested, backend, engineName, skipped, threads, ...(threadsFallback ? { threadsFallback } : {}), ...(device ? { device } : {}) };
    } catch (error) {
      if (requested !== 'auto') {
        throw new Error(`backend "${backend}" cannot load: ${reasonOf(error)}. To use it, ${INSTALL_HINT[backend]}.`);
      }
      skipped.push({ backend, reason: reasonOf(error) });
    }
  }
  throw new Error(`no backend could load: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

export function describeBackend(report: BackendReport): string {
  const skipped = report.skipped.map((s) => `${s.backend} (${s.reason})`).join(', ');
  const fallback = report.threadsFallback ? `; ${report.threadsFallback}` : '';
  const threads = report.backend === 'wasm' ? ` (${report.threads} thread${report.threads === 1 ? '' : 's'}${fallback})` : report.device ? ` (${report.device})` : '';
  return `backend: ${report.backend}${threads}${skipped ? ` — skipped ${skipped}` : ''}`;
}

// Multi-threaded WASM under Node. tfjs-backend-wasm ships a threaded SIMD build (XNNPACK on a
// pthread pool) but switches it off in Node (tensorflow/tfjs#3830). Three things stand in the
// way, each handled here while the backend starts:
// 1. the WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false in Node: set it;
// 2. pthread workers start from Blob URLs, which Node's Worker cannot load: serve the same worker
//    script from a file, with a prelude that loads the threaded factory from disk;
// 3. the pool is capped at os.cpus().length / 2 (it assumes hyper-threading): report twice the
//    wanted thread count while the module initialises.
// Afterwards the pthread workers are unref'd so they never keep a finished process alive.
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

interface PThreadApi {
  runningWorkers: { unref(): void }[];
  unusedWorkers: { unref(): void }[];
}

/** Writes the pthread worker script (once per content) and returns its path. */
function workerScript(): string {
  const require = createRequire(import.meta.url);
  const out = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const factory = join(out, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(join(out, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The worker asks for a URL of the factory Blob the main thread posts it; hand it the file.
  const prelude = `URL.createObjectURL = () => ${JSON.stringify(factory)};\n`;
  // As tfjs does before making its Blob: the template string holds raw newlines inside quotes.
  const source = prelude + wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const path = join(os.tmpdir(), `vaelab-wasm-worker-${hash}.cjs`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, path);
  }
  return path;
}

async function startSingleThreaded(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
}

async function startThreaded(threads: number): Promise<void> {
  const path = workerScript();
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = (blob: Blob) => (blob?.type === 'application/javascript' ? path : createObjectURL(blob));
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the threaded wasm build did not initialise');
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
  const pthread = (tf.backend() as unknown as { wasm: { PThread?: PThreadApi } }).wasm.PThread;
  for (const worker of [...(pthread?.runningWorkers ?? []), ...(pthread?.unusedWorkers ?? [])]) worker.unref();
}

export interface WasmStart {
  threads: number;
  /** Why WASM runs on fewer threads than asked, when the threaded build could not start. */
  fallback?: string;
}

/**
 * Starts tfjs's WASM backend with `threads` XNNPACK threads (1: the stock single-threaded SIMD
 * build). Must run before anything else starts the WASM backend; once started, the count is
 * fixed for the process. If the threaded build cannot start, WASM runs on one thread and says why.
 */
export async function startWasm(threads: number): Promise<WasmStart> {
  if (threads <= 1 || tf.findBackend('wasm') != null) {
    await startSingleThreaded();
    return { threads: getThreadsCount() };
  }
  try {
    await startThreaded(threads);
    return { threads: getThreadsCount() };
  } catch (error) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await startSingleThreaded();
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { threads: getThreadsCount(), fallback: `WASM threads unavailable (${reason})` };
  }
}

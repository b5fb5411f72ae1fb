// On WASM and CPU a tfjs op never leaves the microtask queue, so a long loop of them starves
// timers, signals and IPC (heartbeats, Ctrl-C). Loops over batches await this now and then.

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

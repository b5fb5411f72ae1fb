// Types for compile-wat.mjs (imported by the kernel tests to check the committed bytes).
export function compileHeapSimd(): Promise<string>;

// Lets tests run the WebGPU backend on a CPU: SwiftShader's Vulkan driver, as Debian's chromium
// ships it. Set in-process before Dawn loads (the Vulkan loader reads these when it starts).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vulkanProblem } from '../backend/webgpu.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Points Vulkan at SwiftShader (unless VK_ICD_FILENAMES already names a driver) and returns why
 * WebGPU cannot run here, or null when tests can use it with `allowFallbackAdapter`.
 */
export function useSwiftShader(): string | null {
  if (!process.env.VK_ICD_FILENAMES) {
    if (!existsSync(SWIFTSHADER_ICD)) return `no SwiftShader Vulkan driver at ${SWIFTSHADER_ICD} (Debian: apt-get install chromium)`;
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  // Dawn's Vulkan backend wants a private runtime folder (0700).
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'vaelab-xdg-'));
  return vulkanProblem();
}

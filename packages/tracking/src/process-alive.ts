// Whether a worker process on this host still exists (the same-host shortcut of lease expiry).
import { readFileSync } from 'node:fs';

/** True while the process exists and is not a zombie (a killed worker whose parent never reaped it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs (macOS, Windows): signal 0 succeeded, so it exists
  }
}

import { readFileSync } from 'node:fs';

/**
 * This process's peak resident set size, bytes. NOTE: getrusage's ru_maxrss survives execve on Linux,
 * so a probe forked from a runner that held 145 MiB reports at least 145 MiB whatever it used; the
 * kernel's per-address-space VmHWM starts afresh at exec. ru_maxrss where /proc is missing.
 */
export function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1] !== undefined) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

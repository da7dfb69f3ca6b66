import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in KiB (VmHWM, worker threads included). Not
 * getrusage's maxRSS: Linux carries that across fork+exec, so a child would
 * report its parent's peak when the parent was bigger.
 */
export function peakRssKb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : process.resourceUsage().maxRSS;
}

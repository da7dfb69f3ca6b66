import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime fields (USER_HZ: 100 on every Linux build we run on). */
const TICKS_PER_S = 100;

/**
 * CPU milliseconds this process has used so far, its threads (worker pool)
 * and its finished child processes (the toolchains the verify stage runs,
 * bubblewrap included: waited-for children's CPU lands in cutime/cstime) —
 * what a job costs, unlike wall time, which load on the machine inflates.
 */
export function cpuMsNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000 + childrenCpuMs();
}

function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "(comm)": state is field 3, cutime field 16, cstime field 17 (proc(5)).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / TICKS_PER_S;
  } catch {
    return 0; // not Linux: children's CPU unknown
  }
}

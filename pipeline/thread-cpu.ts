import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime: USER_HZ, 100 on every Linux ABI Node runs on. */
const USER_HZ = 100;

/**
 * CPU time (user + system, ms) of the calling thread, from
 * /proc/thread-self/stat (Node 20 has no process.threadCpuUsage; process.cpuUsage
 * is the whole process). 10 ms resolution; null off Linux.
 */
export function threadCpuMs(): number | null {
  return statCpuMs('/proc/thread-self/stat');
}

/** CPU time (ms) of one thread of this process by its kernel thread id (the main thread's is the pid). */
export function taskCpuMs(tid: number): number | null {
  return statCpuMs(`/proc/self/task/${tid}/stat`);
}

/**
 * CPU time (ms) of the children this process has waited for (cutime + cstime
 * of /proc/self/stat); null off Linux.
 */
export function waitedChildrenCpuMs(): number | null {
  return statCpuMs('/proc/self/stat', 13);
}

/** Two adjacent tick counters of a /proc stat file, in ms: utime+stime at 11, cutime+cstime at 13 (0-based after the command name). */
function statCpuMs(path: string, at = 11): number | null {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14,
  // stime 15, cutime 16, cstime 17 (proc(5)).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const a = Number(f[at]);
  const b = Number(f[at + 1]);
  return Number.isFinite(a) && Number.isFinite(b) ? ((a + b) * 1000) / USER_HZ : null;
}

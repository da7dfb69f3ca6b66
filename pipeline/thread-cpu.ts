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

function statCpuMs(path: string): number | null {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / USER_HZ : null;
}

import { waitedChildrenCpuMs } from '../pipeline/thread-cpu.js';

/**
 * CPU milliseconds this process has used so far, its threads (worker pool)
 * and the child processes it has waited for (tools run directly; the ones the
 * long-lived sandbox helper reaps are not among them, see rebuild-shard-job.ts)
 * — what a job costs, unlike wall time, which load on the machine inflates.
 */
export function cpuMsNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000 + (waitedChildrenCpuMs() ?? 0);
}

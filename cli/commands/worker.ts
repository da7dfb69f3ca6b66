import { parseQueueUrl } from '../../queue/queue-url.js';
import { runWorker } from '../../queue/run-worker.js';

export async function workerCommand(opts: {
  queue: string;
  concurrency: number;
  threads?: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}): Promise<void> {
  const connection = parseQueueUrl(opts.queue);
  const log = (line: string): boolean => process.stderr.write(`incorpus worker ${process.pid}: ${line}\n`);
  log(`waiting for jobs on ${connection.host}:${connection.port} (concurrency ${opts.concurrency})`);
  await runWorker({
    connection,
    concurrency: opts.concurrency,
    ...(opts.threads ? { threads: opts.threads } : {}),
    stall: { lockDuration: opts.lockDuration, stalledInterval: opts.stalledInterval, maxStalledCount: opts.maxStalledCount },
    onJob: (s) => log(`${s.id}: ${s.reused ? 'already done' : `${s.items} items in ${s.ms} ms${s.cpuMs !== undefined ? ` (cpu ${s.cpuMs} ms)` : ''}`}`),
    onError: log,
  });
  log('stopped');
}

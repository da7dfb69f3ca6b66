import { dirname, join } from 'node:path';
import { resolveDbPath } from '../corpus/db.js';
import { parseQueueUrl, type QueueConnection } from '../queue/queue-url.js';

export interface QueueFlags {
  db?: string;
  queue?: string;
  store?: string;
}

/** `--queue`/`--store` resolved: null without --queue (the command runs in-process, as always). */
export function resolveQueue(opts: QueueFlags): { connection: QueueConnection; store: string } | null {
  if (!opts.queue) return null;
  return { connection: parseQueueUrl(opts.queue), store: opts.store ?? join(dirname(resolveDbPath(opts.db)), 'queue-store') };
}

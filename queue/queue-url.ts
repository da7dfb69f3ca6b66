import { UsageError } from '../pipeline/errors.js';

/** The BullMQ queue every command and worker shares (one Redis can serve several corpora: jobs carry their paths). */
export const QUEUE_NAME = 'incorpus';

/** Where Redis is, as ioredis connection options. */
export interface QueueConnection {
  host: string;
  port: number;
  db: number;
  password?: string;
  username?: string;
  /**
   * null: a command waits for Redis to come back (a restart from its
   * append-only file) instead of failing after 20 retries; BullMQ requires it
   * for workers' blocking connections.
   */
  maxRetriesPerRequest: null;
}

/** Parses `redis://[user:pass@]HOST:PORT[/DB]`; anything else is a usage error. */
export function parseQueueUrl(url: string): QueueConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue ${JSON.stringify(url)} is not a URL; expected redis://HOST:PORT`);
  }
  if (u.protocol !== 'redis:') throw new UsageError(`--queue ${JSON.stringify(url)}: only redis://HOST:PORT is supported`);
  const port = u.port ? Number(u.port) : 6379;
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!u.hostname || !Number.isInteger(port) || !Number.isInteger(db) || db < 0) throw new UsageError(`--queue ${JSON.stringify(url)}: expected redis://HOST:PORT[/DB]`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * An ioredis client for BullMQ. BullMQ 6 takes ioredis as a peer and, under
 * native ESM, wants a constructed client rather than connection options.
 * The caller closes it (BullMQ leaves a passed-in client open).
 */
export async function connectRedis(c: QueueConnection): Promise<import('ioredis').Redis> {
  const { Redis } = await import('ioredis');
  return new Redis({ ...c, lazyConnect: false });
}

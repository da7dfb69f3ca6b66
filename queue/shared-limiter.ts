import type { RequestLimiter } from '../crawlers/github/client.js';
import { connectRedis, type QueueConnection } from './queue-url.js';

/** A limiter every process holding the same `id` shares through Redis, and how to let it go. */
export interface SharedLimiter extends RequestLimiter {
  close(): Promise<void>;
}

/**
 * Bottleneck in its Redis ("clustering") mode: the limiter's state — when the
 * last request started, how many run — lives in Redis under `id`, so every
 * worker (and the coordinator) draws from one budget: requests start at
 * least `minTimeMs` apart across all of them. This is what keeps N workers
 * at one client's request rate against GitHub's secondary rate limits
 * (docs.github.com: "Best practices for using the REST API" — no concurrent
 * bursts, pause between requests). The throttling plugin still handles a
 * limit GitHub reports (Retry-After) in each process.
 */
export async function createSharedLimiter(connection: QueueConnection, id: string, minTimeMs: number, maxConcurrent: number): Promise<SharedLimiter> {
  const { default: Bottleneck } = await import('bottleneck');
  const client = await connectRedis(connection);
  const conn = new Bottleneck.IORedisConnection({ client });
  const limiter = new Bottleneck({ id, datastore: 'ioredis', connection: conn, minTime: minTimeMs, maxConcurrent, clearDatastore: false, timeout: 10 * 60_000 });
  return {
    schedule: (fn) => limiter.schedule(fn),
    async close() {
      // A passed-in connection is "shared": the limiter only unregisters, the connection (client and its subscriber) closes here.
      await Promise.resolve(limiter.disconnect(false)).catch(() => {});
      await conn.disconnect(false);
      client.disconnect();
    },
  };
}

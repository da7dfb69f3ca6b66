import { createHash } from 'node:crypto';

/**
 * An idempotent job id: the stage and a hash of everything that decides the
 * job's output (config, input manifest). Enqueuing the same work twice adds
 * nothing (BullMQ ignores a duplicate id), and a job whose output is already
 * in the store returns at once. BullMQ refuses ':' and all-digit ids.
 */
export function makeJobId(stage: string, input: unknown): string {
  return `${stage}-${createHash('sha256').update(JSON.stringify([stage, input])).digest('hex').slice(0, 40)}`;
}

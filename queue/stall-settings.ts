/**
 * How a dead worker's job comes back (BullMQ's stalled-job check). A worker
 * holds a lock on each active job and renews it every lockDuration/2; a
 * worker killed with SIGKILL stops renewing, and after lockDuration the next
 * stalled check (every stalledInterval, run by any live worker) moves the job
 * back to waiting. A job that stalls more than maxStalledCount times fails.
 * A job that throws is retried `attempts` times with exponential backoff.
 */
export interface StallSettings {
  /** Lock on an active job, ms; longer than any synchronous stretch of a job (a git checkout walk). @default 120000 */
  lockDuration: number;
  /** How often live workers look for stalled jobs, ms. @default 30000 */
  stalledInterval: number;
  /** Stalls (worker deaths) before a job fails. @default 3 */
  maxStalledCount: number;
}

export const DEFAULT_STALL_SETTINGS: Readonly<StallSettings> = { lockDuration: 120_000, stalledInterval: 30_000, maxStalledCount: 3 };

/** Tries per job when it throws (a bad input fails the same way every time, so few). @default 3 */
export const JOB_ATTEMPTS = 3;
/** First retry delay, ms, doubled each time. */
export const JOB_BACKOFF_MS = 2000;

/**
 * The few error classes of incorpus. The CLI entry maps them to exit codes:
 * UsageError → 2 (the call was wrong), InputError and CorpusError → 1 with a
 * plain message (the data or the database was wrong), anything else → 1 with a
 * stack trace (a bug in incorpus).
 */

/** The command line was malformed: unknown option, missing argument, bad value. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input the user pointed at cannot be used: missing path, failed clone, bad config. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The corpus database is missing, from a newer incorpus, or in a state that blocks the job. */
export class CorpusError extends Error {
  override name = 'CorpusError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for errors whose message is meant for the user rather than a developer. */
export function isUserError(err: unknown): err is UsageError | InputError | CorpusError {
  return err instanceof UsageError || err instanceof InputError || err instanceof CorpusError;
}

/**
 * A short, single-line description of an error for a recorded verdict: name
 * and message, host paths masked (a verdict is exported data), capped.
 */
export function describeError(err: unknown): string {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return msg.replace(/\s+/g, ' ').replace(/(?:file:\/\/)?\/[^\s'"]+/g, '<path>').slice(0, 300);
}

/**
 * How long work reports progress. Library code only calls these methods; the CLI
 * decides whether anything is drawn (a bar on a terminal, nothing in a pipe).
 */
export interface Progress {
  /** Sets or updates the expected total, when it becomes known. */
  total(n: number): void;
  /** Advances by n units (default 1), optionally naming the current item. */
  tick(n?: number, label?: string): void;
  /** Ends the display. */
  done(): void;
}

/** The no-op reference implementation, used in tests and pipes. */
export const silentProgress: Progress = {
  total() {},
  tick() {},
  done() {},
};

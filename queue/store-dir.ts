import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The job output store: a directory every worker and the coordinator see (a
 * shared filesystem). Layout: `<kind>/<jobId>.db` is one job's output shard,
 * `<kind>/<jobId>.done` its completion marker. A job writes its shard under a
 * temporary name (`<jobId>.tmp-<pid>-<n>.db`), renames it, then writes the
 * marker; only the marker says "done", so a worker killed at any point leaves
 * nothing a reader would take for output. An object store (S3) slots in as
 * the same three steps: upload under a temporary key, copy to the final key,
 * put the marker object (docs/scale-out.md).
 */
export interface JobStore {
  readonly root: string;
  /** Where job `id` of `kind` publishes its shard (`ext`: a side file published with it). @default ext 'db' */
  shardPath(kind: string, id: string, ext?: string): string;
  isDone(kind: string, id: string): boolean;
  /** A fresh temporary path for a shard being written (removed by publish or abandon). */
  tempPath(kind: string, id: string, ext?: string): string;
  /** Renames a finished temporary shard (and its side files, `<id>.<ext>`) into place, then writes the marker. */
  publish(kind: string, id: string, temp: string, summary: unknown, side?: ReadonlyArray<{ ext: string; temp: string }>): void;
  /** Writes only the marker (a job whose output lives elsewhere: an export shard in the export directory). */
  markDone(kind: string, id: string, summary: unknown): void;
  /** The summary a finished job wrote into its marker. */
  readSummary(kind: string, id: string): unknown;
  /** Forgets one job's output (marker first), so it runs again. */
  forget(kind: string, id: string): void;
}

let tempCounter = 0;

export function openJobStore(dir: string): JobStore {
  const root = resolve(dir);
  const folder = (kind: string): string => {
    const d = join(root, kind);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const marker = (kind: string, id: string): string => join(root, kind, `${id}.done`);
  const writeMarker = (kind: string, id: string, summary: unknown): void => {
    folder(kind);
    const m = marker(kind, id);
    const tmpMarker = `${m}.tmp-${process.pid}-${++tempCounter}`;
    writeFileSync(tmpMarker, JSON.stringify(summary) + '\n');
    renameSync(tmpMarker, m);
  };
  return {
    root,
    shardPath: (kind, id, ext = 'db') => join(folder(kind), `${id}.${ext}`),
    isDone: (kind, id) => existsSync(marker(kind, id)),
    tempPath: (kind, id, ext = 'db') => join(folder(kind), `${id}.tmp-${process.pid}-${++tempCounter}.${ext}`),
    publish(kind, id, temp, summary, side = []) {
      for (const f of side) renameSync(f.temp, join(folder(kind), `${id}.${f.ext}`));
      renameSync(temp, join(folder(kind), `${id}.db`));
      writeMarker(kind, id, summary);
    },
    markDone: (kind, id, summary) => writeMarker(kind, id, summary),
    readSummary: (kind, id) => JSON.parse(readFileSync(marker(kind, id), 'utf8')) as unknown,
    forget(kind, id) {
      rmSync(marker(kind, id), { force: true });
      rmSync(join(root, kind, `${id}.db`), { force: true });
    },
  };
}

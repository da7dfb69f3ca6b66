import { createHash } from 'node:crypto';
import type { Db } from '../../corpus/db.js';

/** What identifies one toolchain run: same key, same answer, so it never runs twice. */
export interface VerifyCacheKey {
  /** compile | lint | synth | equiv */
  kind: string;
  tool: string;
  version: string;
  /** Flags that change the answer (target, standard, context). */
  flags: readonly string[];
  /** Every input file as [relative path, sha256 of its text]. */
  inputs: ReadonlyArray<readonly [string, string]>;
}

/** sha256 over a canonical JSON of the key; input order is normalized. */
export function verifyCacheKey(k: VerifyCacheKey): string {
  const inputs = [...k.inputs].map(([p, h]) => [p, h]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return createHash('sha256').update(JSON.stringify([k.kind, k.tool, k.version, k.flags, inputs])).digest('hex');
}

/** A cache over the verify_cache table, with hit/miss counters for stage stats. */
export interface VerifyCache {
  get<T>(key: string): T | null;
  put(key: string, k: Pick<VerifyCacheKey, 'kind' | 'tool' | 'version'>, result: unknown): void;
  readonly hits: number;
  readonly misses: number;
}

/** Opens the cache on a write connection; statements are prepared once. */
export function openVerifyCache(db: Db): VerifyCache {
  const select = db.prepare('SELECT result FROM verify_cache WHERE key = ?').pluck();
  const insert = db.prepare('INSERT OR REPLACE INTO verify_cache (key, kind, tool, version, result, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  let hits = 0;
  let misses = 0;
  return {
    get<T>(key: string): T | null {
      const row = select.get(key) as string | undefined;
      if (row === undefined) {
        misses++;
        return null;
      }
      hits++;
      return JSON.parse(row) as T;
    },
    put(key, k, result) {
      insert.run(key, k.kind, k.tool, k.version, JSON.stringify(result), new Date().toISOString());
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
  };
}

/** How many cached results there are per kind and tool (for stats). */
export function countVerifyCache(db: Db): Record<string, number> {
  const rows = db.prepare("SELECT kind || '/' || tool AS k, count(*) AS n FROM verify_cache GROUP BY kind, tool").all() as Array<{ k: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

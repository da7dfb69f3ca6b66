import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { BandCandidates, CandidateSink, SignedDoc } from '../dedup/band-candidates.js';
import { toSignature } from '../dedup/minhash-store.js';

/**
 * The files of near-dedup's band-partition jobs (queue/near-dedup-bands-job.ts):
 * the coordinator's signature input (one per rebuild, content-addressed) and
 * each partition's candidate pairs. Plain SQLite files in the job store,
 * written under a temporary name and published by rename + marker.
 */

const PAGE = 5000;

/** Writes every signed document into a fresh file at `path`; returns a sha256 of exactly what it holds. */
export function writeSignatureInput(path: string, docs: Iterable<SignedDoc>): { digest: string; docs: number } {
  const db = new Database(path);
  try {
    db.exec('CREATE TABLE sigs (ord INTEGER PRIMARY KEY, stable INTEGER NOT NULL, sig BLOB NOT NULL)');
    const ins = db.prepare('INSERT INTO sigs (ord, stable, sig) VALUES (?, ?, ?)');
    const h = createHash('sha256');
    let n = 0;
    let buf: Array<[number, number, Buffer]> = [];
    const write = db.transaction(() => {
      for (const row of buf) ins.run(...row);
    });
    for (const d of docs) {
      const bytes = Buffer.from(d.sig.buffer, d.sig.byteOffset, d.sig.byteLength);
      h.update(`${d.ord}:${d.stable}:${bytes.length}:`).update(bytes);
      buf.push([d.ord, d.stable, Buffer.from(bytes)]);
      n++;
      if (buf.length >= 2000) {
        write();
        buf = [];
      }
    }
    write();
    return { digest: h.digest('hex'), docs: n };
  } finally {
    db.close();
  }
}

export interface SignatureInput {
  /** Every document in ordinal order, paged. */
  docs(): Generator<SignedDoc>;
  signature(ord: number): Uint32Array;
  close(): void;
}

export function openSignatureInput(path: string): SignatureInput {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const page = db.prepare(`SELECT ord, stable, sig FROM sigs WHERE ord > ? ORDER BY ord LIMIT ${PAGE}`);
  const one = db.prepare('SELECT sig FROM sigs WHERE ord = ?').pluck();
  return {
    *docs() {
      let last = -1;
      for (;;) {
        const rows = page.all(last) as Array<{ ord: number; stable: number; sig: Buffer }>;
        for (const r of rows) yield { ord: r.ord, stable: r.stable, sig: toSignature(r.sig) };
        if (rows.length < PAGE) break;
        last = rows[rows.length - 1]!.ord;
      }
    },
    signature(ord) {
      const buf = one.get(ord) as Buffer | undefined;
      if (!buf) throw new Error(`near-dedup signature input ${path} has no document ${ord}`);
      return toSignature(buf);
    },
    close: () => db.close(),
  };
}

/** A partition's output file: its edges and undecided pairs in the order found. */
export function createCandidateFile(path: string): CandidateSink & { close(): void } {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE edges (seq INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL);
    CREATE TABLE undecided (seq INTEGER PRIMARY KEY, a INTEGER NOT NULL, b INTEGER NOT NULL);`);
  const insEdge = db.prepare('INSERT INTO edges (a, b) VALUES (?, ?)');
  const insAsk = db.prepare('INSERT INTO undecided (a, b) VALUES (?, ?)');
  let edges: Array<[number, number]> = [];
  let asks: Array<[number, number]> = [];
  const write = db.transaction(() => {
    for (const e of edges) insEdge.run(...e);
    for (const e of asks) insAsk.run(...e);
  });
  const flush = (): void => {
    write();
    edges = [];
    asks = [];
  };
  return {
    edge(a, b) {
      edges.push([a, b]);
      if (edges.length >= 5000) flush();
    },
    undecided(a, b) {
      asks.push([a, b]);
      if (asks.length >= 5000) flush();
    },
    close() {
      flush();
      db.close();
    },
  };
}

/** The candidates of several partition files, file by file in the order given (each file read paged, opened only while read). */
export function readCandidateFiles(paths: readonly string[]): BandCandidates {
  const pairs = (table: 'edges' | 'undecided') =>
    function* (): Generator<readonly [number, number]> {
      for (const path of paths) {
        const db = new Database(path, { readonly: true, fileMustExist: true });
        try {
          const page = db.prepare(`SELECT seq, a, b FROM ${table} WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`).raw();
          let last = 0;
          for (;;) {
            const rows = page.all(last) as Array<[number, number, number]>;
            for (const [, a, b] of rows) yield [a, b] as const;
            if (rows.length < PAGE) break;
            last = rows[rows.length - 1]![0];
          }
        } finally {
          db.close();
        }
      }
    };
  return { edges: pairs('edges'), undecided: pairs('undecided') };
}

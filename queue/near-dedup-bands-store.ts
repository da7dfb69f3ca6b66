import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { BandCandidates, BandSource, CandidateSink, SignedDoc } from '../dedup/band-candidates.js';
import { bandKeys } from '../dedup/minhash.js';
import { toSignature } from '../dedup/minhash-store.js';

/**
 * The files of near-dedup's band-partition jobs (queue/near-dedup-bands-job.ts):
 * the coordinator's signature set (one per rebuild, content-addressed: the
 * signatures, the documents, one key file per band) and each partition's
 * candidate pairs. Plain SQLite files in the job store,
 * written under a temporary name and published by rename + marker.
 */

const PAGE = 5000;

/**
 * The side files of a signature set, beside its `.db` (`STORE/near-dedup-sigs/<id>.<ext>`):
 * the banded documents (ordinal, stable key: two little-endian uint32 each) and
 * one file per LSH band (that band's key of every document, float64 LE, same
 * order). datatrove's MinhashDedupSignature likewise writes one file per
 * bucket, so each MinhashDedupBuckets task reads only its own buckets.
 */
export const DOCS_EXT = 'docs.bin';
export const bandExt = (band: number): string => `band-${band}.bin`;

/** Where writeSignatureSet writes (temporary paths: the caller publishes them). */
export interface SignatureSetPaths {
  db: string;
  docs: string;
  band(band: number): string;
}

/**
 * Writes every signed document once: its signature into `db` (table `sigs`,
 * read back only for bucket members, verify estimate/hybrid), its ordinal and
 * stable key into the docs file and its band keys into one file per band.
 * Returns a sha256 of exactly what the set holds (the band keys follow from
 * the signatures, `bands` and `rows`, which the digest names).
 */
export function writeSignatureSet(paths: SignatureSetPaths, docs: Iterable<SignedDoc>, bands: number, rows: number): { digest: string; docs: number } {
  const db = new Database(paths.db);
  const docsOut = createBinaryWriter(paths.docs);
  const bandOut = Array.from({ length: bands }, (_, b) => createBinaryWriter(paths.band(b)));
  try {
    db.exec('CREATE TABLE sigs (ord INTEGER PRIMARY KEY, stable INTEGER NOT NULL, sig BLOB NOT NULL)');
    const ins = db.prepare('INSERT INTO sigs (ord, stable, sig) VALUES (?, ?, ?)');
    const h = createHash('sha256').update(`bands:${bands}:rows:${rows}\n`);
    let n = 0;
    let buf: Array<[number, number, Buffer]> = [];
    const write = db.transaction(() => {
      for (const row of buf) ins.run(...row);
    });
    const pair = new Uint32Array(2);
    const key = new Float64Array(1);
    for (const d of docs) {
      const bytes = Buffer.from(d.sig.buffer, d.sig.byteOffset, d.sig.byteLength);
      h.update(`${d.ord}:${d.stable}:${bytes.length}:`).update(bytes);
      buf.push([d.ord, d.stable, Buffer.from(bytes)]);
      pair[0] = d.ord;
      pair[1] = d.stable;
      docsOut.write(pair);
      const keys = bandKeys(d.sig, bands, rows);
      for (let b = 0; b < bands; b++) {
        key[0] = keys[b]!;
        bandOut[b]!.write(key);
      }
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
    docsOut.close();
    for (const w of bandOut) w.close();
  }
}

/** Buffered appends of typed-array bytes to a fresh file (the platform's byte order: little-endian on every Node target we run). */
function createBinaryWriter(path: string): { write(a: ArrayBufferView): void; close(): void } {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(1 << 16);
  let used = 0;
  const flush = (): void => {
    if (used > 0) writeSync(fd, chunk, 0, used);
    used = 0;
  };
  return {
    write(a) {
      if (used + a.byteLength > chunk.length) flush();
      chunk.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), used);
      used += a.byteLength;
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}

/** A partition job's view of a signature set: only the files of its bands are opened, one band at a time. */
export interface PartitionInput extends BandSource {
  /** One document's signature from the set's `.db` (bucket members only). */
  signature(ord: number): Uint32Array;
  /** Bytes read so far: the docs file, the band files, the signatures fetched. */
  bytesRead(): number;
  signaturesRead(): number;
  close(): void;
}

/** Opens a signature set for the bands whose files `bandFiles` names (`bandFiles[band]`; other bands' entries are never touched). */
export function openPartitionInput(dbPath: string, docsPath: string, bandFiles: Readonly<Record<number, string>>): PartitionInput {
  const raw = readFileSync(docsPath);
  let bytes = raw.byteLength;
  let sigs = 0;
  const pairs = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const n = pairs.length / 2;
  const ords = new Uint32Array(n);
  const stable = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    ords[i] = pairs[2 * i]!;
    stable[i] = pairs[2 * i + 1]!;
  }
  let db: Database.Database | null = null;
  let one: Database.Statement | null = null;
  return {
    ords,
    stable,
    keysOf(band) {
      const path = bandFiles[band];
      if (path === undefined) throw new Error(`near-dedup partition input: no file for band ${band}`);
      const b = readFileSync(path);
      bytes += b.byteLength;
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    },
    signature(ord) {
      // Opened on first use: verify none/exact never reads a signature.
      if (!db) {
        db = new Database(dbPath, { readonly: true, fileMustExist: true });
        one = db.prepare('SELECT sig FROM sigs WHERE ord = ?').pluck();
      }
      const buf = one!.get(ord) as Buffer | undefined;
      if (!buf) throw new Error(`near-dedup signature input ${dbPath} has no document ${ord}`);
      bytes += buf.byteLength;
      sigs++;
      return toSignature(buf);
    },
    bytesRead: () => bytes,
    signaturesRead: () => sigs,
    close: () => db?.close(),
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

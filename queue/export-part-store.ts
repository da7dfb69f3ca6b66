import Database from 'better-sqlite3';
import type { ExportRecord } from '../export/records.js';
import type { TransformOutput } from '../export/transform.js';

/**
 * What one export part job wrote: the events of the in-process export's
 * record stream, in order — a document's FIM outcome, files left out of a
 * repository sample, a record (with its measured sizes and tokens). The
 * coordinator replays them for the manifest's statistics and to cut the
 * shards; an export shard job reads the records of its shard back.
 */
export interface PartEvent {
  seq: number;
  kind: 'doc' | 'excluded' | 'record';
  /** doc: the transform outcome (without text). */
  out?: Omit<TransformOutput, 'text'>;
  /** excluded: files; record: documents it accounts for. */
  n: number;
  /** record only. */
  meta?: { split: ExportRecord['meta']['split']; domain: string; lang: string };
  textBytes?: number;
  shardBytes?: number;
  tokens?: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, n INTEGER NOT NULL,
    split TEXT, domain TEXT, lang TEXT, text_bytes INTEGER, shard_bytes INTEGER, tokens INTEGER,
    payload TEXT
  );`;

export interface PartWriter {
  doc(out: TransformOutput): void;
  excluded(n: number): void;
  record(record: ExportRecord, docs: number, shardBytes: number, tokens: number | undefined): void;
  /** Commits and leaves one self-contained file (rollback journal). */
  close(): void;
}

export function openPartWriter(path: string): PartWriter {
  const db = new Database(path);
  db.pragma('journal_mode = DELETE');
  db.exec(SCHEMA);
  const put = db.prepare('INSERT INTO events (kind, n, split, domain, lang, text_bytes, shard_bytes, tokens, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let inBatch = 0;
  const add = (...args: unknown[]): void => {
    if (inBatch === 0) db.exec('BEGIN');
    put.run(...args);
    if (++inBatch >= 500) {
      db.exec('COMMIT');
      inBatch = 0;
    }
  };
  return {
    doc(out) {
      const { text: _text, ...rest } = out;
      add('doc', 1, null, null, null, null, null, null, JSON.stringify(rest));
    },
    excluded: (n) => add('excluded', n, null, null, null, null, null, null, null),
    record(record, docs, shardBytes, tokens) {
      add('record', docs, record.meta.split, record.meta.domain, record.meta.lang, Buffer.byteLength(record.text), shardBytes, tokens ?? null, JSON.stringify(record));
    },
    close() {
      if (inBatch > 0) db.exec('COMMIT');
      db.close();
    },
  };
}

type Row = { seq: number; kind: PartEvent['kind']; n: number; split: string | null; domain: string | null; lang: string | null; text_bytes: number | null; shard_bytes: number | null; tokens: number | null; payload: string | null };

/** A part's events in order, records without their text (the coordinator never loads a record). */
export function* readPartEvents(path: string): Generator<PartEvent> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT seq, kind, n, split, domain, lang, text_bytes, shard_bytes, tokens, CASE WHEN kind = 'doc' THEN payload END AS payload FROM events ORDER BY seq`);
    for (const r of rows.iterate() as Iterable<Row>) {
      if (r.kind === 'doc') yield { seq: r.seq, kind: 'doc', n: r.n, out: JSON.parse(r.payload!) as PartEvent['out'] };
      else if (r.kind === 'excluded') yield { seq: r.seq, kind: 'excluded', n: r.n };
      else {
        yield {
          seq: r.seq, kind: 'record', n: r.n,
          meta: { split: r.split as ExportRecord['meta']['split'], domain: r.domain!, lang: r.lang! },
          textBytes: r.text_bytes!, shardBytes: r.shard_bytes!, ...(r.tokens !== null ? { tokens: r.tokens } : {}),
        };
      }
    }
  } finally {
    db.close();
  }
}

/** The records of one split with seq in [from, to] of a part, in order (what a shard job writes). */
export function* readPartRecords(path: string, split: string, from: number, to: number): Generator<ExportRecord> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT payload FROM events WHERE kind = 'record' AND split = ? AND seq BETWEEN ? AND ? ORDER BY seq`).pluck();
    for (const p of rows.iterate(split, from, to) as Iterable<string>) yield JSON.parse(p) as ExportRecord;
  } finally {
    db.close();
  }
}

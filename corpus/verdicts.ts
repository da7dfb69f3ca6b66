import type { Db } from './db.js';

export interface VerdictInput {
  fileId: number;
  verdict: 'keep' | 'drop';
  stage: string | null;
  reason: string;
  details?: Record<string, unknown> | undefined;
  lang: string;
  domain: string;
  outSha256: string | null;
}

export interface VerdictWriter {
  write(v: VerdictInput): void;
  /** Commits what is buffered; returns how many verdicts were written in total. */
  flush(): number;
}

/** Buffers verdicts of one generation and writes them in transactions of `batchSize`. */
export function createVerdictWriter(db: Db, genId: number, batchSize = 1000): VerdictWriter {
  const insert = db.prepare(
    'INSERT INTO verdicts (gen_id, file_id, verdict, stage, reason, details, lang, domain, out_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let buffer: VerdictInput[] = [];
  let written = 0;
  const commit = db.transaction((rows: VerdictInput[]) => {
    for (const v of rows) {
      insert.run(genId, v.fileId, v.verdict, v.stage, v.reason, v.details ? JSON.stringify(v.details) : null, v.lang, v.domain, v.outSha256);
    }
  });
  const flush = (): number => {
    if (buffer.length > 0) {
      commit.immediate(buffer);
      written += buffer.length;
      buffer = [];
    }
    return written;
  };
  return {
    write(v) {
      buffer.push(v);
      if (buffer.length >= batchSize) flush();
    },
    flush,
  };
}

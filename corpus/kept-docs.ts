import { decompressBlob } from './blobs.js';
import type { Db } from './db.js';

/** A kept document of a generation, decoded, with the provenance an export records. */
export interface KeptDoc {
  id: string;
  source: string;
  repo: string;
  path: string;
  lang: string;
  domain: string;
  license: string | null;
  commit: string | null;
  sha256: string;
  text: string;
}

/** How many documents a generation kept. */
export function countKeptDocs(db: Db, genId: number): number {
  return db.prepare("SELECT count(*) FROM verdicts WHERE gen_id = ? AND verdict = 'keep'").pluck().get(genId) as number;
}

/**
 * Streams a generation's kept documents ordered by document id, so an export
 * depends only on the corpus, never on crawl or rebuild order. Use a dedicated
 * read connection: the statement stays open while the caller writes elsewhere.
 */
export function* iterateKeptDocs(reader: Db, genId: number): Generator<KeptDoc> {
  const stmt = reader.prepare(`
    SELECT f.doc_id AS id, s.kind AS source, r.name AS repo, f.path, v.lang, v.domain, r.license_claim AS license,
           r.commit_sha AS "commit", v.out_sha256 AS sha256, b.codec, b.data
    FROM verdicts v
    JOIN files f ON f.id = v.file_id
    JOIN repos r ON r.id = f.repo_id
    JOIN sources s ON s.id = r.source_id
    JOIN blobs b ON b.sha256 = v.out_sha256
    WHERE v.gen_id = ? AND v.verdict = 'keep'
    ORDER BY f.doc_id, f.id`);
  for (const row of stmt.iterate(genId) as Iterable<Omit<KeptDoc, 'text'> & { codec: string; data: Buffer }>) {
    const { codec, data, ...rest } = row;
    yield { ...rest, text: decompressBlob(codec, data).toString('utf8') };
  }
}
